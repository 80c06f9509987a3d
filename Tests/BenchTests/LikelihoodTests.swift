import AsyncHTTPClient
import BenchEngine
import BenchCore
import BenchMetrics
import Foundation
import Testing

import BenchEval
import BenchProviders

@Suite struct LikelihoodTests {
    @Test func llamaCppWindowsAreTheChunksLlamaPerplexityScores() {
        let windows = PerplexityWindowing.llamaCpp(context: 4).windows(tokens: Array(0..<10), bos: 99)
        // Two whole chunks; the first half is context (BOS in first place), positions 3 are scored; 8 and 9 are not.
        #expect(
            windows == [
                ScoringWindow(context: [99, 1, 2], continuation: [3]),
                ScoringWindow(context: [99, 5, 6], continuation: [7]),
            ])
        let plain = PerplexityWindowing.llamaCpp(context: 8).windows(tokens: Array(0..<16), bos: nil)
        #expect(plain.map(\.context) == [[0, 1, 2, 3, 4], [8, 9, 10, 11, 12]])
        #expect(plain.map(\.continuation) == [[5, 6, 7], [13, 14, 15]])
        #expect(PerplexityWindowing.llamaCpp(context: 8).windows(tokens: Array(0..<7), bos: nil).isEmpty)
    }

    @Test(arguments: [nil, 500] as [Int?])
    func rollingWindowsScoreEveryTokenOnceWithinTheContext(bos: Int?) {
        let tokens = Array(100..<137)
        let windows = PerplexityWindowing.rolling(context: 8).windows(tokens: tokens, bos: bos)
        let scored = windows.flatMap(\.continuation)
        #expect(scored == (bos == nil ? Array(tokens.dropFirst()) : tokens))
        for window in windows {
            #expect(window.context.count + window.continuation.count <= 8)
            #expect(!window.context.isEmpty)
        }
        // After the first window, every token is conditioned on the 4 tokens before it.
        #expect(windows.dropFirst().allSatisfy { $0.context.count == 4 || $0.continuation.count < 4 })
        let sequence = (bos.map { [$0] } ?? []) + tokens
        for window in windows {
            let start = sequence.firstIndex(of: window.continuation[0])!
            #expect(Array(sequence[(start - window.context.count)..<start]) == window.context)
        }
    }

    @Test func perplexityFiguresFollowTheirFormulas() throws {
        let estimate = try #require(
            PerplexityEstimate(windowing: .rolling(context: 4), windows: [[-1, -2], [-3]], words: 2, bytes: 10))
        #expect(estimate.tokens == 3 && estimate.logprob == -6)
        #expect(abs(estimate.tokenPerplexity - exp(2)) < 1e-12)
        #expect(abs(estimate.wordPerplexity! - exp(3)) < 1e-12)
        #expect(abs(estimate.bytePerplexity! - exp(0.6)) < 1e-12)
        #expect(abs(estimate.bitsPerByte! - 6 / (10 * log(2))) < 1e-12)
        let interval = try #require(estimate.interval)
        #expect(interval.lower < estimate.tokenPerplexity && estimate.tokenPerplexity < interval.upper)
        // llama.cpp's protocol does not score every token: no per-word or per-byte figures.
        let chunked = try #require(
            PerplexityEstimate(windowing: .llamaCpp(context: 4), windows: [[-1, -2]], words: 2, bytes: 10))
        #expect(chunked.wordPerplexity == nil && chunked.bitsPerByte == nil && chunked.words == nil)
        #expect(PerplexityEstimate(windowing: .rolling(context: 4), windows: [[]]) == nil)
    }

    @Test func choiceScoresPickByLikelihoodAndByLength() {
        let scores = ChoiceScores(logprobs: [-1, -3], characters: [1, 10], greedy: [true, false])
        #expect(scores.predicted == 0)
        #expect(scores.predictedNormalized == 1)  // −1/1 < −3/10
        let p = scores.probabilities
        #expect(abs(p[0] - exp(-1) / (exp(-1) + exp(-3))) < 1e-12 && abs(p[0] + p[1] - 1) < 1e-12)
        #expect(abs(scores.trueShare([1]) - p[1]) < 1e-12)
        #expect(abs(scores.brierTerm([0]) - ((p[0] - 1) * (p[0] - 1) + p[1] * p[1])) < 1e-12)
        // Very negative log-likelihoods stay finite.
        let tiny = ChoiceScores(logprobs: [-2000, -2001], characters: [1, 1], greedy: [false, false])
        #expect(tiny.probabilities.allSatisfy(\.isFinite) && tiny.predicted == 0)
    }

    @Test func calibrationUsesEqualMassBins() throws {
        let summary = try #require(
            CalibrationSummary(
                confidences: [0.9, 0.8, 0.6, 0.3], correct: [true, false, true, false],
                brierTerms: [0.1, 0.2, 0.3, 0.4],
                binCount: 2))
        // Bins {0.3 ✗, 0.6 ✓} and {0.8 ✗, 0.9 ✓}: |0.5 − 0.45|·½ + |0.5 − 0.85|·½ = 0.2.
        #expect(abs(summary.expectedCalibrationError - 0.2) < 1e-12)
        #expect(abs(summary.oneBinError - 0.15) < 1e-12)
        #expect(abs(summary.brier! - 0.25) < 1e-12)
        #expect(summary.bins.map(\.count) == [2, 2])
        #expect(CalibrationSummary(confidences: [0.5], correct: []) == nil)
    }

    @Test func passAtKAndPassHatKAreTheUnbiasedEstimators() {
        #expect(abs(PassAtK.passAtK(n: 5, c: 2, k: 2)! - 0.7) < 1e-12)  // 1 − C(3,2)/C(5,2)
        #expect(abs(PassAtK.passHatK(n: 5, c: 2, k: 2)! - 0.1) < 1e-12)  // C(2,2)/C(5,2)
        #expect(abs(PassAtK.passAtK(n: 10, c: 3, k: 1)! - 0.3) < 1e-12)
        #expect(PassAtK.passAtK(n: 5, c: 4, k: 2) == 1 && PassAtK.passAtK(n: 5, c: 0, k: 3) == 0)
        #expect(PassAtK.passHatK(n: 5, c: 1, k: 2) == 0 && PassAtK.passHatK(n: 4, c: 4, k: 4) == 1)
        #expect(PassAtK.passAtK(n: 2, c: 1, k: 3) == nil && PassAtK.passHatK(n: 2, c: 1, k: 0) == nil)
    }

    // MARK: Choices in the datasets' own shapes

    static func item(_ json: String) throws -> EvalItem {
        EvalItem(id: "x", fields: try #require(try JSONParser.parse(json).object))
    }

    @Test func choicesAndGoldComeFromEachDatasetsShape() throws {
        let arc = try Self.item(
            #"{"question":{"stem":"Which is a gas?","choices":[{"text":"ice","label":"A"},{"text":"steam","label":"B"}]},"answerKey":"B"}"#
        )
        let arcSource = ChoiceSource(choices: .field("question.choices"), gold: PromptTemplate("{{answerKey}}"))
        #expect(try arcSource.resolve(arc) == (["ice", "steam"], [1]) as ([String], Set<Int>))
        let hellaswag = try Self.item(#"{"ctx":"He","endings":["runs","sat","ate","is"],"label":2}"#)
        let hellaSource = ChoiceSource(choices: .field("endings"), gold: PromptTemplate("{{label}}"))
        #expect(try hellaSource.resolve(hellaswag).gold == [2])
        let truthful = try Self.item(#"{"mc2_targets":{"Yes":1,"No":0,"Maybe":1}}"#)
        let truthfulSource = ChoiceSource(choices: .field("mc2_targets"), gold: nil)
        #expect(try truthfulSource.resolve(truthful) == (["Maybe", "No", "Yes"], [0, 2]) as ([String], Set<Int>))
        let huggingFace = try Self.item(#"{"mc1_targets":{"choices":["a","b","c"],"labels":[0,1,0]}}"#)
        #expect(try ChoiceSource(choices: .field("mc1_targets"), gold: nil).resolve(huggingFace).gold == [1])
        let boolq = try Self.item(#"{"question":"is it","answer":true}"#)
        let boolSource = ChoiceSource(
            choices: .templates([PromptTemplate("no"), PromptTemplate("yes")]), gold: PromptTemplate("{{answer}}"),
            goldMap: ["false": 0, "true": 1])
        #expect(try boolSource.resolve(boolq).gold == [1])
        let mmlu = try Self.item(#"{"A":"1","B":"2","C":"3","D":"4","answer":"C"}"#)
        let letters = ChoiceSource(
            choices: .templates(["A", "B", "C", "D"].map(PromptTemplate.init)), gold: PromptTemplate("{{answer}}"))
        #expect(try letters.resolve(mmlu).gold == [2])
        let wrong = ChoiceSource(choices: .field("endings"), gold: PromptTemplate("{{ctx}}"))
        #expect(throws: DatasetError.self) { try wrong.resolve(hellaswag) }
        #expect(throws: DatasetError.self) { try ChoiceSource(choices: .field("nothing"), gold: nil).resolve(arc) }
    }

    @Test func taskFilesDeclareTheOutputType() throws {
        let mc = try EvalTaskTests.task(
            """
            dataset: x.jsonl
            output_type: multiple_choice
            prompt: "{{ctx}}"
            choices: endings
            gold: "{{label}}"
            cluster: source
            """)
        guard case .multipleChoice(let source) = mc.outputType else {
            Issue.record("expected multiple_choice")
            return
        }
        #expect(source.choices == .field("endings") && source.prefix == " " && mc.cluster == "source")
        let ppl = try EvalTaskTests.task(
            "dataset: x.jsonl\noutput_type: rolling_loglikelihood\nprompt: \"{{text}}\"\nperplexity: {windowing: llama_cpp, context: 512}"
        )
        #expect(ppl.outputType == .rollingLoglikelihood(.llamaCpp(context: 512)))
        for (text, field) in [
            ("dataset: x.jsonl\noutput_type: essay\nprompt: p", "output_type"),
            ("dataset: x.jsonl\noutput_type: multiple_choice\nprompt: p", "choices"),
            (
                "dataset: x.jsonl\noutput_type: rolling_loglikelihood\nprompt: p\nperplexity: {windowing: sliding}",
                "perplexity.windowing"
            ),
            ("dataset: x.jsonl\noutput_type: loglikelihood\nprompt: p", "reference"),
            ("dataset: x.jsonl\nprompt: p\nreference: r\ntemperature: 5", "temperature"),
            ("dataset: x.jsonl\noutput_type: multiple_choice\nprompt: p\nchoices: c\ngold_map: {a: b}", "gold_map"),
        ] {
            #expect(throws: DatasetError.self, "\(field)") { try EvalTaskTests.task(text) }
            do {
                _ = try EvalTaskTests.task(text)
            } catch let error as DatasetError {
                #expect(error.location == field)
            }
        }
    }

    @Test func aTaskCanCarryItsItemsInline() throws {
        let task = try EvalTaskTests.task(
            "dataset: {items: [{id: x, q: \"2+2\", a: 4}, {q: \"3+3\", a: 6}]}\nprompt: \"{{q}}\"\nreference: \"{{a}}\""
        )
        let items = try task.loadItems()
        let gold = try task.goldAnswer(for: items[1])
        #expect(items.map(\.id) == ["x", "1"] && gold == "6")
        #expect(throws: DatasetError.self) { try EvalTaskTests.task("dataset: {items: []}\nprompt: p\nreference: r") }
        #expect(throws: DatasetError.self) { try EvalTaskTests.task("dataset: {items: [3]}\nprompt: p\nreference: r") }
    }

    // MARK: Wire formats

    @Test func llamaCppForcedDecodingAsksForExactlyTheGivenTokens() throws {
        let body = LlamaCppForcedDecoding.body(context: [1, 2], continuation: [17, 4242])
        #expect(body["grammar"] == .string("root ::= <[17]> <[4242]>"))
        #expect(body["n_predict"]?.integer == 2 && body["n_probs"]?.integer == 1)
        #expect(body["post_sampling_probs"] == .bool(false))
        #expect(body["prompt"] == .array([.number(1), .number(2)]))
        let answer = try JSONParser.parse(
            #"{"completion_probabilities":[{"id":17,"logprob":-0.5,"top_logprobs":[{"id":17,"logprob":-0.5}]},{"id":4242,"logprob":-2.25,"top_logprobs":[{"id":9,"logprob":-0.1}]}]}"#
        )
        let scored = try LlamaCppForcedDecoding.logprobs(answer, expected: [17, 4242])
        let first = TokenLogprob(token: 17, logprob: -0.5, isTop: true)
        let second = TokenLogprob(token: 4242, logprob: -2.25, isTop: false)
        #expect(scored == [first, second])
        // A token whose text ends inside a UTF-8 character is not reported: its place is left for another request.
        #expect(try LlamaCppForcedDecoding.logprobs(answer, expected: [17, 99, 4242]) == [first, nil, second])
        #expect(throws: LikelihoodError.self) { try LlamaCppForcedDecoding.logprobs(answer, expected: [17, 5]) }
        #expect(throws: LikelihoodError.self) { try LlamaCppForcedDecoding.logprobs(answer, expected: [17]) }
        #expect(throws: LikelihoodError.self) { try LlamaCppForcedDecoding.logprobs(.object([:]), expected: [1]) }
    }

    @Test func vllmPromptLogprobsAreReadAtTheContinuationsPositions() throws {
        let answer = try JSONParser.parse(
            #"{"choices":[{"text":"x","prompt_logprobs":[null,{"7":{"logprob":-1.5,"rank":3,"decoded_token":"a"},"2":{"logprob":-0.2,"rank":1}},{"9":{"logprob":-0.25,"rank":1,"decoded_token":"b"}}]}]}"#
        )
        let scored = try VLLMPromptLogprobs.logprobs(answer, context: 2, expected: [9])
        #expect(scored == [TokenLogprob(token: 9, logprob: -0.25, isTop: true)])
        let both = try VLLMPromptLogprobs.logprobs(answer, context: 1, expected: [7, 9])
        #expect(both.map(\.isTop) == [false, true] && both[0].logprob == -1.5)
        #expect(throws: LikelihoodError.self) { try VLLMPromptLogprobs.logprobs(answer, context: 1, expected: [8, 9]) }
        #expect(throws: LikelihoodError.self) { try VLLMPromptLogprobs.logprobs(answer, context: 2, expected: [9, 9]) }
    }

    @Test func endpointsWithoutPromptLogprobsAreReportedAsUnavailable() async throws {
        // No stored probes: only what each kind is known to offer.
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("none-\(UUID())")
        try await withEngine(environment: ["LLMBENCH_DATA": data.path]) { engine in
            let anthropic = BenchSpec.Target(
                name: "claude", kind: .anthropic, baseURL: "https://api.anthropic.com/v1", model: "m")
            let refused = await #expect(throws: SpecError.self) {
                _ = try await engine.likelihoodModel(for: anthropic, field: "t")
            }
            #expect(refused?.problem.contains("not available for this endpoint") == true)
            let llama = BenchSpec.Target(name: "l", kind: .llamacpp, baseURL: "http://127.0.0.1:1/v1", model: "m")
            let forced = try await engine.likelihoodModel(for: llama, field: "t").method
            #expect(forced == "forced_decoding")
            let vllm = BenchSpec.Target(name: "v", kind: .vllm, baseURL: "http://127.0.0.1:1/v1", model: "m")
            let prompt = try await engine.likelihoodModel(for: vllm, field: "t").method
            #expect(prompt == "prompt_logprobs")
        }
    }

    // MARK: Summaries

    @Test func multipleChoiceSummariesReportAccNormCalibrationAndMC2() throws {
        func result(_ id: String, _ logprobs: [Double], gold: [Int]) -> EvalItemResult {
            let scores = ChoiceScores(logprobs: logprobs, characters: [1, 8], greedy: [false, false])
            let right = Set(gold).contains(scores.predicted)
            var result = EvalItemResult(
                itemID: id, repeatIndex: 0, outcome: right ? .correct : .incorrect, score: right ? 1 : 0)
            result.choices = scores
            result.gold = gold
            result.correctNormalized = Set(gold).contains(scores.predictedNormalized)
            return result
        }
        let results = [
            result("a", [-1, -2], gold: [0]), result("b", [-1, -4], gold: [1]), result("c", [-3, -2], gold: [1]),
            result("d", [-1, -5], gold: [0, 1]),
        ]
        let summary = EvalSummary(task: "t", outputType: "multiple_choice", method: "forced_decoding", results: results)
        #expect(summary.accuracy == 0.75)
        // Length normalisation turns a (−1/1 < −2/8) wrong and b (−1/1 < −4/8) right: the same 3 of 4.
        #expect(summary.accuracyNormalized == 0.75)
        #expect(results.map { $0.outcome == .correct } == [true, false, true, true])
        #expect(results.map { $0.correctNormalized! } == [false, true, true, true])
        #expect(summary.calibration?.n == 4)
        #expect(summary.trueShare?.n == nil)  // a single item with several true choices has no SE
        #expect(summary.method == "forced_decoding")
        let encoded = String(decoding: try JSONEncoder().encode(summary), as: UTF8.self)
        #expect(encoded.contains("\"accuracy_norm\"") && encoded.contains("\"ece\""))
    }

    @Test func repeatsGiveAgreementPassAtKAndPassHatK() {
        let outcomes: [(String, Bool)] = [
            ("a", true), ("a", true), ("b", true), ("b", false), ("c", false), ("c", false),
        ]
        let answers = ["7", "7", "7", "seven", "5", "6"]
        let extracted = ["7", "7", "7", "7", "5", "6"]
        let results = outcomes.enumerated().map { index, entry in
            EvalItemResult(
                itemID: entry.0, repeatIndex: index % 2, outcome: entry.1 ? .correct : .incorrect,
                score: entry.1 ? 1 : 0, answer: answers[index], extracted: extracted[index])
        }
        let summary = EvalSummary(task: "t", results: results)
        #expect(summary.repeats == 2)
        #expect(abs(summary.agreement! - 2.0 / 3) < 1e-12)
        #expect(abs(summary.passAtK! - 2.0 / 3) < 1e-12)  // a: 1, b: 1, c: 0
        #expect(abs(summary.passHatK! - 1.0 / 3) < 1e-12)  // a: 1, b: 0, c: 0
        // Identical text only for a; identical extracted answers for a and b.
        #expect(abs(summary.identicalAnswers! - 1.0 / 3) < 1e-12)
        #expect(abs(summary.identicalExtracted! - 2.0 / 3) < 1e-12)
    }

    @Test func clusteredItemsWidenTheInterval() {
        let scores = [1, 1, 1, 1, 0, 0, 0, 0, 1, 0]
        var results = scores.enumerated().map { index, score in
            EvalItemResult(
                itemID: "i\(index)", repeatIndex: 0, outcome: score == 1 ? .correct : .incorrect, score: Double(score))
        }
        let plain = EvalSummary(task: "t", results: results)
        for index in results.indices { results[index].cluster = index < 4 ? "p1" : index < 8 ? "p2" : "p\(index)" }
        let clustered = EvalSummary(task: "t", results: results)
        let width = { (summary: EvalSummary) in summary.interval!.upper - summary.interval!.lower }
        #expect(plain.accuracy == clustered.accuracy)
        #expect(width(clustered) > width(plain))
    }

    @Test func storedAnswersAreRescoredWithoutAskingAgain() throws {
        var task = try EvalTaskTests.task(EvalTaskTests.gsm8k)
        var stored = EvalItemResult.scoring("The answer is 18.00", task: task, itemID: "0", repeatIndex: 0, gold: "18")
        stored.outputTokens = 7
        task.scorer = .exact
        let rescored = stored.rescored(with: task)
        #expect(stored.outcome == .correct && rescored.outcome == .incorrect)
        #expect(rescored.outputTokens == 7 && rescored.answer == stored.answer)
    }
}
