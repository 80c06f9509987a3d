public import BenchCore

/// Wraps any ``ModelClient`` with a ``RetryPolicy``: the one place where failed requests are sent again.
///
/// The events of a failed attempt pass through, then a ``GenerationEvent/retrying(after:error:)`` event, the wait,
/// and the events of the next attempt; the final attempt's failure, if any, ends the stream. The record assembler
/// keeps the final attempt's timings and the time spent throttled apart, so latency never includes the waits.
public struct RetryingModelClient: ModelClient {
    public let base: any ModelClient
    public let policy: RetryPolicy
    /// Seed of the jitter draws.
    public let seed: UInt64
    /// The clock of the waits between attempts.
    public let timeline: Timeline

    public init(base: any ModelClient, policy: RetryPolicy, seed: UInt64 = 0, timeline: Timeline = .continuous()) {
        self.base = base
        self.policy = policy
        self.seed = seed
        self.timeline = timeline
    }

    public func stream(_ request: GenerationRequest) -> any AsyncSequence<StampedEvent, Never> {
        guard policy.maxRetries > 0 else { return base.stream(request) }
        return Attempts(client: self, request: request)
    }

    public func warmConnections(_ count: Int) async {
        await base.warmConnections(count)
    }

    struct Attempts: AsyncSequence {
        let client: RetryingModelClient
        let request: GenerationRequest

        func makeAsyncIterator() -> Iterator {
            Iterator(client: client, request: request)
        }
    }

    struct Iterator: AsyncIteratorProtocol {
        let client: RetryingModelClient
        let request: GenerationRequest
        var current: (any AsyncIteratorProtocol<StampedEvent, Never>)?
        var retries = 0
        var random: SeededRandom
        var pendingWait: Duration?

        init(client: RetryingModelClient, request: GenerationRequest) {
            self.client = client
            self.request = request
            random = SeededRandom(seed: client.seed)
        }

        mutating func next() async -> StampedEvent? {
            if let wait = pendingWait {
                pendingWait = nil
                do {
                    try await client.timeline.sleep(for: wait)
                } catch {
                    return StampedEvent(
                        .failure(ProviderError(.cancelled, "cancelled while waiting to retry")), at: .now)
                }
                current = nil
            }
            if current == nil { current = client.base.stream(request).makeAsyncIterator() }
            guard let event = await current?.next(isolation: nil) else { return nil }
            if case .failure(let error) = event.event,
                let wait = client.policy.delay(beforeRetry: retries, after: error, unit: random.nextUnitInterval())
            {
                retries += 1
                pendingWait = wait
                return StampedEvent(.retrying(after: wait, error: error), at: event.at)
            }
            return event
        }
    }
}
