import AsyncHTTPClient
import BenchEngine
import BenchCore
import BenchEval
import BenchLocal
import BenchMetrics
import BenchProviders
import Foundation
import Testing

/// The log-likelihood tier against the real default model: llmbench's forced decoding on llama-server against
/// llama.cpp's own `llama-perplexity`, built from the same source.
extension LiveTests {
    @Suite(.enabled(if: LocalModelGate.shouldRun, "the local model is not installed (run `llmbench local install`)"))
    struct LocalModelLikelihoodTests {
        static let context = 256

        /// The first 4,000 characters of the sonnets: four whole chunks of 256 tokens for SmolLM2.
        static func referenceText() throws -> String {
            let text = try String(
                contentsOf: Fixtures.evalData.appendingPathComponent("sonnet/sonnet.txt"), encoding: .utf8)
            return String(text.prefix(4000))
        }

        @Test func perplexityAgreesWithLlamaPerplexityOnTheSameText() async throws {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("llmbench-ppl-\(UUID())")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            let text = try Self.referenceText()
            let textFile = folder.appendingPathComponent("reference.txt")
            try text.write(to: textFile, atomically: true, encoding: .utf8)
            let line = try JSONEncoder().encode(["text": text])
            try line.write(to: folder.appendingPathComponent("reference.jsonl"))
            let task = try TaskDefinition(
                document: try BenchSpec.document(
                    """
                    name: sonnet-perplexity
                    dataset: reference.jsonl
                    output_type: rolling_loglikelihood
                    prompt: "{{text}}"
                    perplexity: {windowing: llama_cpp, context: \(Self.context)}
                    """),
                directory: folder)

            let reference = try await Self.llamaPerplexity(textFile: textFile, context: Self.context)
            let summary = try await LocalModelGate.withPrivateServer(parallel: 1, contextSize: 2048) { state, _ in
                try await withEngine() { engine in
                    try await EvalRun(
                        task: task,
                        target: BenchSpec.Target(
                            name: "smollm2", kind: .llamacpp, baseURL: state.baseURL, model: LocalModelPins.modelAlias),
                        engine: engine,
                        outputDirectory: folder.appendingPathComponent("out")
                    ).run()
                }.summary
            }
            let ppl = try #require(summary.perplexity, "failed: \(summary.failed)")
            #expect(summary.method == "forced_decoding" && summary.failed == 0)
            #expect(ppl.tokens == reference.chunks * (Self.context / 2 - 1), "the same tokens are scored")
            let gap = abs(ppl.tokenPerplexity - reference.perplexity) / reference.perplexity
            #expect(gap < 0.02, "llmbench \(ppl.tokenPerplexity) vs llama-perplexity \(reference.perplexity)")
            // The stored per-window log-probabilities recompute the figure.
            let stored = try String(
                contentsOf: folder.appendingPathComponent("out/items.jsonl"), encoding: .utf8)
            let record = try JSONDecoder().decode(EvalItemResult.self, from: Data(stored.utf8))
            let windows = try #require(record.windowLogprobs)
            #expect(windows.count == reference.chunks)
            let recomputed = exp(-windows.joined().reduce(0, +) / Double(ppl.tokens))
            #expect(abs(recomputed - ppl.tokenPerplexity) < 1e-9)
        }

        @Test func aTokenEndingInsideACharacterIsScoredNotDropped() async throws {
            try await LocalModelGate.withPrivateServer(parallel: 1, contextSize: 2048) { state, _ in
                let http = HTTPClient(eventLoopGroupProvider: .singleton)
                defer { _ = http.shutdown() }
                let model = LlamaCppForcedDecoding(baseURL: state.baseURL, http: HTTPTransport(http))
                let context = "Personal Care: How to use a product. You"
                // " ®" is two byte tokens here; llama-server reports the second only (the first ends mid-character).
                let window = try await LikelihoodScoring.split(
                    model, context: context, continuation: " use the Swiffer ® duster")
                #expect(window.continuation.count == 9)
                let scored = try await model.score(context: window.context, continuation: window.continuation)
                #expect(scored.map(\.token) == window.continuation)
                #expect(scored.allSatisfy { $0.logprob < 0 && $0.logprob.isFinite })
                // Read from the distribution at a position, a token the server does report gets the same value.
                let direct = try await model.logprob(of: window.continuation[0], after: window.context)
                #expect(abs(direct.logprob - scored[0].logprob) < 1e-3, "\(direct.logprob) vs \(scored[0].logprob)")
            }
        }

