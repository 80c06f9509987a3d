import Foundation

/// The confidence interval of the difference of two accuracies measured on the same items, from the 2 × 2 table of
/// right/wrong pairs: `bothRight`, `onlyA` (A right, B wrong), `onlyB`, `bothWrong`; n their sum.
///
/// Newcombe's hybrid score interval (Newcombe 1998, method 10). With p₁ = (bothRight + onlyA)/n, p₂ =
/// (bothRight + onlyB)/n, their Wilson intervals [l₁, u₁] and [l₂, u₂], and the correlation of the pairs
/// φ = max(AD − BC − n/2, 0) ÷ √((A+B)(C+D)(A+C)(B+D)) when AD > BC, else (AD − BC) ÷ √(…) (0 when a margin is
/// empty; A … D the four cells in the order above):
///
///     δ = p₁ − p₂
///     L = δ − √((p₁ − l₁)² − 2φ(p₁ − l₁)(u₂ − p₂) + (u₂ − p₂)²)
///     U = δ + √((u₁ − p₁)² − 2φ(u₁ − p₁)(p₂ − l₂) + (p₂ − l₂)²)
///
/// Unlike δ ± z·SE it does not collapse to a point when every pair agrees: two models both wrong on 2 items give
/// about ±66 points, not [0, 0].
public enum PairedProportionInterval {
    /// The interval of p₁ − p₂; nil without items.
    public static func difference(
        bothRight: Double, onlyA: Double, onlyB: Double, bothWrong: Double, confidence: Double = 0.95
    ) -> Interval? {
        let n = bothRight + onlyA + onlyB + bothWrong
        guard n > 0 else { return nil }
        let (a, b, c, d) = (bothRight, onlyA, onlyB, bothWrong)
        let p1 = (a + b) / n
        let p2 = (a + c) / n
        let first = ProportionInterval.wilson(successes: a + b, trials: n, confidence: confidence)
        let second = ProportionInterval.wilson(successes: a + c, trials: n, confidence: confidence)
        let margins = (a + b) * (c + d) * (a + c) * (b + d)
        var phi = 0.0
        if margins > 0 {
            let cross = a * d - b * c
            phi = (cross > 0 ? max(cross - n / 2, 0) : cross) / margins.squareRoot()
        }
        let delta = p1 - p2
        let (below1, above1) = (p1 - first.lower, first.upper - p1)
        let (below2, above2) = (p2 - second.lower, second.upper - p2)
        let lower = delta - max(0, below1 * below1 - 2 * phi * below1 * above2 + above2 * above2).squareRoot()
        let upper = delta + max(0, above1 * above1 - 2 * phi * above1 * below2 + below2 * below2).squareRoot()
        return Interval(lower: max(-1, lower), upper: min(1, upper), confidence: confidence)
    }
}
