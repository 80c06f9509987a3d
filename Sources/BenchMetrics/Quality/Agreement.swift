/// How far two raters (judges, detectors) agree on the same items, beyond what chance would give.
///
/// Observed agreement p_o = share of items both label the same; chance agreement p_e = Σ_c p_A(c)·p_B(c) from each
/// rater's own label frequencies; Cohen's κ = (p_o − p_e) / (1 − p_e) — 1 is perfect agreement, 0 is chance level,
/// below 0 worse than chance. κ is undefined (nil) when p_e = 1, i.e. both raters give one and the same label to
/// everything.
public struct RaterAgreement: Sendable, Hashable, Codable {
    public var n: Int
    public var observed: Double
    public var expected: Double
    public var kappa: Double?

    /// Nil without items or with lists of different lengths.
    public init?(_ a: [String], _ b: [String]) {
        guard !a.isEmpty, a.count == b.count else { return nil }
        let count = Double(a.count)
        let observed = Double(zip(a, b).filter { $0 == $1 }.count) / count
        let expected = Set(a).union(b).reduce(0.0) { sum, label in
            sum + Double(a.filter { $0 == label }.count) / count * Double(b.filter { $0 == label }.count) / count
        }
        n = a.count
        self.observed = observed
        self.expected = expected
        kappa = expected < 1 ? (observed - expected) / (1 - expected) : nil
    }
}
