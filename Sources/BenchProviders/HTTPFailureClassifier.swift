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
        // The body is parsed once, for the message and for the retry signals it may hold.
        let document = try? body.prefix(1 << 20).withUnsafeBytes { try JSONParser.parse($0) }
        let raw = String(decoding: body.prefix(300), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let message = document.flatMap(OpenAIChatCodec.errorMessage(in:))?.trimmingCharacters(in: .whitespaces)
        let detail = message.flatMap { $0.isEmpty ? nil : $0 } ?? raw
        // An empty body says so, rather than leaving the sentence ending in ": ".
        let suffix = detail.isEmpty ? " (HTTP \(status) with an empty body)" : ": \(detail)"
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
            var error = ProviderError(
                .rateLimited, "rate limited\(suffix)", httpStatus: status,
                retryAfterSeconds: retryAfterSeconds(headers, document: document, now: Date())
            )
            error.retryForbidden = forbidsRetry(headers: headers, document: document)
            return error
        case 503, 529:
            var error = ProviderError(
                .overloaded, "the server is overloaded or unavailable\(suffix)", httpStatus: status,
                retryAfterSeconds: retryAfterSeconds(headers, document: document, now: Date())
            )
            error.retryForbidden = forbidsRetry(headers: headers, document: document)
            return error
        case 400..<500:
            return ProviderError(.invalidRequest, "the request was refused\(suffix)", httpStatus: status)
        default:
            return ProviderError(.server, "server error\(suffix)", httpStatus: status)
        }
    }

    /// The server-directed retry delay in seconds, in order of preference:
    /// 1. `retry-after-ms` (milliseconds);
    /// 2. `retry-after` as seconds (fractions allowed) or as an HTTP date;
    /// 3. the later of OpenAI's `x-ratelimit-reset-requests` / `-tokens` (Go-style durations such as `12ms`, `6m0s`);
    /// 4. Anthropic's `anthropic-ratelimit-*-reset` (RFC 3339 instants) of the limits whose `-remaining` is 0;
    /// 5. Google's `RetryInfo.retryDelay` in the error body (`17s`).
    ///
    /// Instants are measured from the response's `date` header when it has one (the server's clock), else `now`.
    public static func retryAfterSeconds(_ headers: [(String, String)], body: Data = Data(), now: Date = Date())
        -> Double?
    {
        retryAfterSeconds(headers, document: try? body.withUnsafeBytes { try JSONParser.parse($0) }, now: now)
    }

    static func retryAfterSeconds(_ headers: [(String, String)], document: JSONValue?, now: Date) -> Double? {
        func value(_ name: String) -> String? {
            headers.first { $0.0.lowercased() == name }?.1.trimmingCharacters(in: .whitespaces)
        }
        let serverNow = value("date").flatMap(httpDate) ?? now
        if let milliseconds = value("retry-after-ms").flatMap(Double.init), milliseconds >= 0 {
            return milliseconds / 1000
        }
        if let retryAfter = value("retry-after") {
            if let seconds = Double(retryAfter), seconds >= 0 { return seconds }
            if let date = httpDate(retryAfter) { return max(0, date.timeIntervalSince(serverNow)) }
        }
        let resets = ["x-ratelimit-reset-requests", "x-ratelimit-reset-tokens"].compactMap {
            value($0).flatMap(goDuration)
        }
        if let latest = resets.max() { return latest }
        let exhausted = headers.compactMap { name, remaining -> Date? in
            let name = name.lowercased()
            guard name.hasPrefix("anthropic-ratelimit-"), name.hasSuffix("-remaining"),
                Int(remaining.trimmingCharacters(in: .whitespaces)) == 0
            else { return nil }
            return value(String(name.dropLast("-remaining".count)) + "-reset").flatMap(rfc3339)
        }
        if let latest = exhausted.max() { return max(0, latest.timeIntervalSince(serverNow)) }
        return document.flatMap(googleRetryDelay)
    }

    /// Whether the server said not to retry: `x-should-retry: false`, or a 429 for an exhausted quota or
    /// balance (OpenAI `insufficient_quota`), which waiting does not cure.
    static func forbidsRetry(headers: [(String, String)], document: JSONValue?) -> Bool {
        if let should = headers.first(where: { $0.0.lowercased() == "x-should-retry" })?.1 {
            return should.trimmingCharacters(in: .whitespaces).lowercased() == "false"
        }
        guard let error = document?["error"] else { return false }
        return error["code"]?.string == "insufficient_quota" || error["type"]?.string == "insufficient_quota"
    }

    /// `RetryInfo.retryDelay` among a Google error body's `details`.
    static func googleRetryDelay(_ document: JSONValue) -> Double? {
        guard let details = document["error"]?["details"]?.array else { return nil }
        return details.lazy.compactMap { $0["retryDelay"]?.string.flatMap(goDuration) }.first
    }

    /// An RFC 3339 instant, with or without fractional seconds.
    static func rfc3339(_ text: String) -> Date? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let formatter = ISO8601DateFormatter()
        if let date = formatter.date(from: trimmed) { return date }
        formatter.formatOptions.insert(.withFractionalSeconds)
        return formatter.date(from: trimmed)
    }

    /// An HTTP date (`Sun, 06 Nov 1994 08:49:37 GMT`, RFC 9110 IMF-fixdate).
    static func httpDate(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: text.trimmingCharacters(in: .whitespaces))
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
