public import BenchCore
public import Foundation

/// Turns a non-success HTTP response into a classified ``ProviderError`` with a message a user can act on.
public enum HTTPFailureClassifier {
    /// Classifies a response whose status is not 2xx.
    /// - Parameters:
    ///   - status: the HTTP status code.
    ///   - headers: response headers as (name, value) pairs; names are matched case-insensitively.
    ///   - body: the (possibly truncated) response body.
    ///   - url: the request URL, named in messages about wrong paths.
    public static func classify(status: Int, headers: [(String, String)], body: Data, url: String) -> ProviderError {
        let detail =
            OpenAIChatCodec.errorMessage(fromBody: body)
            ?? String(decoding: body.prefix(300), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let suffix = detail.isEmpty ? "" : ": \(detail)"
        switch status {
        case 401, 403:
            return ProviderError(
                .authentication,
                "the endpoint rejected the request's credentials (check the API key variable)\(suffix)",
                httpStatus: status
            )
        case 404:
            return ProviderError(
                .invalidRequest,
                "not found: POST \(url) — check the base URL (OpenAI-compatible servers usually end in /v1) and the model name\(suffix)",
                httpStatus: status
            )
        case 408:
            return ProviderError(.timeout, "the server timed out the request\(suffix)", httpStatus: status)
        case 429:
            return ProviderError(
                .rateLimited, "rate limited\(suffix)", httpStatus: status,
                retryAfterSeconds: retryAfterSeconds(headers)
            )
        case 503, 529:
            return ProviderError(
                .overloaded, "the server is overloaded or unavailable\(suffix)", httpStatus: status,
                retryAfterSeconds: retryAfterSeconds(headers)
            )
        case 400..<500:
            return ProviderError(.invalidRequest, "the request was refused\(suffix)", httpStatus: status)
        default:
            return ProviderError(.server, "server error\(suffix)", httpStatus: status)
        }
    }

    /// The server-directed retry delay in seconds: `retry-after-ms` (milliseconds), else `retry-after` as
    /// seconds (fractions allowed), else the later of OpenAI's `x-ratelimit-reset-requests` and
    /// `x-ratelimit-reset-tokens` (Go-style durations such as `12ms`, `6m0s`). HTTP-date values are not interpreted.
    public static func retryAfterSeconds(_ headers: [(String, String)]) -> Double? {
        func value(_ name: String) -> String? {
            headers.first { $0.0.lowercased() == name }?.1.trimmingCharacters(in: .whitespaces)
        }
        if let milliseconds = value("retry-after-ms").flatMap(Double.init), milliseconds >= 0 {
            return milliseconds / 1000
        }
        if let seconds = value("retry-after").flatMap(Double.init), seconds >= 0 {
            return seconds
        }
        let resets = ["x-ratelimit-reset-requests", "x-ratelimit-reset-tokens"].compactMap {
            value($0).flatMap(goDuration)
        }
        return resets.max()
    }

    /// Seconds in a Go duration string: a sequence of numbers with units h, m, s, ms, us/µs, ns (`1h2m3.5s`).
    static func goDuration(_ text: String) -> Double? {
        let units: [(String, Double)] = [
            ("ms", 1e-3), ("us", 1e-6), ("µs", 1e-6), ("ns", 1e-9), ("h", 3600), ("m", 60), ("s", 1),
        ]
        var rest = Substring(text)
        var total = 0.0
        guard !rest.isEmpty else { return nil }
        while !rest.isEmpty {
            let number = rest.prefix { $0.isNumber || $0 == "." }
            guard let value = Double(number) else { return nil }
            rest = rest.dropFirst(number.count)
            guard let (unit, scale) = units.first(where: { rest.hasPrefix($0.0) }) else { return nil }
            rest = rest.dropFirst(unit.count)
            total += value * scale
        }
        return total
    }
}
