import BenchEngine
import BenchProviders
import BenchCore
import BenchEval
import BenchReport
import BenchMetrics
import BenchSimulator
import Foundation
import Testing

@Suite struct EvalTaskTests {
    static let gsm8k = """
        name: gsm8k-smoke
        dataset: gsm8k/test_first100.jsonl
        prompt: "Question: {{question}}\\nAnswer:"
        reference: "{{answer}}"
        reference_filters: [{regex: "####\\\\s*(.+)$"}, {number: first}]
        filters: [strip_reasoning, {number: last}]
        scorer: numeric
        max_tokens: 32
        limit: 3
        """

    static func task(_ text: String) throws -> TaskDefinition {
        try TaskDefinition(document: try BenchSpec.document(text), directory: Fixtures.evalData)
    }

    @Test func aTaskFileBecomesPromptsGoldAnswersAndScores() throws {
        let task = try Self.task(Self.gsm8k)
        let items = try task.loadItems()
        #expect(task.limit == 3 && task.maxTokens == 32 && items.count == 3)
        #expect(try task.goldAnswer(for: items[0]) == "18")
        let messages = try task.messages(for: items[0], among: items)
        #expect(messages.count == 1 && messages[0].content.hasPrefix("Question: Janet"))
        let right = EvalItemResult.scoring(
            "<think>16-3-4=9</think> 9 eggs × $2 = $18", task: task, itemID: "0", repeatIndex: 0, gold: "18")
        #expect(right.outcome == .correct && right.extracted == "18")
        let wrong = EvalItemResult.scoring("It is 17.", task: task, itemID: "0", repeatIndex: 0, gold: "18")
        #expect(wrong.outcome == .incorrect)
        let unparsed = EvalItemResult.scoring("I don't know", task: task, itemID: "0", repeatIndex: 0, gold: "18")
        #expect(unparsed.outcome == .unparsed && unparsed.score == 0)
    }

    @Test func fewShotExamplesComeFromOtherItemsTheSameEveryTime() throws {
        let task = try Self.task(Self.gsm8k + "\nfew_shot: {count: 2, seed: 3, target: \" {{answer}}\"}")
        var unlimited = task
        unlimited.limit = 10
        let items = try unlimited.loadItems()
        let first = try task.messages(for: items[0], among: items)[0].content
        #expect(first.components(separatedBy: "Question: ").count == 4)  // two examples, then the question
        #expect(first.hasSuffix(try task.prompt.render(items[0])))
        #expect(!first.dropLast(try task.prompt.render(items[0]).count).contains(items[0].text("question")!))
        #expect(try task.messages(for: items[0], among: items)[0].content == first)
    }

    @Test(arguments: [
        ("dataset: x.jsonl\nreference: r", "prompt"),
        ("prompt: p\nreference: r", "dataset"),
        ("dataset: x.jsonl\nprompt: p\nreference: r\nscorer: fuzzy", "scorer"),
        ("dataset: x.jsonl\nprompt: p\nreference: r\nfilters: [sparkle]", "filters[0]"),
        ("dataset: x.jsonl\nprompt: p\nreference: r\nrepeats: 0", "repeats"),
        ("dataset: x.jsonl\nprompt: p\nreference: r\ncolour: red", "colour"),
    ])
    func invalidTaskFilesNameTheField(text: String, field: String) {
        #expect { try Self.task(text) } throws: { ($0 as? DatasetError)?.location == field }
    }

    @Test func aRegexScorerWithAnArgumentSaysWhereThePatternGoes() throws {
        #expect {
            try Self.task(#"dataset: x.jsonl\#nprompt: p\#nreference: r\#nscorer: {regex: "^4$"}"#)
        } throws: {
            let problem = ($0 as? DatasetError)?.problem ?? ""
            return problem.contains("write `scorer: regex` and put the pattern in `reference:`")
                && problem.contains("filters: [{regex: …}]")
        }
    }

    @Test func aFailedJSONAnswerStoresWhy() throws {
        let task = try Self.task(
            #"dataset: x.jsonl\#nprompt: p\#nreference: r\#nscorer: {json_schema: {type: object, required: [name], properties: {age: {type: integer}}}}"#
        )
        let broken = EvalItemResult.scoring(#"{"age": "ten"}"#, task: task, itemID: "0", repeatIndex: 0, gold: "")
        #expect(broken.outcome == .incorrect)
        #expect(broken.reason == #"$: missing name; $.age: expected integer"#, "\(broken.reason ?? "nil")")
        let notJSON = EvalItemResult.scoring("{name: 1", task: task, itemID: "0", repeatIndex: 0, gold: "")
        #expect(notJSON.reason?.hasPrefix("the answer is not valid JSON at line 1, column 2") == true)
        let right = EvalItemResult.scoring(
            #"{"name": "a", "age": 3}"#, task: task, itemID: "0", repeatIndex: 0, gold: "")
        #expect(right.outcome == .correct && right.reason == nil)
        // The reason is stored with the item.
        let stored = try JSONDecoder().decode(EvalItemResult.self, from: JSONEncoder().encode(broken))
        #expect(stored.reason == broken.reason)
    }

    @Test func aTaskWithoutItsDataSaysWhereItIsPublishedAndWhichFlagTakesIt() throws {
        let task = try Self.task(
            "dataset: gsm8k/missing.jsonl\npublished: https://example.org/test.jsonl\nprompt: p\nreference: r")
        #expect {
            try task.loadItems()
        } throws: {
            ($0 as? DatasetError)?.problem
                == "no such file: llmbench does not ship the data of task task; download it from https://example.org/test.jsonl and pass the file with --dataset PATH"
        }
        // A path the user gave is theirs: no advice about where to get it.
        #expect {
            try task.reading("/nonexistent/mine.jsonl").loadItems()
        } throws: {
            ($0 as? DatasetError)?.problem.hasPrefix("cannot read: ") == true
        }
    }

