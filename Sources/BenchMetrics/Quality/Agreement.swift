/// How far two raters (judges, detectors) agree on the same items, beyond what chance would give.
///
/// Observed agreement p_o = share of items both label the same; chance agreement p_e = Σ_c p_A(c)·p_B(c) from each
/// rater's own label frequencies; Cohen's κ = (p_o − p_e) / (1 − p_e) — 1 is perfect agreement, 0 is chance level,
/// below 0 worse than chance. κ is undefined (nil) when p_e = 1, i.e. both raters give one and the same label to
/// everything.
public struct RaterAgreement: Sendable, Hashable, Codable {
    /// Items both raters labelled.
    public var n: Int
    /// p_o, the share labelled alike.
    public var observed: Double
    /// p_e, the share chance would label alike.
    public var expected: Double
    /// Cohen's κ; nil when p_e = 1.
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

/// Krippendorff's α: agreement among any number of raters on the same units, missing ratings allowed.
///
/// From the coincidence matrix: each unit u with m_u ≥ 2 ratings adds 1/(m_u − 1) for every ordered pair of its
/// ratings (c, k) to o_ck; n_c = Σ_k o_ck and n = Σ_c n_c. Then α = 1 − (n − 1)·Σ_{c,k} o_ck·δ²(c,k) ÷
/// Σ_{c,k} n_c·n_k·δ²(c,k), with δ² = [c ≠ k] for nominal labels and (c − k)² for interval values. 1 is perfect
/// agreement, 0 chance level; nil when fewer than two ratings are pairable or every rating is the same value.
public enum KrippendorffAlpha {
    /// The distance between two ratings.
    public enum Level: String, Sendable, Hashable, Codable {
        case nominal, interval
    }

    /// `units[u][r]` is rater r's label for unit u, nil when missing. Interval level needs labels that are numbers.
    public static func alpha(_ units: [[String?]], level: Level = .nominal) -> Double? {
        var coincidence: [String: [String: Double]] = [:]
        for unit in units {
            let values = unit.compactMap { $0 }
            guard values.count >= 2 else { continue }
            let weight = 1 / Double(values.count - 1)
            for (i, c) in values.enumerated() {
                for (j, k) in values.enumerated() where i != j {
                    coincidence[c, default: [:]][k, default: 0] += weight
                }
            }
        }
        let totals = coincidence.mapValues { $0.values.reduce(0, +) }
        let n = totals.values.reduce(0, +)
        func distance(_ c: String, _ k: String) -> Double? {
            switch level {
            case .nominal: return c == k ? 0 : 1
            case .interval:
                guard let a = Double(c), let b = Double(k) else { return nil }
                return (a - b) * (a - b)
            }
        }
        var observed = 0.0
        var expected = 0.0
        for (c, row) in coincidence {
            for (k, count) in row {
                guard let d = distance(c, k) else { return nil }
                observed += count * d
            }
            for (k, total) in totals {
                guard let d = distance(c, k) else { return nil }
                expected += totals[c, default: 0] * total * d
            }
        }
        guard n > 1, expected > 0 else { return nil }
        return 1 - (n - 1) * observed / expected
    }
}
