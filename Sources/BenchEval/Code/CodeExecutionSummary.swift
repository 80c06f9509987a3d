public import BenchMetrics

/// Code execution's figures over the items whose answers ran: pass@k for k = 1, 5, 10, 20, 50, 100 up to the
/// fewest runs any item had, each the mean over items of the unbiased per-item estimate
/// pass@k = 1 − C(n−c, k) / C(n, k) (n runs of the item, c of them passed; Chen et al. 2021), with Wilson's
/// interval when every per-item value is 0 or 1 (one run per item) and else the normal interval of the per-item
/// values; how many runs ended each way; and how they were isolated.
public struct CodeExecutionSummary: Sendable, Hashable, Codable {
    /// pass@k over the items, with its interval.
    public struct PassRate: Sendable, Hashable, Codable {
        public var k: Int
        public var value: Double
        /// Nil with a single item.
        public var interval: Interval?
        public var items: Int
    }

    public var passAt: [PassRate]
    /// Runs per verdict (``CodeExecution/Verdict`` raw values).
    public var verdicts: [String: Int]
    /// The isolations the runs had (more than one only when results from different machines were merged).
    public var isolation: [String]

    init?(_ results: [EvalItemResult], confidence: Double) {
        let runs = results.filter { $0.execution != nil }
        guard !runs.isEmpty else { return nil }
        let items = Dictionary(grouping: runs, by: \.itemID).values.map { group in
            (n: group.count, c: group.filter { $0.execution?.verdict == .passed }.count)
        }
        let fewest = items.map(\.n).min() ?? 0
        passAt = [1, 5, 10, 20, 50, 100].filter { $0 <= fewest }.compactMap { k in
            let values = items.compactMap { PassAtK.passAtK(n: $0.n, c: $0.c, k: k) }
            guard !values.isEmpty else { return nil }
            let interval =
                values.allSatisfy { $0 == 0 || $0 == 1 }
                ? ProportionInterval.wilson(
                    successes: values.filter { $0 == 1 }.count, trials: values.count, confidence: confidence)
                : ScoreEstimate(scores: values, confidence: confidence)?.interval.clamped(to: 0...1)
            return PassRate(
                k: k, value: values.reduce(0, +) / Double(values.count), interval: interval, items: values.count)
        }
        verdicts = Dictionary(grouping: runs.compactMap { $0.execution?.verdict.rawValue }, by: { $0 })
            .mapValues(\.count)
        isolation = Set(runs.compactMap { $0.execution?.isolation }).sorted()
    }

    enum CodingKeys: String, CodingKey {
        case passAt = "pass_at"
        case verdicts, isolation
    }
}
