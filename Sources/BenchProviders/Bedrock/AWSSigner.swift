public import Foundation

/// AWS credentials: an access key, its secret, and a session token for temporary credentials.
public struct AWSCredentials: Sendable, Hashable {
    public var accessKeyID: String
    public var secretAccessKey: String
    public var sessionToken: String?

    public init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
    }

    /// `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and `AWS_SESSION_TOKEN` from the environment; nil when the
    /// first two are not both set.
    public init?(environment: [String: String]) {
        guard let id = environment["AWS_ACCESS_KEY_ID"], !id.isEmpty,
            let secret = environment["AWS_SECRET_ACCESS_KEY"], !secret.isEmpty
        else { return nil }
        self.init(
            accessKeyID: id, secretAccessKey: secret,
            sessionToken: environment["AWS_SESSION_TOKEN"].flatMap { $0.isEmpty ? nil : $0 })
    }
}

/// AWS Signature Version 4 for header-signed requests: the canonical request, the string to sign and the derived
/// signing key, as the AWS documentation specifies them.
public struct AWSSigner: Sendable, Hashable {
    public var credentials: AWSCredentials
    public var region: String
    public var service: String

    public init(credentials: AWSCredentials, region: String, service: String) {
        self.credentials = credentials
        self.region = region
        self.service = service
    }

    /// The headers to add to a request: `X-Amz-Date`, `X-Amz-Security-Token` when there is a session token, and
    /// `Authorization`. Every given header is signed (names lowercased, values trimmed), plus `host`.
    /// - Parameters:
    ///   - url: the full URL; its path and query are canonicalised.
    ///   - headers: the request's headers, without `host`.
    public func sign(method: String, url: URL, headers: [(String, String)], body: Data, date: Date) -> [(
        String, String
    )] {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        let timestamp = formatter.string(from: date)
        let day = String(timestamp.prefix(8))
        var added = [("X-Amz-Date", timestamp)]
        if let token = credentials.sessionToken { added.append(("X-Amz-Security-Token", token)) }

        let host = url.port.map { "\(url.host ?? ""):\($0)" } ?? (url.host ?? "")
        var canonicalHeaders: [String: String] = ["host": host]
        for (name, value) in headers + added {
            canonicalHeaders[name.lowercased()] = value.trimmingCharacters(in: .whitespaces)
        }
        let names = canonicalHeaders.keys.sorted()
        let signedHeaders = names.joined(separator: ";")
        let canonicalRequest = [
            method,
            Self.canonicalPath(url),
            Self.canonicalQuery(url),
            names.map { "\($0):\(canonicalHeaders[$0]!)\n" }.joined(),
            signedHeaders,
            SHA256.hex(SHA256.hash(body)),
        ].joined(separator: "\n")
        let scope = "\(day)/\(region)/\(service)/aws4_request"
        let stringToSign = [
            "AWS4-HMAC-SHA256", timestamp, scope, SHA256.hex(SHA256.hash(Array(canonicalRequest.utf8))),
        ].joined(separator: "\n")
        let signature = SHA256.hex(SHA256.hmac(key: signingKey(day: day), message: Array(stringToSign.utf8)))
        added.append(
            (
                "Authorization",
                "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyID)/\(scope), SignedHeaders=\(signedHeaders), Signature=\(signature)"
            ))
        return added
    }

    /// kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, day), region), service), "aws4_request").
    public func signingKey(day: String) -> [UInt8] {
        [day, region, service, "aws4_request"].reduce(Array("AWS4\(credentials.secretAccessKey)".utf8)) {
            SHA256.hmac(key: $0, message: Array($1.utf8))
        }
    }

    /// The canonical path: the request's (already percent-encoded) path segments URI-encoded once more, as every
    /// AWS service except S3 expects, so a model id `a:b` sent as `a%3Ab` is signed as `a%253Ab`.
    static func canonicalPath(_ url: URL) -> String {
        let path = URLComponents(url: url, resolvingAgainstBaseURL: false)?.percentEncodedPath ?? "/"
        guard !path.isEmpty else { return "/" }
        return path.split(separator: "/", omittingEmptySubsequences: false).map { uriEncode(String($0)) }
            .joined(separator: "/")
    }

    /// Query parameters URI-encoded and sorted by name, then value.
    static func canonicalQuery(_ url: URL) -> String {
        let items = URLComponents(url: url, resolvingAgainstBaseURL: false)?.queryItems ?? []
        let pairs: [(name: String, value: String)] = items.map { (uriEncode($0.name), uriEncode($0.value ?? "")) }
        let sorted = pairs.sorted { left, right in
            left.name == right.name ? left.value < right.value : left.name < right.name
        }
        return sorted.map { "\($0.name)=\($0.value)" }.joined(separator: "&")
    }

    private static let unreserved = CharacterSet(
        charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    /// RFC 3986 encoding of everything but unreserved characters.
    static func uriEncode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text
    }
}
