/// A classified failure of one request. Providers only classify; policy (retries, pacing) lives elsewhere.
public struct ProviderError: Error, Sendable, Hashable, Codable, CustomStringConvertible {
    /// The class of failure.
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        /// HTTP 429 or a provider's rate-limit error.
        case rateLimited = "rate_limited"
        /// The provider is overloaded (HTTP 503/529, `overloaded_error`).
        case overloaded
        /// The endpoint could not be reached (refused, DNS, TLS, connect timeout).
        case connection
        /// The API key was missing or rejected (HTTP 401/403).
        case authentication
        /// The request was refused as invalid (HTTP 400/404/413/422…).
        case invalidRequest = "invalid_request"
        /// The server failed (HTTP 5xx or an error event in the stream).
        case server
        /// The response could not be decoded.
        case decoding
        /// The stream ended without its terminal event.
        case truncated
        /// No bytes arrived within the read timeout, or the request exceeded its total time.
        case timeout
        /// The request was cancelled by llmbench (end of a timed step, shutdown).
        case cancelled
    }

    public var kind: Kind
    /// A human-readable reason, with secrets removed.
    public var message: String
    /// The HTTP status, when the failure came with one.
    public var httpStatus: Int?
    /// The server-directed wait before retrying, in seconds (`retry-after`, `retry-after-ms`).
    public var retryAfterSeconds: Double?
    /// The server said this request must not be retried (`x-should-retry: false`, an exhausted quota).
    public var retryForbidden: Bool

    public init(_ kind: Kind, _ message: String, httpStatus: Int? = nil, retryAfterSeconds: Double? = nil) {
        self.kind = kind
        self.message = message
        self.httpStatus = httpStatus
        self.retryAfterSeconds = retryAfterSeconds
        self.retryForbidden = false
    }

    /// Whether this failure means the provider throttled the request (rate limit or overload).
    public var isThrottle: Bool { kind == .rateLimited || kind == .overloaded }

    public var description: String {
        if let httpStatus { return "\(kind.rawValue) (HTTP \(httpStatus)): \(message)" }
        return "\(kind.rawValue): \(message)"
    }

    enum CodingKeys: String, CodingKey {
        case kind
        case message
        case httpStatus = "http_status"
        case retryAfterSeconds = "retry_after_s"
        case retryForbidden = "retry_forbidden"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        kind = try container.decode(Kind.self, forKey: .kind)
        message = try container.decode(String.self, forKey: .message)
        httpStatus = try container.decodeIfPresent(Int.self, forKey: .httpStatus)
        retryAfterSeconds = try container.decodeIfPresent(Double.self, forKey: .retryAfterSeconds)
        retryForbidden = try container.decodeIfPresent(Bool.self, forKey: .retryForbidden) ?? false
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(kind, forKey: .kind)
        try container.encode(message, forKey: .message)
        try container.encodeIfPresent(httpStatus, forKey: .httpStatus)
        try container.encodeIfPresent(retryAfterSeconds, forKey: .retryAfterSeconds)
        if retryForbidden { try container.encode(true, forKey: .retryForbidden) }
    }
}
