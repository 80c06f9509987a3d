/// Where a run's records go as they complete, and where a resumed run finds the ones it already has.
public protocol RecordSink: Sendable {
    /// Keeps one finished record; a durable sink has stored it when this returns.
    func append(_ record: RequestRecord) async throws
    /// Every record kept so far for one target's step (earlier segments of a resumed run included), in request-id
    /// order.
    func records(target: String, step: Int) async throws -> [RequestRecord]
}
