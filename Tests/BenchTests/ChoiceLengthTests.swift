import BenchCore
import BenchEval
import Testing

/// acc_norm divides a choice's log-likelihood by the characters of the choice itself, not of the delimiter put
/// before it, as lm-evaluation-harness does.
@Suite struct ChoiceLengthTests {
    /// One token per character, each with ln p = −1: a continuation's Σ ln p is minus its length.
    struct CharacterModel: LikelihoodModel {
        let method = "test"

        func tokenize(_ text: String, addSpecial: Bool) async throws -> [Int] {
            text.unicodeScalars.map { Int($0.value) }
        }

        func score(context: [Int], continuation: [Int]) async throws -> [TokenLogprob] {
            continuation.map { TokenLogprob(token: $0, logprob: -1, isTop: false) }
        }
    }

    @Test func accNormCountsTheChoiceWithoutItsDelimiter() async throws {
        let scores = try await LikelihoodScoring.choices(
            CharacterModel(), context: "Q:", choices: ["ab", "abcd"], delimiter: " ")
        // " ab" and " abcd" scored: −3 and −5. Per character of the choice: −1.5 and −1.25 → the second.
        // (Divided by the delimited text, −1 and −1, the tie would go to the first.)
        #expect(scores.logprobs == [-3, -5])
        #expect(scores.characters == [2, 4])
        #expect(scores.predicted == 0 && scores.predictedNormalized == 1)
    }
}
