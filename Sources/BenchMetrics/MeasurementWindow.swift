public import BenchCore

/// The part of a step whose completions are measured: warm-up and cool-down excluded.
///
/// The step starts at the earliest scheduled start of its requests and ends at the latest end of its requests,
/// or at start + duration limit when the step had one (requests in flight then were cancelled).
/// Window = [start + warm-up, end − cool-down]. A request belongs to the window when it ended inside it.
public struct MeasurementWindow: Sendable, Hashable {
    public var stepStart: Duration
    public var stepEnd: Duration
    public var start: Duration
    public var end: Duration

    /// The window of a step, or nil when the step has no records.
    public init?(records: [RequestRecord], step: LoadStep) {
        guard let first = records.map(\.scheduledAt).min(), let last = records.map(\.endedAt).max() else {
            return nil
        }
        stepStart = first
        stepEnd = step.maxDuration.map { min(last, first + $0) } ?? last
        start = stepStart + step.warmup
        end = stepEnd - step.cooldown
    }

    /// Window length; zero or negative when warm-up and cool-down leave nothing to measure.
    public var length: Duration { end - start }

    /// Whether a record ended inside the window (bounds included).
    public func contains(_ record: RequestRecord) -> Bool {
        record.endedAt >= start && record.endedAt <= end
    }
}
