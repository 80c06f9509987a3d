import BenchEngine
import BenchProviders
import BenchEval
import BenchMetrics
import BenchReport
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
        // 800 items, 8 discordant each way: a tight interval around 0.
        let agreed = Array(repeating: 1, count: 400) + Array(repeating: 0, count: 384)
        let a = Self.results(agreed + Array(repeating: 1, count: 8) + Array(repeating: 0, count: 8))
        let b = Self.results(agreed + Array(repeating: 0, count: 8) + Array(repeating: 1, count: 8))
        #expect(Self.compare(a, b).nonInferiority?.verdict == .noWorse)
        let same = Array(repeating: 1, count: 200) + Array(repeating: 0, count: 184)
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

    @Test func aComparisonThatCannotSettleItSaysSoWithItsN() throws {
        // The issue's case: both models wrong on the same 2 items. The normal interval is [0, 0]; that is no verdict.
        let both = Self.compare(Self.results([0, 0]), Self.results([0, 0]))
        let paired = try #require(both.paired)
        #expect(paired.interval.lower == 0 && paired.interval.upper == 0)
        // Newcombe's score interval: the Wilson bound of 0 in 2, z²/(2 + z²), on each side.
        let z2 = pow(NormalDistribution.twoSidedZ(0.95), 2)
        #expect(abs(paired.verdictInterval.upper - z2 / (2 + z2)) < 1e-9)
        #expect(abs(paired.verdictInterval.lower + z2 / (2 + z2)) < 1e-9)
        let verdict = try #require(both.nonInferiority)
        #expect(verdict.verdict == .cannotTell)
        #expect(verdict.sentence.contains("with N = 2 items: 2 paired items, fewer than the 10 a verdict needs"))
        // All wrong on n′ items settles a 2-point margin once z²/(n′ + z²) < 0.02: n′ > 49·z² = 188.2.
        #expect(verdict.itemsNeeded == 189)
        #expect(verdict.sentence.hasSuffix("about 189 items would settle it if what was observed holds"))
        // 1,000 items on which they agree (700 right, 300 wrong): the score interval is narrow, not a point.
        let agree = Array(repeating: 1, count: 700) + Array(repeating: 0, count: 300)
        let many = Self.compare(Self.results(agree), Self.results(agree))
        #expect(many.nonInferiority?.verdict == .noWorse)
        #expect(many.nonInferiority?.sentence.hasSuffix("(N = 1000 items)") == true)
        let interval = try #require(many.paired?.scoreInterval)
        #expect(interval.lower < 0 && interval.lower > -0.01 && interval.upper > 0)
        // Scores that are not right/wrong and differ by the same amount on every item: a degenerate interval.
        let half = (0..<20).map { EvalItemResult(itemID: "q\($0)", repeatIndex: 0, outcome: .correct, score: 0.5) }
        let flat = Self.compare(half, half)
        #expect(flat.nonInferiority?.verdict == .cannotTell)
        #expect(flat.nonInferiority?.sentence.contains("the interval has no width") == true)
    }

    @Test func mcNemarStatesItsNAndWhenTooFewItemsDiffer() throws {
        let few = Self.compare(
            Self.results([1, 1, 1, 0, 0, 0, 1, 1, 1, 1, 0, 0]), Self.results([0, 0, 1, 0, 0, 0, 1, 1, 1, 1, 0, 0]))
        let lines = QualityLines.comparison(few)
        #expect(
            lines.contains(
                "McNemar on N = 12 items: 2 only A got right, 0 only B; exact p = 0.5; cannot tell: with fewer than 6 items where they differ no difference can reach p < 0.05"
            ), "\(lines)")
        #expect(lines.contains { $0.hasPrefix("A − B = +16.7 points on N = 12 items (95 % score CI") })
        // Six discordant items, all for A: p = 2 · ½⁶ = 0.03125, and no "cannot tell".
        let six = Self.compare(
            Self.results([1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1]), Self.results([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1]))
        #expect(
            QualityLines.comparison(six).contains(
                "McNemar on N = 12 items: 6 only A got right, 0 only B; exact p = 0.03125"))
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

    @Test func aBodyThatIsNotJSONSaysWhereWithoutParserInternals() throws {
        #expect(throws: SpecError.self) { try BenchSpec.document("{\n  \"targets\": [\n    {\"model\": }\n") }
        do {
            _ = try BenchSpec.document("{\n  \"targets\": [\n    {\"model\": }\n")
        } catch let error as SpecError {
            #expect(error.problem == "not valid JSON at line 3, column 15: unexpected character", "\(error)")
        }
        do {
            _ = try BenchSpec.document("targets:\n  - model: [a\n")
        } catch let error as SpecError {
            #expect(error.problem.hasPrefix("not valid YAML at line "), "\(error)")
            #expect(!error.problem.contains("Yams") && !error.problem.contains("yaml_"))
        }
    }
}