        @Test func forcedDecodingIsExactPerTokenAndKnowsTheGreedyChoice() async throws {
            try await LocalModelGate.withPrivateServer(parallel: 1, contextSize: 2048) { state, _ in
                let http = HTTPClient(eventLoopGroupProvider: .singleton)
                defer { _ = http.shutdown() }
                let model = LlamaCppForcedDecoding(baseURL: state.baseURL, http: HTTPTransport(http))
                let context = try await model.tokenize("The capital of France is", addSpecial: true)
                let continuation = try await model.tokenize(" Paris, and the capital of Spain", addSpecial: false)
                #expect(continuation.count >= 4)
                let together = try await model.score(context: context, continuation: continuation)
                #expect(together.map(\.token) == continuation)
                #expect(together.allSatisfy { $0.logprob < 0 && $0.logprob.isFinite })
                // Scoring token by token, each after the ones before it, gives the same log-probabilities.
                for index in 0..<3 {
                    let alone = try await model.score(
                        context: context + continuation.prefix(index), continuation: [continuation[index]])
                    #expect(abs(alone[0].logprob - together[index].logprob) < 1e-3, "token \(index)")
                }
                // What greedy decoding writes is, token for token, the top choice.
                let greedy = try await JSONEndpoint(baseURL: state.baseURL, http: HTTPTransport(http)).post(
                    "/completion",
                    [
                        "prompt": .array(context.map { .number(Double($0)) }), "n_predict": .number(4),
                        "temperature": .number(0), "return_tokens": .bool(true), "stream": .bool(false),
                    ])
                let written = greedy["tokens"]?.array?.compactMap { $0.integer } ?? []
                #expect(written.count == 4)
                let scored = try await model.score(context: context, continuation: written)
                let allTop = scored.allSatisfy { $0.isTop }
                #expect(allTop, "\(scored)")
            }
        }

        @Test func multipleChoiceByLogLikelihoodRunsOnTheRealModel() async throws {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("llmbench-mc-\(UUID())")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            try """
            {"id":"q1","question":{"stem":"Which of these is a colour?","choices":[{"text":"blue","label":"A"},{"text":"table","label":"B"},{"text":"seven","label":"C"}]},"answerKey":"A"}
            {"id":"q2","question":{"stem":"What do bees make?","choices":[{"text":"honey","label":"A"},{"text":"steel","label":"B"}]},"answerKey":"A"}
            {"id":"q3","question":{"stem":"How many legs does a spider have?","choices":[{"text":"eight","label":"1"},{"text":"three","label":"2"}]},"answerKey":"1"}
            """.write(to: folder.appendingPathComponent("arc.jsonl"), atomically: true, encoding: .utf8)
            let task = try TaskDefinition(
                document: try BenchSpec.document(
                    """
                    name: arc-style
                    dataset: arc.jsonl
                    output_type: multiple_choice
                    prompt: "Question: {{question.stem}}\\nAnswer:"
                    choices: question.choices
                    gold: "{{answerKey}}"
                    """),
                directory: folder)
            let (summary, results) = try await LocalModelGate.withPrivateServer(parallel: 2, contextSize: 2048) {
                state, _ in
                try await withEngine() { engine in
                    try await EvalRun(
                        task: task,
                        target: BenchSpec.Target(
                            name: "smollm2", kind: .llamacpp, baseURL: state.baseURL, model: LocalModelPins.modelAlias),
                        engine: engine,
                        concurrency: 2, outputDirectory: nil
                    ).run()
                }
            }
            #expect(summary.method == "forced_decoding" && summary.failed == 0 && summary.results == 3)
            #expect(summary.accuracy != nil && summary.accuracyNormalized != nil && summary.calibration?.n == 3)
            for result in results {
                let choices = try #require(result.choices)
                #expect(choices.logprobs.allSatisfy { $0 < 0 && $0.isFinite })
                #expect(abs(choices.probabilities.reduce(0, +) - 1) < 1e-9)
                #expect(result.outcome == (result.gold == [choices.predicted] ? .correct : .incorrect))
            }
            #expect(results.first { $0.itemID == "q3" }?.gold == [0])
        }

