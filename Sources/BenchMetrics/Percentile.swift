/// Percentiles by linear interpolation between closest ranks: Hyndman & Fan type 7, the default of NumPy's
/// `percentile`, R's `quantile` and Excel's `PERCENTILE.INC`.
///
/// For sorted values x₀ … xₙ₋₁ and p in [0, 100]: h = (n − 1)·p/100, and the percentile is
/// x⌊h⌋ + (h − ⌊h⌋)·(x⌊h⌋₊₁ − x⌊h⌋).
public enum Percentile {
    /// The p-th percentile of already sorted values, or nil when there are none.
    public static func linear(sorted values: [Double], p: Double) -> Double? {
        guard !values.isEmpty else { return nil }
        precondition((0...100).contains(p), "percentile must be in 0...100")
        let h = Double(values.count - 1) * p / 100
        let lower = Int(h.rounded(.down))
        let upper = min(lower + 1, values.count - 1)
        return values[lower] + (h - Double(lower)) * (values[upper] - values[lower])
    }
}
