import Foundation

/// A proportion's confidence interval.
public enum ProportionInterval {
    /// The Wilson score interval of `successes` in `trials`:
    /// centre = (p̂ + z²/2n) ÷ (1 + z²/n), half-width = z ÷ (1 + z²/n) · √(p̂(1 − p̂)/n + z²/4n²).
    /// Unlike p̂ ± z·SE it stays inside [0, 1] and does not collapse to a point at 0 or n successes.
    /// Nil without trials.
    public static func wilson(successes: Int, trials: Int, confidence: Double = 0.95) -> Interval? {
        guard trials > 0, successes >= 0, successes <= trials else { return nil }
        return wilson(successes: Double(successes), trials: Double(trials), confidence: confidence)
    }

    /// ``wilson(successes:trials:confidence:)`` for counts that need not be whole (observed shares scaled to another
    /// number of trials, as when asking how many items would settle a comparison).
    static func wilson(successes: Double, trials n: Double, confidence: Double) -> Interval {
        let p = successes / n
        let z = NormalDistribution.twoSidedZ(confidence)
        let z2 = z * z
        let denominator = 1 + z2 / n
        let centre = (p + z2 / (2 * n)) / denominator
        let half = z / denominator * (p * (1 - p) / n + z2 / (4 * n * n)).squareRoot()
        // At 0 or n successes the bound is exactly 0 or 1 (the two terms cancel, up to rounding).
        return Interval(
            lower: successes <= 0 ? 0 : max(0, centre - half), upper: successes >= n ? 1 : min(1, centre + half),
            confidence: confidence)
    }

    /// The "rule of three": with no event in `trials`, the rate is below ≈ 3 ÷ n at 95 % (exactly 1 − 0.05^(1/n),
    /// which this returns).
    public static func upperBoundWithNoEvents(trials: Int, confidence: Double = 0.95) -> Double? {
        guard trials > 0 else { return nil }
        return 1 - pow(1 - confidence, 1 / Double(trials))
    }
}

/// The mean of per-item scores with its standard error and interval.
///
/// SE = √(Σ(sᵢ − s̄)² ÷ (n(n − 1))). When items share a cluster (several questions on one passage), the clustered
/// SE² = SE² + (1/n²) Σ_c Σ_{i≠j∈c} (sᵢ − s̄)(sⱼ − s̄) is used instead, since ignoring the correlation makes
/// intervals too narrow. The interval is s̄ ± z·SE.
public struct ScoreEstimate: Sendable, Hashable, Codable {
    public var n: Int
    public var mean: Double
    public var standardError: Double
    /// Clusters, when the items were clustered.
    public var clusters: Int?
    public var interval: Interval

    /// Nil with fewer than two scores; `clusters`, when given, has one key per score.
    public init?(scores: [Double], clusters: [String]? = nil, confidence: Double = 0.95) {
        guard scores.count >= 2, clusters.map({ $0.count == scores.count }) ?? true else { return nil }
        let n = Double(scores.count)
        let mean = scores.reduce(0, +) / n
        let residuals = scores.map { $0 - mean }
        var variance = residuals.reduce(0) { $0 + $1 * $1 } / (n * (n - 1))
        if let clusters {
            var sums: [String: Double] = [:]
            var squares: [String: Double] = [:]
            for (key, residual) in zip(clusters, residuals) {
                sums[key, default: 0] += residual
                squares[key, default: 0] += residual * residual
            }
            // Σ_{i≠j} rᵢrⱼ within a cluster = (Σ rᵢ)² − Σ rᵢ².
            let crossTerms = sums.keys.reduce(0.0) { $0 + sums[$1]! * sums[$1]! - squares[$1]! }
            variance += crossTerms / (n * n)
            self.clusters = sums.count
        }
        self.n = scores.count
        self.mean = mean
        standardError = max(0, variance).squareRoot()
        let z = NormalDistribution.twoSidedZ(confidence)
        interval = Interval(lower: mean - z * standardError, upper: mean + z * standardError, confidence: confidence)
    }

    enum CodingKeys: String, CodingKey {
        case n, mean, clusters, interval
        case standardError = "standard_error"
        /// How results written by earlier versions spelled `standard_error`.
        case legacyStandardError = "standardError"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        n = try container.decode(Int.self, forKey: .n)
        mean = try container.decode(Double.self, forKey: .mean)
        clusters = try container.decodeIfPresent(Int.self, forKey: .clusters)
        interval = try container.decode(Interval.self, forKey: .interval)
        standardError =
            try container.decodeIfPresent(Double.self, forKey: .standardError)
            ?? container.decode(Double.self, forKey: .legacyStandardError)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(n, forKey: .n)
        try container.encode(mean, forKey: .mean)
        try container.encodeIfPresent(clusters, forKey: .clusters)
        try container.encode(interval, forKey: .interval)
        try container.encode(standardError, forKey: .standardError)
    }
}
