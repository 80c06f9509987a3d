public import BenchMetrics
import Foundation

/// Two evaluation results on the same task compared item by item — only when they were scored the same way.
///
/// Items are paired by id (each item's score is the mean of its repeats; items failed or missing on either side
/// are left out and counted). With dᵢ = aᵢ − bᵢ: the mean difference with its normal and bootstrap intervals,
/// McNemar's exact test on right/wrong scores, what this many items can detect (δ = k·√(discordance/N),
/// k = 2.80 for α = 0.05 and power 0.8), and a non-inferiority verdict for a margin m on the verdict interval
/// (Newcombe's score interval for right/wrong scores, the normal one otherwise): A is no worse than B by more than m
/// when its lower bound is above −m; A is worse by more than m when its upper bound is below −m; otherwise it cannot
/// tell. It cannot tell either with fewer than ``PairedComparison/minimumItems`` paired items or a degenerate
/// interval (every difference equal, for scores that are not right/wrong). A "cannot tell" says about how many items
/// would settle it if the observed shares (right/wrong) or the observed difference and per-item SE (other scores)
/// hold.
public struct EvalComparison: Sendable, Hashable, Codable {
    public enum Verdict: String, Sendable, Hashable, Codable {
        case noWorse = "no_worse"
        case worse
        case cannotTell = "cannot_tell"
    }

    public struct NonInferiority: Sendable, Hashable, Codable {
        public var margin: Double
        public var verdict: Verdict
        /// Items that would settle a "cannot tell", if the observed difference and per-item spread hold.
        public var itemsNeeded: Int?
        public var sentence: String

        enum CodingKeys: String, CodingKey {
            case margin, verdict, sentence
            case itemsNeeded = "items_needed"
        }
    }

    public var a: String
    public var b: String
    /// Nil when the two can be compared; else why not (different output type or log-probability method).
    public var mismatch: String?
    public var pairedItems: Int
    public var onlyInA: Int
    public var onlyInB: Int
    public var accuracyA: Double?
    public var accuracyB: Double?
    public var paired: PairedComparison?
    public var minimumDetectableDifference: Double?
    public var nonInferiority: NonInferiority?

    public init(
        a: String, summaryA: EvalSummary, resultsA: [EvalItemResult], b: String, summaryB: EvalSummary,
        resultsB: [EvalItemResult], margin: Double = 0.02, confidence: Double = 0.95
    ) {
        self.a = a
        self.b = b
        if summaryA.outputType != summaryB.outputType {
            mismatch = "\(a) is \(summaryA.outputType), \(b) is \(summaryB.outputType)"
        } else if summaryA.method != summaryB.method {
            mismatch =
                "\(a) used \(summaryA.method ?? "generation"), \(b) used \(summaryB.method ?? "generation"): different protocols"
        } else if summaryA.outputType == "rolling_loglikelihood" {
            mismatch = "perplexities are compared as figures (bits per byte across tokenizers), not item by item"
        } else if summaryA.task != summaryB.task {
            mismatch = "different tasks: \(summaryA.task) and \(summaryB.task)"
        }
        let scoresA = Self.itemScores(resultsA)
        let scoresB = Self.itemScores(resultsB)
        let common = Set(scoresA.keys).intersection(scoresB.keys).sorted()
        pairedItems = common.count
        onlyInA = scoresA.count - common.count
        onlyInB = scoresB.count - common.count
        guard mismatch == nil, !common.isEmpty else { return }
        let left = common.map { scoresA[$0]! }
        let right = common.map { scoresB[$0]! }
        accuracyA = left.reduce(0, +) / Double(left.count)
        accuracyB = right.reduce(0, +) / Double(right.count)
        let clusterOf = Dictionary(resultsA.compactMap { r in r.cluster.map { (r.itemID, $0) } }) { first, _ in first }
        let clusters = common.allSatisfy { clusterOf[$0] != nil } ? common.map { clusterOf[$0]! } : nil
        guard let paired = PairedComparison(a: left, b: right, clusters: clusters, confidence: confidence) else {
            return
        }
        self.paired = paired
        let discordance = zip(left, right).map { abs($0 - $1) }.reduce(0, +) / Double(common.count)
        minimumDetectableDifference = SamplePlanner.pairedMinimumDetectableDifference(
            items: common.count, discordance: discordance)
        nonInferiority = Self.verdict(a: a, b: b, paired: paired, margin: margin, confidence: confidence)
    }

