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

/// The shared ``PacingSchedule`` of one target, on a timeline (the continuous clock unless a test gives another).
public actor RequestPacer {
    private var schedule: PacingSchedule
    let timeline: Timeline

    public init(budget: RateBudget, timeline: Timeline = .continuous()) {
        schedule = PacingSchedule(budget: budget)
        self.timeline = timeline
    }

    /// The offset on ``timeline`` at which a request of `tokens` estimated tokens may be sent.
    public func reserve(tokens: Int) -> Duration {
        schedule.reserve(tokens: tokens, now: timeline.now())
    }
}

/// Wraps a ``ModelClient`` so that every attempt first waits for its turn under a ``RequestPacer``. The wait is
/// announced by a ``GenerationEvent/paced(waited:)`` event before it starts (so a read timeout does not count it),
/// then the attempt's own events follow.
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
        /// The offset to wait for before the attempt starts, once announced.
        var startAt: Duration?
        var finished = false

        mutating func next() async -> StampedEvent? {
            if let events {
                var iterator = events
                let event = await iterator.next(isolation: nil)
                self.events = iterator
                return event
            }
            guard !finished else { return nil }
            let timeline = client.pacer.timeline
            if let startAt {
                do {
                    try await timeline.sleep(until: startAt)
                } catch {
                    finished = true
                    return StampedEvent(
                        .failure(ProviderError(.cancelled, "cancelled while waiting for the rate budget")), at: .now)
                }
                events = client.base.stream(request).makeAsyncIterator()
                return await next()
            }
            let asked = timeline.now()
            let start = await client.pacer.reserve(tokens: RateBudget.estimatedTokens(request))
            startAt = start
            return StampedEvent(.paced(waited: max(.zero, start - asked)), at: .now)
        }
    }
}
