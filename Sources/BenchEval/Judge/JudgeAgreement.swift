public import BenchMetrics

/// How far several judges (and, when given, human labels) agree on the same answers: each judge's verdicts are
/// keyed by ``EvalItemResult/key``; answers a rater has no verdict for are missing for that rater.
///
/// - pairs: Cohen's κ for every pair of judges, over the answers both labelled;
/// - alpha: Krippendorff's α (nominal) over all raters (the human labels one of them), missing verdicts allowed; `alpha_interval` too when the
///   verdicts are rubric scores (numbers), where near misses count as partly agreeing;
/// - human: each judge against the human labels (observed agreement, κ), over the answers both labelled.
public struct JudgeAgreement: Sendable, Hashable, Codable {
    /// One rater's verdicts.
    public struct Rater: Sendable, Hashable {
        public var name: String
        public var labels: [String: String]

        public init(name: String, labels: [String: String]) {
            self.name = name
            self.labels = labels
        }

        /// The verdicts in stored results (answers without a verdict left out).
        public init(name: String, results: [EvalItemResult]) {
            self.init(
                name: name,
                labels: Dictionary(
                    results.compactMap { result in result.judge?.verdict.map { (result.key, $0) } },
                    uniquingKeysWith: { first, _ in first }))
        }
    }

    /// Two raters (a judge and `human` for the human labels) and how far they agree.
    public struct Pair: Sendable, Hashable, Codable {
        public var raters: [String]
        public var agreement: RaterAgreement
    }

    public var raters: [String]
    /// Answers labelled by at least two raters.
    public var units: Int
    public var pairs: [Pair]
    public var alpha: Double?
    public var alphaInterval: Double?
    public var human: [Pair]?

    /// - Parameter human: labels by people, keyed like the judges'.
    /// The human labels count as one more rater in ``raters``, ``units`` and α.
    public init(_ judges: [Rater], human: [String: String]? = nil) {
        let everyone = judges + (human.map { [Rater(name: "human", labels: $0)] } ?? [])
        raters = everyone.map(\.name)
        let keys = Set(everyone.flatMap(\.labels.keys)).sorted()
        let table = keys.map { key in everyone.map { $0.labels[key] } }
        units = table.filter { $0.compactMap { $0 }.count >= 2 }.count
        pairs = Self.pairs(judges)
        alpha = KrippendorffAlpha.alpha(table, level: .nominal)
        let numeric = table.allSatisfy { $0.allSatisfy { $0 == nil || Double($0!) != nil } }
        alphaInterval = numeric ? KrippendorffAlpha.alpha(table, level: .interval) : nil
        self.human = human.map { labels in
            judges.flatMap { Self.pairs([Rater(name: "human", labels: labels), $0]) }
        }
    }

    static func pairs(_ raters: [Rater]) -> [Pair] {
        var pairs: [Pair] = []
        for (i, a) in raters.enumerated() {
            for b in raters.dropFirst(i + 1) {
                let shared = a.labels.keys.filter { b.labels[$0] != nil }.sorted()
                if let agreement = RaterAgreement(shared.map { a.labels[$0]! }, shared.map { b.labels[$0]! }) {
                    pairs.append(Pair(raters: [a.name, b.name], agreement: agreement))
                }
            }
        }
        return pairs
    }

    enum CodingKeys: String, CodingKey {
        case raters, units, pairs, alpha, human
        case alphaInterval = "alpha_interval"
    }
}
