import BenchCore
import Foundation

/// McNemar's test of two models scored right/wrong on the same items, from the discordant pairs: b = items only A
/// got right, c = items only B got right.
public enum McNemar {
    /// The exact two-sided p-value: 2 · P(X ≤ min(b, c)) for X ~ Binomial(b + c, ½), at most 1 (1 when b + c = 0).
    public static func exactPValue(b: Int, c: Int) -> Double {
        let n = b + c
        guard n > 0 else { return 1 }
        let k = min(b, c)
        // Σ_{i≤k} C(n, i) / 2ⁿ, in logs to stay finite for large n.
        var total = 0.0
        for i in 0...k {
            total += exp(logChoose(n, i) - Double(n) * log(2))
        }
        return min(1, 2 * total)
    }

    /// The χ² statistic with continuity correction, (|b − c| − 1)² ÷ (b + c), and its p-value on 1 degree of freedom;
    /// nil when b + c = 0.
    public static func chiSquare(b: Int, c: Int) -> (statistic: Double, pValue: Double)? {
        guard b + c > 0 else { return nil }
        let difference = max(0, Double(abs(b - c)) - 1)
        let statistic = difference * difference / Double(b + c)
        return (statistic, erfc((statistic / 2).squareRoot()))
    }

    /// Fewer discordant pairs than this can never reach p < 0.05: the smallest exact two-sided p with k discordant
    /// pairs is 2 · ½ᵏ, 0.0625 at k = 5 and 0.031 at k = 6.
    public static let minimumDiscordant = 6

    static func logChoose(_ n: Int, _ k: Int) -> Double {
        lgamma(Double(n + 1)) - lgamma(Double(k + 1)) - lgamma(Double(n - k + 1))
    }
}

/// Two models scored on the same items: the per-item differences dᵢ = aᵢ − bᵢ, their mean with SE = SD(d)/√n and
/// a normal interval, a paired bootstrap interval (resampling items, or whole clusters), and for right/wrong
/// scores the discordant counts with McNemar's exact p-value and Newcombe's score interval
/// (``PairedProportionInterval``), which is the one a verdict rests on (``verdictInterval``).
public struct PairedComparison: Sendable, Hashable, Codable {
    /// A verdict on fewer paired items than this is "cannot tell", whatever its interval says: an interval from a
    /// handful of items describes the handful.
    public static let minimumItems = 10

    public var n: Int
    public var meanDifference: Double
    public var standardError: Double
    public var interval: Interval
    public var bootstrapInterval: Interval
    /// Items only A got right, only B, and both (right/wrong scores only; `bothRight` nil in results from before it).
    public var onlyA: Int?
    public var onlyB: Int?
    public var bothRight: Int?
    /// McNemar's exact p-value (right/wrong scores only).
    public var mcnemarP: Double?
    /// Newcombe's score interval of the difference (right/wrong scores only; nil in results from before it).
    public var scoreInterval: Interval?

    /// The interval verdicts rest on: the score interval for right/wrong scores, else the normal one.
    public var verdictInterval: Interval { scoreInterval ?? interval }
    /// Whether the interval has no width: every item's difference is the same, so it measures nothing of the spread.
    public var isDegenerate: Bool { verdictInterval.upper - verdictInterval.lower <= 1e-12 }

    /// Nil unless both lists have the same length of at least 2.
    public init?(
        a: [Double], b: [Double], clusters: [String]? = nil, confidence: Double = 0.95, resamples: Int = 2_000,
        seed: UInt64 = 0
    ) {
        guard a.count == b.count, a.count >= 2 else { return nil }
        let differences = zip(a, b).map { $0 - $1 }
        guard let estimate = ScoreEstimate(scores: differences, clusters: clusters, confidence: confidence) else {
            return nil
        }
        n = a.count
        meanDifference = estimate.mean
        standardError = estimate.standardError
        interval = estimate.interval
        bootstrapInterval = Bootstrap.percentileInterval(
            differences, clusters: clusters, resamples: resamples, confidence: confidence, seed: seed)
        let binary = (a + b).allSatisfy { $0 == 0 || $0 == 1 }
        if binary {
            let onlyA = zip(a, b).filter { $0 == 1 && $1 == 0 }.count
            let onlyB = zip(a, b).filter { $0 == 0 && $1 == 1 }.count
            self.onlyA = onlyA
            self.onlyB = onlyB
            mcnemarP = McNemar.exactPValue(b: onlyA, c: onlyB)
            let bothRight = zip(a, b).filter { $0 == 1 && $1 == 1 }.count
            self.bothRight = bothRight
            scoreInterval = PairedProportionInterval.difference(
                bothRight: Double(bothRight), onlyA: Double(onlyA), onlyB: Double(onlyB),
                bothWrong: Double(a.count - bothRight - onlyA - onlyB), confidence: confidence)
        }
    }

    enum CodingKeys: String, CodingKey {
        case n, interval
        case meanDifference = "mean_difference"
        case standardError = "standard_error"
        case bootstrapInterval = "bootstrap_interval"
        case onlyA = "only_a"
        case onlyB = "only_b"
        case bothRight = "both_right"
        case mcnemarP = "mcnemar_p"
        case scoreInterval = "score_interval"
    }
}

/// The percentile bootstrap of a mean, resampling items (or whole clusters) with replacement from a seeded
/// generator, so the same data and seed give the same interval.
public enum Bootstrap {
    public static func percentileInterval(
        _ values: [Double], clusters: [String]? = nil, resamples: Int = 2_000, confidence: Double = 0.95,
        seed: UInt64 = 0
    ) -> Interval {
        let groups: [[Double]]
        if let clusters, clusters.count == values.count {
            let keys = Array(Set(clusters)).sorted()
            let index = Dictionary(uniqueKeysWithValues: keys.enumerated().map { ($1, $0) })
            var grouped = Array(repeating: [Double](), count: keys.count)
            for (key, value) in zip(clusters, values) { grouped[index[key]!].append(value) }
            groups = grouped
        } else {
            groups = values.map { [$0] }
        }
        var generator = SeededRandom(seed: seed)
        var means: [Double] = []
        means.reserveCapacity(resamples)
        for _ in 0..<resamples {
            var sum = 0.0
            var count = 0
            for _ in 0..<groups.count {
                let group = groups[Int(generator.next() % UInt64(groups.count))]
                sum += group.reduce(0, +)
                count += group.count
            }
            means.append(sum / Double(max(1, count)))
        }
        means.sort()
        let alpha = (1 - confidence) / 2
        return Interval(
            lower: Percentile.linear(sorted: means, p: alpha * 100) ?? .nan,
            upper: Percentile.linear(sorted: means, p: (1 - alpha) * 100) ?? .nan, confidence: confidence)
    }
}
