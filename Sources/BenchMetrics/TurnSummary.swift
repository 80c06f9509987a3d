public import BenchCore

/// One turn position of a multi-turn step (every conversation's turn k together): how the growing history moves
/// latency — longer prompts slow prefill, a server's prefix cache speeds it up.
public struct TurnSummary: Sendable, Hashable, Codable {
    /// 0 = the first turn.
    public var turn: Int
    public var succeeded: Int
    public var failed: Int
    public var ttftMs: DistributionSummary
    public var e2eMs: DistributionSummary
    /// Prompt tokens as the provider reported them (the history grows each turn).
    public var inputTokens: DistributionSummary

    /// One summary per turn position among the records that carry a turn (nil when none does).
    public static func turns(of records: [RequestRecord]) -> [TurnSummary]? {
        let byTurn = Dictionary(grouping: records.filter { $0.turn != nil && $0.outcome != .cancelled }) { $0.turn! }
        guard !byTurn.isEmpty else { return nil }
        return byTurn.keys.sorted().map { turn in
            let records = byTurn[turn] ?? []
            let succeeded = records.filter { $0.outcome == .success }
            return TurnSummary(
                turn: turn, succeeded: succeeded.count, failed: records.count - succeeded.count,
                ttftMs: DistributionSummary(succeeded.compactMap { $0.timeToFirstToken?.milliseconds }),
                e2eMs: DistributionSummary(succeeded.compactMap { $0.endToEndLatency?.milliseconds }),
                inputTokens: DistributionSummary(succeeded.compactMap { $0.usage?.inputTokens.map(Double.init) }))
        }
    }

    enum CodingKeys: String, CodingKey {
        case turn, succeeded, failed
        case ttftMs = "ttft_ms"
        case e2eMs = "e2e_ms"
        case inputTokens = "input_tokens"
    }
}
