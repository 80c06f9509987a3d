public import BenchCore
import Foundation

/// Two targets timed on the same prompts, sent in turn in a random order within each round (``InterleavedRun`` in
/// BenchApp), so that both meet the same network and time of day: per round i where both succeeded,
/// dᵢ = metric(A)ᵢ − metric(B)ᵢ. Pairing removes the prompt-to-prompt spread that unpaired comparisons of two
/// runs carry, so a smaller difference is resolved with the same number of requests.
public struct PairedSpeedComparison: Sendable, Hashable, Codable {
    /// The two targets' names: differences are A − B.
    public var a: String
    public var b: String
    /// Rounds where both requests succeeded.
    public var pairs: Int
    /// Rounds where A's request was sent first (the order is random; about half is the sign of a fair draw).
    public var aFirst: Int
    /// Time to first token, milliseconds (nil with fewer than two pairs).
    public var ttftMs: PairedSpeedMetric?
    /// End-to-end latency, milliseconds.
    public var e2eMs: PairedSpeedMetric?
    /// Decode speed, tokens per second (higher is better).
    public var decodeTps: PairedSpeedMetric?

    /// - Parameter rounds: per round, A's record and B's record (either may be missing or failed: the round is
    ///   then left out).
    public init(a: String, b: String, rounds: [(a: RequestRecord?, b: RequestRecord?)], seed: UInt64 = 0) {
        self.a = a
        self.b = b
        let both = rounds.compactMap { round -> (RequestRecord, RequestRecord)? in
            guard let x = round.a, let y = round.b, x.outcome == .success, y.outcome == .success else { return nil }
            return (x, y)
        }
        pairs = both.count
        aFirst = both.filter { ($0.0.dispatchedAt ?? .zero) < ($0.1.dispatchedAt ?? .zero) }.count
        func metric(_ value: (RequestRecord) -> Double?, lowerIsBetter: Bool) -> PairedSpeedMetric? {
            let values = both.compactMap { x, y in value(x).flatMap { vx in value(y).map { (vx, $0) } } }
            return PairedSpeedMetric(
                a: values.map(\.0), b: values.map(\.1), lowerIsBetter: lowerIsBetter, seed: seed)
        }
        ttftMs = metric({ $0.timeToFirstToken?.milliseconds }, lowerIsBetter: true)
        e2eMs = metric({ $0.endToEndLatency?.milliseconds }, lowerIsBetter: true)
        decodeTps = metric({ $0.decodeTokensPerSecond }, lowerIsBetter: false)
    }

    enum CodingKeys: String, CodingKey {
        case a, b, pairs
        case aFirst = "a_first"
        case ttftMs = "ttft_ms"
        case e2eMs = "e2e_ms"
        case decodeTps = "decode_tps"
    }
}

/// One metric of a paired speed comparison.
public struct PairedSpeedMetric: Sendable, Hashable, Codable {
    /// The mean of each side over the pairs.
    public var meanA: Double
    public var meanB: Double
    /// Mean of dᵢ = aᵢ − bᵢ with its normal interval (SE = SD(d)/√n) and its seeded percentile-bootstrap interval.
    public var difference: PairedComparison
    /// Median of dᵢ.
    public var medianDifference: Double
    /// Share of pairs where A did better (lower latency, or higher speed); ties count half.
    public var aBetterShare: Double
    /// Which did better, by the normal interval of the mean difference: A when the interval lies wholly on A's
    /// better side of 0, B when wholly on the other, else `cannotTell` — also with fewer than
    /// ``PairedComparison/minimumItems`` pairs or a degenerate interval. Nil in summaries from before it.
    public var verdict: PairedVerdict?
    /// With `cannotTell`: about how many pairs would settle it if the observed mean difference and spread hold,
    /// n · (z·SE ÷ |mean d|)² (at least the minimum); nil when the mean difference is 0 or has no spread.
    public var pairsNeeded: Int?

    /// Nil with fewer than two pairs.
    public init?(a: [Double], b: [Double], lowerIsBetter: Bool, seed: UInt64 = 0) {
        guard let difference = PairedComparison(a: a, b: b, seed: seed) else { return nil }
        self.difference = difference
        meanA = a.reduce(0, +) / Double(a.count)
        meanB = b.reduce(0, +) / Double(b.count)
        medianDifference = Percentile.linear(sorted: zip(a, b).map { $0 - $1 }.sorted(), p: 50) ?? 0
        let better = zip(a, b).reduce(0.0) { total, pair in
            if pair.0 == pair.1 { return total + 0.5 }
            return total + ((pair.0 < pair.1) == lowerIsBetter ? 1 : 0)
        }
        aBetterShare = better / Double(a.count)
        let interval = difference.interval
        let settled = difference.n >= PairedComparison.minimumItems && !difference.isDegenerate
        if settled, interval.lower > 0 || interval.upper < 0 {
            verdict = (interval.upper < 0) == lowerIsBetter ? .aBetter : .bBetter
        } else {
            verdict = .cannotTell
            let z = NormalDistribution.twoSidedZ(interval.confidence)
            if difference.meanDifference != 0, difference.standardError > 0 {
                let needed =
                    Double(difference.n) * pow(z * difference.standardError / abs(difference.meanDifference), 2)
                pairsNeeded = max(PairedComparison.minimumItems, Int(needed.rounded(.up)))
            }
        }
    }

    enum CodingKeys: String, CodingKey {
        case meanA = "mean_a"
        case meanB = "mean_b"
        case difference
        case medianDifference = "median_difference"
        case aBetterShare = "a_better_share"
        case verdict
        case pairsNeeded = "pairs_needed"
    }
}

/// The verdict of a paired comparison of two targets.
public enum PairedVerdict: String, Sendable, Hashable, Codable {
    case aBetter = "a_better"
    case bBetter = "b_better"
    case cannotTell = "cannot_tell"
}