        @Test func theRealModelJudgesAnswersAndEveryVerdictIsRecorded() async throws {
            let task = try EvalTaskTests.task(
                """
                name: capitals
                dataset: {items: [{q: "What is the capital of France?", a: Paris}, {q: "What is the capital of Japan?", a: Tokyo}, {q: "What is the capital of Italy?", a: Rome}]}
                prompt: "{{q}} Answer in a few words."
                reference: "{{a}}"
                judge: simpleqa
                max_tokens: 24
                """)
            let (summary, results) = try await LocalModelGate.withPrivateServer(parallel: 2, contextSize: 4096) {
                state, _ in
                let (model, judge) = Self.modelAndJudge(baseURL: state.baseURL)
                return try await withEngine() { engine in
                    try await EvalRun(
                        task: task, target: model, engine: engine, concurrency: 2, outputDirectory: nil,
                        judgeTarget: judge
                    ).run()
                }
            }
            // A 135M judge is weak: the mechanics, not its wisdom. Every answer is judged, the whole transcript kept,
            // and a reply without a verdict is unparsed, never guessed.
            #expect(results.count == 3 && summary.failed == 0)
            for result in results {
                let record = try #require(result.judge)
                #expect(record.template == "simpleqa/1" && record.judge == "judge-smollm2")
                #expect(record.messages.last?.content.contains("Answer to grade:") == true && !record.reply.isEmpty)
                #expect((record.verdict == nil) == (result.outcome == .unparsed))
                #expect(record.latencyMilliseconds ?? 0 > 0 && record.outputTokens ?? 0 > 0)
            }
            let judged = try #require(summary.judged)
            #expect(judged.verdicts.values.reduce(0, +) + judged.unparsed + judged.failed == 3)
        }

