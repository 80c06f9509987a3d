public import BenchCore

/// A client-side budget that keeps a target under its provider's rate limits, so a benchmark measures the model
/// rather than the provider's throttling.
public struct RateBudget: Sendable, Hashable {
    public var requestsPerMinute: Double?
    public var tokensPerMinute: Double?

    public init(requestsPerMinute: Double? = nil, tokensPerMinute: Double? = nil) {
        self.requestsPerMinute = requestsPerMinute
        self.tokensPerMinute = tokensPerMinute
    }

    public var isEmpty: Bool { requestsPerMinute == nil && tokensPerMinute == nil }

    /// The tokens a request counts against a tokens-per-minute limit, estimated before sending as providers do:
    /// ⌈prompt characters ÷ 4⌉ + `max_tokens`.
    public static func estimatedTokens(_ request: GenerationRequest) -> Int {
        let characters = request.messages.reduce(0) { $0 + $1.content.unicodeScalars.count }
        return (characters + 3) / 4 + (request.maxOutputTokens ?? 0)
    }
}

/// When each request may start under a ``RateBudget``: smooth pacing with no bursts (the generic cell rate
/// algorithm). A request of cost c starts at s = max(now, next request time, next token time); then the next
/// request time becomes s + 60 s ÷ RPM and the next token time s + 60 s × c ÷ TPM. Pure: instants are offsets on
/// any clock.
public struct PacingSchedule: Sendable, Hashable {
    public let budget: RateBudget
    private var nextRequestAt: Duration?
    private var nextTokensAt: Duration?

    public init(budget: RateBudget) {
        self.budget = budget
    }

    /// Reserves a start for a request of `tokens` estimated tokens asked for at `now`.
    public mutating func reserve(tokens: Int, now: Duration) -> Duration {
        let start = [now, nextRequestAt, nextTokensAt].compactMap { $0 }.max() ?? now
        if let rpm = budget.requestsPerMinute { nextRequestAt = start + .seconds(double: 60 / rpm) }
        if let tpm = budget.tokensPerMinute { nextTokensAt = start + .seconds(double: 60 * Double(tokens) / tpm) }
        return start
    }
}

/// The shared ``PacingSchedule`` of one target, on the continuous clock.
public actor RequestPacer {
    private var schedule: PacingSchedule
    private let origin = ContinuousClock.now

    public init(budget: RateBudget) {
        schedule = PacingSchedule(budget: budget)
    }

    /// The instant a request of `tokens` estimated tokens may be sent.
    public func reserve(tokens: Int) -> ContinuousClock.Instant {
        origin + schedule.reserve(tokens: tokens, now: .now - origin)
    }
}

/// Wraps a ``ModelClient`` so that every attempt first waits for its turn under a ``RequestPacer``, reported as a
/// ``GenerationEvent/paced(waited:)`` event before the attempt's own events.
public struct PacedModelClient: ModelClient {
    public let base: any ModelClient
    public let pacer: RequestPacer

    public init(base: any ModelClient, pacer: RequestPacer) {
        self.base = base
        self.pacer = pacer
    }

    public func stream(_ request: GenerationRequest) -> any AsyncSequence<StampedEvent, Never> {
        Paced(client: self, request: request)
    }

    public func warmConnections(_ count: Int) async {
        await base.warmConnections(count)
    }

    struct Paced: AsyncSequence {
        let client: PacedModelClient
        let request: GenerationRequest

        func makeAsyncIterator() -> Iterator { Iterator(client: client, request: request) }
    }

    struct Iterator: AsyncIteratorProtocol {
        let client: PacedModelClient
        let request: GenerationRequest
        var events: (any AsyncIteratorProtocol<StampedEvent, Never>)?
        var finished = false

        mutating func next() async -> StampedEvent? {
            if let events {
                var iterator = events
                let event = await iterator.next(isolation: nil)
                self.events = iterator
                return event
            }
            guard !finished else { return nil }
            let asked = ContinuousClock.now
            let start = await client.pacer.reserve(tokens: RateBudget.estimatedTokens(request))
            do {
                try await Task.sleep(until: start, clock: .continuous)
            } catch {
                finished = true
                return StampedEvent(
                    .failure(ProviderError(.cancelled, "cancelled while waiting for the rate budget")), at: .now)
            }
            events = client.base.stream(request).makeAsyncIterator()
            return StampedEvent(.paced(waited: max(.zero, start - asked)), at: .now)
        }
    }
}
