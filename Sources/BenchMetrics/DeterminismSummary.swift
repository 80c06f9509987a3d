public import BenchCore

/// Whether requests that repeated a prompt got the same answer text back (compared by `output_hash`).
/// Meaningful at temperature 0, where the run's temperature is reported beside it.
public struct DeterminismSummary: Sendable, Hashable, Codable {
    /// Distinct prompts sent more than once (successful requests only).
    public var repeatedPrompts: Int
    /// Of those, prompts whose every answer was identical.
    public var identical: Int

    /// The summary over successful records, or nil when no prompt was sent twice.
    public init?(records: [RequestRecord]) {
        let groups = Dictionary(grouping: records.filter { $0.outcome == .success }, by: \.promptIndex)
            .values.filter { $0.count > 1 }
        guard !groups.isEmpty else { return nil }
        repeatedPrompts = groups.count
        identical = groups.filter { Set($0.map(\.outputHash)).count == 1 }.count
    }

    enum CodingKeys: String, CodingKey {
        case repeatedPrompts = "repeated_prompts"
        case identical
    }
}
