import AsyncHTTPClient
public import BenchCore
import Foundation

/// A server's root URL (a trailing `/` or `/v1` dropped) and the JSON requests sent to it outside the streaming
/// path: tokenizers and log-probability endpoints.
public struct JSONEndpoint: Sendable {
    public let root: String
    let http: HTTPTransport
    let headers: [WireRequest.Header]

    public init(baseURL: String, http: HTTPTransport, headers: [WireRequest.Header] = []) {
        var root = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        if root.hasSuffix("/v1") { root = String(root.dropLast(3)) }
        self.root = root
        self.http = http
        self.headers = headers
    }

    /// POSTs `body` to `root + path` and parses the JSON answer.
    /// - Throws: ``LikelihoodError`` with the status and the server's message when the answer is not a 2xx JSON
    ///   document; transport errors as they are.
    /// - Parameter limit: the largest answer read, in bytes.
    public func post(_ path: String, _ body: [String: JSONValue], limit: Int = 8 << 20) async throws -> JSONValue {
        let request = WireRequest(
            url: root + path, headers: [WireRequest.Header("Content-Type", "application/json")] + headers,
            body: try JSONEncoder().encode(body))
        let response = try await RawExchange.send(request, http: http, timeout: .seconds(600), limit: limit)
        guard response.isSuccess, let document = try? JSONParser.parse(String(decoding: response.body, as: UTF8.self))
        else {
            let message =
                OpenAIChatCodec.errorMessage(fromBody: response.body)
                ?? String(decoding: response.body.prefix(200), as: UTF8.self)
            throw LikelihoodError("\(path) answered HTTP \(response.status): \(message)")
        }
        return document
    }
}
