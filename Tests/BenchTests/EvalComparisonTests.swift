import BenchEngine
import BenchProviders
import BenchEval
import BenchMetrics
import Foundation
import Testing

@Suite struct EvalComparisonTests {
    static func results(_ scores: [Int], offset: Int = 0) -> [EvalItemResult] {
        scores.enumerated().map { index, score in
            EvalItemResult(
                itemID: String(format: "q%03d", index + offset), repeatIndex: 0,
                outcome: score == 1 ? .correct : .incorrect, score: Double(score))
        }
    }

    static func compare(_ a: [EvalItemResult], _ b: [EvalItemResult], margin: Double = 0.02) -> EvalComparison {
        EvalComparison(
            a: "A", summaryA: EvalSummary(task: "t", results: a), resultsA: a, b: "B",
            summaryB: EvalSummary(task: "t", results: b), resultsB: b, margin: margin)
    }

    @Test func pairedItemsGiveTheDifferenceAndMcNemar() throws {
        // A right on 8 of 10, B on 5 of the same: 3 discordant, all for A.
        let a = Self.results([1, 1, 1, 1, 1, 1, 1, 1, 0, 0])
        let b = Self.results([1, 1, 1, 1, 1, 0, 0, 0, 0, 0]) + Self.results([1], offset: 50)
        let comparison = Self.compare(a, b)
        #expect(comparison.mismatch == nil)
        #expect(comparison.pairedItems == 10 && comparison.onlyInA == 0 && comparison.onlyInB == 1)
        let paired = try #require(comparison.paired)
        #expect(abs(paired.meanDifference - 0.3) < 1e-12)
        #expect(paired.onlyA == 3 && paired.onlyB == 0)
        #expect(abs(paired.mcnemarP! - 0.25) < 1e-12)  // 2 · 0.5³
        // k·√(discordance/N) = 2.80 · √(0.3/10)
        #expect(abs(comparison.minimumDetectableDifference! - SamplePlanner.multiplier() * (0.03).squareRoot()) < 1e-12)
    }

    @Test func nonInferiorityTakesOneOfThreeVerdicts() throws {
        // 400 items, 8 discordant each way: a tight interval around 0.
        let same = Array(repeating: 1, count: 200) + Array(repeating: 0, count: 184)
        let a = Self.results(same + Array(repeating: 1, count: 8) + Array(repeating: 0, count: 8))
        let b = Self.results(same + Array(repeating: 0, count: 8) + Array(repeating: 1, count: 8))
        #expect(Self.compare(a, b).nonInferiority?.verdict == .noWorse)
        // A misses 60 of 400 items B gets: worse by far more than 2 points.
        let weak = Self.results(
            Array(repeating: 0, count: 60) + Array(same.dropFirst(60)) + Array(repeating: 0, count: 16))
        let strong = Self.results(
            Array(repeating: 1, count: 60) + Array(same.dropFirst(60)) + Array(repeating: 0, count: 16))
        #expect(Self.compare(weak, strong).nonInferiority?.verdict == .worse)
        // Ten items cannot tell, and say how many would.
        let few = Self.compare(
            Self.results([1, 0, 1, 1, 0, 1, 1, 1, 0, 1]), Self.results([1, 1, 1, 0, 0, 1, 1, 1, 0, 1]))
        let verdict = try #require(few.nonInferiority)
        #expect(verdict.verdict == .cannotTell)
        #expect((verdict.itemsNeeded ?? 0) > 10)
        #expect(verdict.sentence.contains("cannot tell"))
    }

    @Test func differentProtocolsAreFlaggedNotCompared() {
        let a = Self.results([1, 0, 1])
        let comparison = EvalComparison(
            a: "A",
            summaryA: EvalSummary(task: "t", outputType: "multiple_choice", method: "forced_decoding", results: a),
            resultsA: a, b: "B",
            summaryB: EvalSummary(task: "t", outputType: "multiple_choice", method: "prompt_logprobs", results: a),
            resultsB: a)
        #expect(comparison.mismatch?.contains("different protocols") == true)
        #expect(comparison.paired == nil && comparison.accuracyA == nil)
        let generative = EvalComparison(
            a: "A", summaryA: EvalSummary(task: "t", results: a), resultsA: a, b: "B",
            summaryB: EvalSummary(task: "t", outputType: "multiple_choice", method: "forced_decoding", results: a),
            resultsB: a)
        #expect(generative.mismatch?.contains("generate") == true)
    }

    @Test func resultFoldersRoundTripAndSurviveACutLastLine() throws {
        let folder = EvalResultsFolder(FileManager.default.temporaryDirectory.appendingPathComponent("eval-\(UUID())"))
        defer { try? FileManager.default.removeItem(at: folder.url) }
        let results = Self.results([1, 0, 1])
        try folder.write(EvalSummary(task: "t", results: results), results: results)
        #expect(try folder.results() == results)
        #expect(try folder.summary().accuracy == EvalSummary(task: "t", results: results).accuracy)
        let file = folder.url.appendingPathComponent("items.jsonl")
        var text = try String(contentsOf: file, encoding: .utf8)
        text += #"{"item_id":"q9","rep"#
        try text.write(to: file, atomically: true, encoding: .utf8)
        #expect(try folder.results().count == 3)
        try (text.replacingOccurrences(of: "\"q001\"", with: "broken") + "\n").write(
            to: file, atomically: true, encoding: .utf8)
        #expect(throws: DatasetError.self) { try folder.results() }
    }
}