    @Test func summariesCountUnparsedApartAndScoreItemsNotAsks() throws {
        let results = [
            EvalItemResult(itemID: "a", repeatIndex: 0, outcome: .correct, score: 1),
            EvalItemResult(itemID: "a", repeatIndex: 1, outcome: .correct, score: 1),
            EvalItemResult(itemID: "b", repeatIndex: 0, outcome: .unparsed, score: 0),
            EvalItemResult(itemID: "b", repeatIndex: 1, outcome: .unparsed, score: 0),
            EvalItemResult(itemID: "c", repeatIndex: 0, outcome: .failed, score: 0),
            EvalItemResult(itemID: "c", repeatIndex: 1, outcome: .incorrect, score: 0),
        ]
        let summary = EvalSummary(task: "t", results: results)
        #expect(summary.items == 3 && summary.correct == 2 && summary.unparsed == 2 && summary.failed == 1)
        // Item means 1, 0, 0 → accuracy 1/3 with the Wilson interval of 1 of 3.
        #expect(abs((summary.accuracy ?? 0) - 1.0 / 3) < 1e-12)
        #expect(summary.interval == ProportionInterval.wilson(successes: 1, trials: 3))
    }

    @Test func answersCutBeforeTheyWereRightAreCensoredWithBoundsAndCostPerCorrect() throws {
        func result(_ id: String, _ outcome: EvalItemResult.Outcome, cut: Bool = false) -> EvalItemResult {
            var made = EvalItemResult(
                itemID: id, repeatIndex: 0, outcome: outcome, score: outcome == .correct ? 1 : 0, reference: "4")
            made.truncated = cut
            made.costUSD = 0.002
            return made
        }
        // 10 items: 4 right (one of them cut after its answer), 4 wrong, 2 cut before any answer.
        let results =
            [result("a", .correct), result("b", .correct), result("c", .correct), result("d", .correct, cut: true)]
            + ["e", "f", "g", "h"].map { result($0, .incorrect) } + [
                result("i", .unparsed, cut: true), result("j", .incorrect, cut: true),
            ]
        let summary = EvalSummary(task: "t", results: results)
        #expect(summary.truncated == 3 && summary.censored == 2)
        // Among the 8 complete answers 4 are right; over all 10, 40 % if both cut ones were wrong, 60 % if right.
        #expect(summary.accuracy == 0.5)
        #expect(summary.interval == ProportionInterval.wilson(successes: 4, trials: 8))
        #expect(summary.accuracyBounds == AccuracyBounds(ifCutWrong: 0.4, ifCutRight: 0.6))
        let line = QualityLines.summary(summary)[0]
        #expect(line.hasPrefix("t: accuracy 50.0 % (95 % CI"))
        #expect(
            line.contains(
                "among the complete answers, 2 cut before a right answer left out (over all 10 items: 40.0 % if every cut answer was wrong, 60.0 % if right)"
            ))
        // $0.02 over 10 items: $0.005 per correct answer (4), $2 per 1K items.
        #expect(abs(summary.costPerCorrectUSD! - 0.005) < 1e-12 && abs(summary.costPer1KItemsUSD! - 2) < 1e-9)
        #expect(QualityLines.summary(summary).contains("  cost $0.0200, $0.005 per correct answer, $2 per 1K items"))
        // Nothing cut: no bounds, the plain headline.
        let whole = EvalSummary(
            task: "t",
            results: Array(results.prefix(8)).map {
                var r = $0; r.truncated = false; return r
            })
        #expect(whole.censored == 0 && whole.accuracyBounds == nil)
        #expect(QualityLines.summary(whole)[0].hasPrefix("t: accuracy 50.0 % (95 % CI 21.5–78.5 %) over 8 items;"))
    }
}

extension LiveTests {
    @Suite struct EvalLoopbackTests {
        @Test func anEvalRunAsksEveryItemAndWritesItsResults() async throws {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("llmbench-eval-\(UUID())")
            defer { try? FileManager.default.removeItem(at: directory) }
            let task = try EvalTaskTests.task(EvalTaskTests.gsm8k + "\nrepeats: 2")
            let configuration = SimulatorConfiguration(ttft: .milliseconds(1), itl: .zero, outputTokens: 8)
            let (summary, results, requests) = try await withSimulator(configuration) { port, simulator in
                let (summary, results) = try await withEngine() { engine in
                    try await EvalRun(
                        task: task, target: BenchSpec.Target(baseURL: "http://127.0.0.1:\(port)/v1", model: "sim"),
                        engine: engine,
                        outputDirectory: directory
                    ).run()
                }
                return (summary, results, simulator.statistics.requests)
            }
            // The simulator answers with words: every answer is unparsed, none is counted wrong.
            #expect(requests == 6 && results.count == 6)
            #expect(summary.unparsed == 6 && summary.incorrect == 0 && summary.accuracy == 0)
            let lines = try String(contentsOf: directory.appendingPathComponent("items.jsonl"), encoding: .utf8)
            #expect(lines.split(separator: "\n").count == 6)
            #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("summary.json").path))
        }
    }
}
