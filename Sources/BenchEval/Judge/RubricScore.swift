public import BenchCore
import Foundation

/// G-Eval's probability-weighted rubric score: with the judge's log-probabilities at the token where it wrote its
/// score, score = Σ s·p(s) / Σ p(s) over the scale's labels s among the listed alternatives (p = e^logprob; the
/// same digit with and without a leading space counts once, summed). It separates answers the plain integer score
/// ties, and shows how sure the judge was. `mass` = Σ p(s): the probability the listed alternatives give the scale.
public struct RubricScore: Sendable, Hashable, Codable {
    public var score: Double
    public var mass: Double

    /// The weighted score, or nil when the log-probabilities cannot give it: none sent, the score's characters not
    /// one token of their own, or no label among the alternatives. Scales with labels longer than one character
    /// (1–10) are not weighted: "10" is two tokens for most tokenizers.
    public init?(reply: String, scoreRange: Range<String.Index>, tokens: [GeneratedTokenLogprob], scale: [Int]) {
        guard !tokens.isEmpty, scale.allSatisfy({ (0...9).contains($0) }) else { return nil }
        let offset = reply.utf8.distance(from: reply.startIndex, to: scoreRange.lowerBound)
        // The token whose bytes cover the score's first byte (the reply is the tokens' text, in order).
        var start = 0
        var covering: GeneratedTokenLogprob?
        for token in tokens {
            let end = start + token.token.utf8.count
            if start <= offset && offset < end {
                covering = token
                break
            }
            start = end
        }
        guard let position = covering, Int(position.token.trimmingCharacters(in: .whitespaces)) != nil else {
            return nil
        }
        var probability: [Int: Double] = [:]
        for alternative in position.top {
            guard let label = Int(alternative.token.trimmingCharacters(in: .whitespaces)), scale.contains(label)
            else { continue }
            probability[label, default: 0] += exp(alternative.logprob)
        }
        let mass = probability.values.reduce(0, +)
        guard mass > 0 else { return nil }
        score = probability.reduce(0) { $0 + Double($1.key) * $1.value } / mass
        self.mass = mass
    }
}
