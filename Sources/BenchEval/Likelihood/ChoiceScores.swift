import Foundation

/// The log-likelihood a model gives each answer choice after the same context, and what follows from it.
///
/// - acc: the choice with the highest Σ ln p is the prediction;
/// - acc_norm: the highest Σ ln p ÷ characters of the choice, its delimiter (the space before it) not counted
///   (lm-eval's length normalisation, which removes the bias towards short choices);
/// - probabilities: softmax over the choices' Σ ln p — the model's confidence for calibration;
/// - MC2 (TruthfulQA): the share of that probability on the true choices.
public struct ChoiceScores: Sendable, Hashable, Codable {
    public var logprobs: [Double]
    public var characters: [Int]
    /// Whether each choice is what greedy decoding would have written, token for token.
    public var greedy: [Bool]

    public init(logprobs: [Double], characters: [Int], greedy: [Bool]) {
        self.logprobs = logprobs
        self.characters = characters
        self.greedy = greedy
    }

    public var predicted: Int { Self.argmax(logprobs) }

    public var predictedNormalized: Int {
        Self.argmax(zip(logprobs, characters).map { $0 / Double(max(1, $1)) })
    }

    /// softmax(logprobs), computed stably.
    public var probabilities: [Double] {
        guard let top = logprobs.max() else { return [] }
        let weights = logprobs.map { exp($0 - top) }
        let total = weights.reduce(0, +)
        return weights.map { $0 / total }
    }

    /// Σ over true choices of their probability.
    public func trueShare(_ gold: Set<Int>) -> Double {
        zip(probabilities.indices, probabilities).reduce(0) { gold.contains($1.0) ? $0 + $1.1 : $0 }
    }

    /// Σ_c (p_c − y_c)², with y_c = 1 for the true choices.
    public func brierTerm(_ gold: Set<Int>) -> Double {
        probabilities.enumerated().reduce(0) { sum, entry in
            let target = gold.contains(entry.offset) ? 1.0 : 0.0
            return sum + (entry.element - target) * (entry.element - target)
        }
    }

    static func argmax(_ values: [Double]) -> Int {
        values.indices.max { values[$0] < values[$1] || (values[$0] == values[$1] && $0 > $1) } ?? 0
    }

    enum CodingKeys: String, CodingKey {
        case logprobs, characters, greedy
    }
}