        @Test func theRealJudgesLogprobsWeightItsRubricScore() async throws {
            let task = try EvalTaskTests.task(
                """
                name: coherence
                dataset: {items: [{q: "Why is the sky blue?"}, {q: "Name three primary colours."}]}
                prompt: "{{q}} Answer in one sentence."
                reference: ""
                judge: coherence
                max_tokens: 32
                """)
            let (summary, results) = try await LocalModelGate.withPrivateServer(parallel: 2, contextSize: 4096) {
                state, _ in
                var (model, judge) = Self.modelAndJudge(baseURL: state.baseURL)
                // A grammar holds the 135M judge to the reply format; the score's probabilities stay the model's.
                judge.extraBody = ["grammar": .string(#"root ::= "Score: " [1-5]"#)]
                return try await withEngine() { engine in
                    try await EvalRun(
                        task: task, target: model, engine: engine, concurrency: 2, outputDirectory: nil,
                        judgeTarget: judge
                    ).run()
                }
            }
            #expect(results.count == 2 && summary.failed == 0)
            for result in results {
                let record = try #require(result.judge)
                let plain = try #require(record.verdict.flatMap(Double.init), "reply: \(record.reply)")
                let weighted = try #require(record.weighted, "llama.cpp sent no usable logprobs for \(record.reply)")
                #expect((1...5).contains(weighted.score) && weighted.mass > 0 && weighted.mass <= 1 + 1e-9)
                #expect((1...5).contains(plain))
            }
            #expect(summary.rubric?.method == "probability_weighted" && summary.rubric?.weighted?.n == 2)
        }

        @Test func theRealModelJudgesPairsInBothOrders() async throws {
            func candidate(_ name: String, _ answers: [String]) -> PairwiseRun.Candidate {
                PairwiseRun.Candidate(
                    name: name, model: LocalModelPins.modelAlias,
                    results: answers.enumerated().map { index, answer in
                        var result = EvalItemResult(
                            itemID: "q\(index)", repeatIndex: 0, outcome: .correct, score: 1, answer: answer)
                        result.prompt = ["What is the capital of France?", "What is 2 + 2?"][index]
                        return result
                    })
            }
            let (summary, judgments) = try await LocalModelGate.withPrivateServer(parallel: 2, contextSize: 4096) {
                state, _ in
                try await withEngine { engine in
                    try await PairwiseRun(
                        candidates: [
                            candidate("right", ["Paris.", "4"]), candidate("wrong", ["Berlin.", "5"]),
                        ],
                        judgeTarget: BenchSpec.Target(
                            name: "judge-smollm2", kind: .llamacpp, baseURL: state.baseURL,
                            model: LocalModelPins.modelAlias),
                        engine: engine, concurrency: 1, outputDirectory: nil, resamples: 50
                    ).run()
                }
            }
            // The mechanics, not the 135M judge's wisdom: two asks per pair, each transcript kept, the outcome
            // following the two verdicts (a missing verdict leaves the pair out).
            #expect(judgments.count == 2 && summary.failed == 0)
            for judgment in judgments {
                #expect(judgment.forward.template == "pairwise/1" && !judgment.forward.reply.isEmpty)
                #expect(
                    judgment.forward.messages[1].content.contains(
                        "Answer of assistant A:\n\(judgment.itemID == "q0" ? "Paris." : "4")"))
                #expect(
                    judgment.backward.messages[1].content.contains(
                        "Answer of assistant A:\n\(judgment.itemID == "q0" ? "Berlin." : "5")"))
                let parsed = judgment.forward.verdict != nil && judgment.backward.verdict != nil
                #expect(parsed == (judgment.outcome != .unparsed))
            }
            #expect(summary.unparsed + (summary.pairs.first?.compared ?? 0) == 2)
            // Judge and both candidates are SmolLM2: each candidate is flagged for self-preference.
            #expect(summary.warnings.filter { $0.contains("self-preference") }.count == 2)
        }

        /// SmolLM2 on the private server, as the evaluated model and (under its own name) as the judge.
        static func modelAndJudge(baseURL: String) -> (model: BenchSpec.Target, judge: BenchSpec.Target) {
            let model = BenchSpec.Target(
                name: "smollm2", kind: .llamacpp, baseURL: baseURL, model: LocalModelPins.modelAlias)
            var judge = model
            judge.name = "judge-smollm2"
            return (model, judge)
        }

        /// Runs llama.cpp's `llama-perplexity` on a file: its final estimate and the number of chunks.
        static func llamaPerplexity(textFile: URL, context: Int) async throws -> (perplexity: Double, chunks: Int) {
            let installer = LocalModelInstaller()
            let paths = installer.paths
            let process = Process()
            process.executableURL = try await installer.installPerplexity()
            process.arguments = [
                "-m", paths.model.path, "-f", textFile.path, "-c", String(context), "-t", "2", "--no-warmup",
            ]
            let output = Pipe()
            process.standardOutput = output
            process.standardError = output
            try process.run()
            let data = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            let log = String(decoding: data, as: UTF8.self)
            #expect(process.terminationStatus == 0, "llama-perplexity failed:\n\(log.suffix(2000))")
            let estimate = try #require(
                log.firstMatch(of: /Final estimate: PPL = ([0-9.]+)/).flatMap { Double($0.1) },
                "no final estimate in:\n\(log.suffix(2000))")
            let chunks = try #require(
                log.firstMatch(of: /over ([0-9]+) chunks/).flatMap { Int($0.1) }, "no chunk count")
            return (estimate, chunks)
        }
    }
}
