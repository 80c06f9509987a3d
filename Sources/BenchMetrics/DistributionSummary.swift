/// Summary of a distribution: count, mean, sample standard deviation, min, max and p50/p90/p95/p99.
///
/// - Mean: Σx / n.
/// - Standard deviation: the sample (Bessel-corrected) form √(Σ(x − mean)² / (n − 1)); 0 when n = 1.
/// - Percentiles: ``Percentile/linear(sorted:p:)`` (Hyndman & Fan type 7).
/// Every statistic is nil when there are no values.
public struct DistributionSummary: Sendable, Hashable, Codable {
    public var count: Int
    public var mean: Double?
    public var stdev: Double?
    public var min: Double?
    public var max: Double?
    public var p50: Double?
    public var p90: Double?
    public var p95: Double?
    public var p99: Double?

    public init(_ values: [Double]) {
        let sorted = values.sorted()
        count = sorted.count
        guard let first = sorted.first, let last = sorted.last else { return }
        let mean = sorted.reduce(0, +) / Double(sorted.count)
        let squares = sorted.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        self.mean = mean
        stdev = sorted.count > 1 ? (squares / Double(sorted.count - 1)).squareRoot() : 0
        min = first
        max = last
        p50 = Percentile.linear(sorted: sorted, p: 50)
        p90 = Percentile.linear(sorted: sorted, p: 90)
        p95 = Percentile.linear(sorted: sorted, p: 95)
        p99 = Percentile.linear(sorted: sorted, p: 99)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(count, forKey: .count)
        try c.encode(mean, forKey: .mean)
        try c.encode(stdev, forKey: .stdev)
        try c.encode(min, forKey: .min)
        try c.encode(max, forKey: .max)
        try c.encode(p50, forKey: .p50)
        try c.encode(p90, forKey: .p90)
        try c.encode(p95, forKey: .p95)
        try c.encode(p99, forKey: .p99)
    }
}