    static func verdict(
        a: String, b: String, paired: PairedComparison, margin: Double, confidence: Double
    ) -> NonInferiority {
        let points = String(format: "%.1f", margin * 100)
        let interval = paired.verdictInterval
        let settled = paired.n >= PairedComparison.minimumItems && !paired.isDegenerate
        if settled, interval.lower > -margin {
            return NonInferiority(
                margin: margin, verdict: .noWorse,
                sentence: "\(a) is no worse than \(b) by more than \(points) points (N = \(paired.n) items)")
        }
        if settled, interval.upper < -margin {
            return NonInferiority(
                margin: margin, verdict: .worse,
                sentence: "\(a) is worse than \(b) by more than \(points) points (N = \(paired.n) items)")
        }
        var why = ""
        if paired.n < PairedComparison.minimumItems {
            why = ": \(paired.n) paired items, fewer than the \(PairedComparison.minimumItems) a verdict needs"
        } else if paired.isDegenerate {
            why = ": every item's difference is the same, so the interval has no width and says nothing of the spread"
        }
        let needed = itemsNeeded(paired: paired, margin: margin, confidence: confidence).map {
            max($0, PairedComparison.minimumItems)
        }
        let hint = needed.map { "; about \($0) items would settle it if what was observed holds" } ?? ""
        return NonInferiority(
            margin: margin, verdict: .cannotTell, itemsNeeded: needed,
            sentence:
                "cannot tell whether \(a) is within \(points) points of \(b) with N = \(paired.n) items\(why)\(hint)")
    }

    /// Items that would settle a non-inferiority question. Right/wrong scores: the smallest n′ whose score interval,
    /// with the four cells scaled to n′, has its lower bound above −m or its upper bound below −m (found by doubling
    /// then bisection, up to 10⁷). Other scores: n · (z·SE ÷ (δ + m))², when δ + m > 0 and SE > 0. Nil when no
    /// number of items would (the observed difference sits on −m).
    static func itemsNeeded(paired: PairedComparison, margin: Double, confidence: Double) -> Int? {
        if let onlyA = paired.onlyA, let onlyB = paired.onlyB {
            let n = Double(paired.n)
            // Results from before the both-right count was kept split the agreeing items evenly.
            let concordant = n - Double(onlyA + onlyB)
            let bothRight = paired.bothRight.map(Double.init) ?? concordant / 2
            func settles(_ items: Double) -> Bool {
                let scale = items / n
                guard
                    let interval = PairedProportionInterval.difference(
                        bothRight: bothRight * scale, onlyA: Double(onlyA) * scale, onlyB: Double(onlyB) * scale,
                        bothWrong: (concordant - bothRight) * scale, confidence: confidence)
                else { return false }
                return interval.lower > -margin || interval.upper < -margin
            }
            var high = max(n, 2)
            while !settles(high) {
                high *= 2
                if high > 10_000_000 { return nil }
            }
            var low = high / 2
            while high - low > 1 {
                let middle = ((low + high) / 2).rounded(.down)
                if settles(middle) { high = middle } else { low = middle }
            }
            return Int(high.rounded(.up))
        }
        let z = NormalDistribution.twoSidedZ(confidence)
        let room = paired.meanDifference + margin
        guard room > 0, paired.standardError > 0 else { return nil }
        return Int((Double(paired.n) * pow(z * paired.standardError / room, 2)).rounded(.up))
    }

    /// Each item's mean score over its repeats, failed asks left out.
    static func itemScores(_ results: [EvalItemResult]) -> [String: Double] {
        Dictionary(grouping: results.filter { $0.outcome != .failed }, by: \.itemID).mapValues { group in
            group.reduce(0) { $0 + $1.score } / Double(group.count)
        }
    }

    enum CodingKeys: String, CodingKey {
        case a, b, mismatch, paired
        case pairedItems = "paired_items"
        case onlyInA = "only_in_a"
        case onlyInB = "only_in_b"
        case accuracyA = "accuracy_a"
        case accuracyB = "accuracy_b"
        case minimumDetectableDifference = "minimum_detectable_difference"
        case nonInferiority = "non_inferiority"
    }
}
