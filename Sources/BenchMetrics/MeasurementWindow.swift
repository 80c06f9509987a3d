public import BenchCore

/// The part of a step whose completions are measured: warm-up and cool-down excluded.
///
/// A step runs in one segment, or in several when an interrupted run was resumed (``RequestRecord/segment``).
/// Each segment starts at the earliest scheduled start of its requests and ends at the latest end of its requests,
/// or at start + duration limit when the step had one (requests in flight then were cancelled); its window is
/// [segment start + warm-up, segment end − cool-down]. A request belongs to the window when it ended inside its
/// segment's window. The window length is the sum of the segments' lengths, so downtime between segments is never
/// counted.
public struct MeasurementWindow: Sendable, Hashable {
    /// One uninterrupted stretch of a step.
    public struct Segment: Sendable, Hashable {
        public var index: Int
        public var stepStart: Duration
        public var stepEnd: Duration
        public var start: Duration
        public var end: Duration

        /// Window length; zero or negative when warm-up and cool-down leave nothing to measure.
        public var length: Duration { end - start }
    }

    /// The segments in order (one for a step that was not interrupted).
    public var segments: [Segment]

    /// The window of a step, or nil when the step has no records.
    public init?(records: [RequestRecord], step: LoadStep) {
        let bySegment = Dictionary(grouping: records, by: \.segment)
        segments = bySegment.keys.sorted().compactMap { index in
            let part = bySegment[index] ?? []
            guard let first = part.map(\.scheduledAt).min(), let last = part.map(\.endedAt).max() else {
                return nil
            }
            let stepEnd = step.maxDuration.map { min(last, first + $0) } ?? last
            return Segment(
                index: index, stepStart: first, stepEnd: stepEnd, start: first + step.warmup,
                end: stepEnd - step.cooldown)
        }
        if segments.isEmpty { return nil }
    }

    public var stepStart: Duration { segments[0].stepStart }
    public var stepEnd: Duration { segments[segments.count - 1].stepEnd }
    public var start: Duration { segments[0].start }
    public var end: Duration { segments[segments.count - 1].end }

    /// Window length: the segment's length (zero or negative when warm-up and cool-down leave nothing to
    /// measure), or the sum of the segments' positive lengths.
    public var length: Duration {
        if segments.count == 1 { return segments[0].length }
        return segments.reduce(.zero) { $0 + max(.zero, $1.length) }
    }

    /// Whether a record ended inside its segment's window (bounds included).
    public func contains(_ record: RequestRecord) -> Bool {
        guard let segment = segments.first(where: { $0.index == record.segment }) else { return false }
        return record.endedAt >= segment.start && record.endedAt <= segment.end
    }
}
