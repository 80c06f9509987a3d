public import BenchCore

/// When and how long to wait before sending a failed request again. Pure: the wait is a function of the attempt,
/// the failure and a random draw.
///
/// A failure is retried when its kind is in `retryOn`, fewer than `maxRetries` retries were made and the server did
/// not forbid it (``ProviderError/retryForbidden``: `x-should-retry: false`, an exhausted quota). The wait is the
/// server's `retry-after` when it gave one (honoured up to `maxServerDelay`; a longer one is not retried), else
/// `baseDelay × 2^retry`, capped at `maxDelay`, times a jitter factor drawn uniformly from [1 − jitter, 1]
/// (the official OpenAI and Anthropic SDKs use 0.5 s × 2ⁿ, cap 8 s, jitter 0.25).
public struct RetryPolicy: Sendable, Hashable {
    public var maxRetries: Int
    public var retryOn: Set<ProviderError.Kind>
    public var baseDelay: Duration
    public var maxDelay: Duration
    public var jitter: Double
    public var maxServerDelay: Duration

    public init(
        maxRetries: Int = 3, retryOn: Set<ProviderError.Kind> = [.rateLimited, .overloaded],
        baseDelay: Duration = .milliseconds(500), maxDelay: Duration = .seconds(8), jitter: Double = 0.25,
        maxServerDelay: Duration = .seconds(120)
    ) {
        self.maxRetries = maxRetries
        self.retryOn = retryOn
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.jitter = jitter
        self.maxServerDelay = maxServerDelay
    }

    /// No retries at all.
    public static let none = RetryPolicy(maxRetries: 0)

    /// The wait before retry number `retry` (0 for the first retry), or nil when the failure is not retried.
    /// - Parameter unit: a uniform draw in [0, 1) for the jitter.
    public func delay(beforeRetry retry: Int, after error: ProviderError, unit: Double) -> Duration? {
        guard retry < maxRetries, retryOn.contains(error.kind), !error.retryForbidden else { return nil }
        if let seconds = error.retryAfterSeconds {
            let serverDelay = Duration.seconds(double: seconds)
            return serverDelay <= maxServerDelay ? serverDelay : nil
        }
        let exponential = min(maxDelay, baseDelay * Double(1 << min(retry, 30)))
        return exponential * (1 - jitter * unit)
    }
}
