public import BenchCore

/// What is left of a load step that an interrupted run already partly executed, from the records it stored.
///
/// A step limited by a request count is complete when that many records are stored; the requests still to send
/// are the ids not stored yet (the same ids, and so the same prompts, as the interrupted run would have sent). A step
/// limited by a duration has the duration left after its stored segments (each from its first scheduled start to
/// its last end, capped at the limit). A step with both stops at whichever is reached first.
public struct ResumePlan: Sendable, Hashable {
    /// Request ids already stored: never sent again.
    public var stored: Set<Int>
    /// The load still to run, or nil when the step is complete.
    public var remaining: LoadStep?
    /// The segment the new records belong to.
    public var segment: Int

    /// - Parameters:
    ///   - firstRequestID: the step's first request id.
    ///   - requestsPerConversation: for a multi-turn step, the ids each conversation takes
    ///     (``ConversationSource/turns(for:)``): the step is complete when ⌊limit ÷ that⌋ conversations have a stored
    ///     turn, however many turns each stored (a failed turn ends its conversation).
    public init(
        step: LoadStep, previous: [RequestRecord], segment: Int, firstRequestID: Int = 0,
        requestsPerConversation: Int = 1
    ) {
        stored = Set(previous.map(\.id))
        self.segment = segment
        guard !previous.isEmpty else {
            remaining = step
            return
        }
        var left = step
        let units =
            requestsPerConversation > 1
            ? Set(previous.map { ($0.id - firstRequestID) / requestsPerConversation }).count : previous.count
        if let maxRequests = step.maxRequests, units >= maxRequests / requestsPerConversation {
            remaining = nil
            return
        }
        if let maxDuration = step.maxDuration {
            let ran = Dictionary(grouping: previous, by: \.segment).values.reduce(Duration.zero) { total, part in
                guard let first = part.map(\.scheduledAt).min(), let last = part.map(\.endedAt).max() else {
                    return total
                }
                return total + min(last - first, maxDuration)
            }
            guard ran < maxDuration else {
                remaining = nil
                return
            }
            left.maxDuration = maxDuration - ran
        }
        remaining = left
    }
}
