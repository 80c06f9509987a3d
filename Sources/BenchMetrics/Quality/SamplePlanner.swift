import Foundation

/// How many items a comparison needs, and what it can detect, at significance α (two-sided) and power 1 − β:
/// with k = z_{1−α/2} + z_{1−β} (2.80 for α = 0.05, power 0.8),
/// - paired (both models on the same items), where `discordance` is the share of items exactly one model gets right:
///   minimum detectable difference δ = k·√(discordance/N), and N = k²·discordance/δ² items to detect δ;
/// - unpaired, at accuracy p: δ = k·√(2p(1 − p)/N).
public enum SamplePlanner {
    public static func multiplier(alpha: Double = 0.05, power: Double = 0.8) -> Double {
        NormalDistribution.quantile(1 - alpha / 2) + NormalDistribution.quantile(power)
    }

    public static func pairedMinimumDetectableDifference(
        items: Int, discordance: Double, alpha: Double = 0.05, power: Double = 0.8
    ) -> Double {
        multiplier(alpha: alpha, power: power) * (discordance / Double(items)).squareRoot()
    }

    public static func unpairedMinimumDetectableDifference(
        items: Int, accuracy: Double, alpha: Double = 0.05, power: Double = 0.8
    ) -> Double {
        multiplier(alpha: alpha, power: power) * (2 * accuracy * (1 - accuracy) / Double(items)).squareRoot()
    }

    /// Items needed for a paired comparison to detect `difference`, rounded up.
    public static func pairedItemsNeeded(
        difference: Double, discordance: Double, alpha: Double = 0.05, power: Double = 0.8
    ) -> Int {
        let k = multiplier(alpha: alpha, power: power)
        return Int((k * k * discordance / (difference * difference)).rounded(.up))
    }

    /// Items needed per model for an unpaired comparison (different items per model) at accuracy `accuracy` to
    /// detect `difference`: N = k²·2p(1 − p)/δ², rounded up.
    public static func unpairedItemsNeeded(
        difference: Double, accuracy: Double, alpha: Double = 0.05, power: Double = 0.8
    ) -> Int {
        let k = multiplier(alpha: alpha, power: power)
        return Int((k * k * 2 * accuracy * (1 - accuracy) / (difference * difference)).rounded(.up))
    }
}

/// Adjusted p-values when several comparisons are made at once.
public enum MultipleComparisons {
    /// Holm's step-down adjustment (controls the family-wise error rate): the i-th smallest of m p-values becomes
    /// max over j ≤ i of (m − j + 1)·p₍ⱼ₎, capped at 1. Returned in the input order.
    public static func holm(_ pValues: [Double]) -> [Double] {
        let m = pValues.count
        let order = pValues.indices.sorted { pValues[$0] < pValues[$1] }
        var adjusted = Array(repeating: 0.0, count: m)
        var running = 0.0
        for (rank, index) in order.enumerated() {
            running = max(running, min(1, Double(m - rank) * pValues[index]))
            adjusted[index] = running
        }
        return adjusted
    }

    /// Benjamini–Hochberg (controls the false discovery rate): the i-th smallest becomes min over j ≥ i of
    /// m·p₍ⱼ₎/j, capped at 1. Returned in the input order.
    public static func benjaminiHochberg(_ pValues: [Double]) -> [Double] {
        let m = pValues.count
        let order = pValues.indices.sorted { pValues[$0] < pValues[$1] }
        var adjusted = Array(repeating: 0.0, count: m)
        var running = 1.0
        for (rank, index) in order.enumerated().reversed() {
            running = min(running, Double(m) * pValues[index] / Double(rank + 1))
            adjusted[index] = running
        }
        return adjusted
    }
}
