/// A clock read as the time elapsed since an origin: what the scheduling logic of a run (arrivals, step deadlines,
/// request timeouts, retry waits, pacing, leases) asks of time. In production it is the continuous clock; tests
/// give a test clock (swift-clocks' `TestClock`), so that logic is tested by advancing time instead of sleeping.
///
/// Measurements are not taken from it: the transport stamps bytes with `ContinuousClock.now` as they arrive.
public struct Timeline: Sendable {
    /// Time elapsed since the origin.
    public let now: @Sendable () -> Duration
    private let sleeper: @Sendable (Duration) async throws -> Void

    /// A timeline on `clock`, its origin the clock's `now` at this call (or `origin` when given).
    public init<C: Clock>(_ clock: C, origin: C.Instant? = nil) where C.Duration == Duration {
        let origin = origin ?? clock.now
        now = { origin.duration(to: clock.now) }
        sleeper = { offset in try await clock.sleep(until: origin.advanced(by: offset), tolerance: nil) }
    }

    /// The continuous clock, from `origin` (now when nil).
    public static func continuous(origin: ContinuousClock.Instant? = nil) -> Timeline {
        Timeline(ContinuousClock(), origin: origin)
    }

    /// Suspends until ``now`` reaches `offset`; returns at once when it has.
    /// - Throws: `CancellationError` when the task is cancelled meanwhile.
    public func sleep(until offset: Duration) async throws {
        try await sleeper(offset)
    }

    /// Suspends for `duration` from now.
    public func sleep(for duration: Duration) async throws {
        try await sleeper(now() + duration)
    }
}
