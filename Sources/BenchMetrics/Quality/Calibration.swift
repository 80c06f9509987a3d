/// How well a model's confidence matches how often it is right.
///
/// Predictions are sorted by confidence and split into equal-mass bins (HELM's choice: each bin holds n/bins
/// predictions, the first `n mod bins` one more). ECE = Σ_b (|B_b| / n) · |acc(B_b) − conf(B_b)|; the 1-bin
/// ECE is |mean confidence − accuracy|; the Brier score is the mean over items of Σ_c (p_c − y_c)² over the
/// choices. Lower is better for all three. ECE is unreliable below a few hundred items (HELM warns under 300);
/// confidences from log-likelihoods and verbalised confidences are different things and must not be compared.
public struct CalibrationSummary: Sendable, Hashable, Codable {
    public struct Bin: Sendable, Hashable, Codable {
        public var count: Int
        public var confidence: Double
        public var accuracy: Double
    }

    public var n: Int
    public var expectedCalibrationError: Double
    public var oneBinError: Double
    public var brier: Double?
    public var bins: [Bin]

    /// - Parameters:
    ///   - confidences: the probability the model gave its chosen answer, per item.
    ///   - correct: whether that answer was right, per item.
    ///   - brierTerms: Σ_c (p_c − y_c)² per item, when the whole distribution is known.
    /// - Returns: nil without items or with mismatched lengths.
    public init?(confidences: [Double], correct: [Bool], brierTerms: [Double]? = nil, binCount: Int = 10) {
        guard !confidences.isEmpty, confidences.count == correct.count, binCount > 0,
            brierTerms.map({ $0.count == confidences.count }) ?? true
        else { return nil }
        let n = confidences.count
        self.n = n
        let sorted = zip(confidences, correct).sorted { $0.0 < $1.0 }
        let binTotal = min(binCount, n)
        var bins: [Bin] = []
        var start = 0
        for index in 0..<binTotal {
            let size = n / binTotal + (index < n % binTotal ? 1 : 0)
            let members = sorted[start..<(start + size)]
            start += size
            bins.append(
                Bin(
                    count: size, confidence: members.reduce(0) { $0 + $1.0 } / Double(size),
                    accuracy: Double(members.filter(\.1).count) / Double(size)))
        }
        self.bins = bins
        expectedCalibrationError = bins.reduce(0) {
            $0 + Double($1.count) / Double(n) * abs($1.accuracy - $1.confidence)
        }
        let meanConfidence = confidences.reduce(0, +) / Double(n)
        let accuracy = Double(correct.filter { $0 }.count) / Double(n)
        oneBinError = abs(meanConfidence - accuracy)
        brier = brierTerms.map { $0.reduce(0, +) / Double(n) }
    }

    enum CodingKeys: String, CodingKey {
        case n, brier, bins
        case expectedCalibrationError = "ece"
        case oneBinError = "ece_1bin"
    }
}
