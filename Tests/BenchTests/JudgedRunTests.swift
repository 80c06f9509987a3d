import BenchEngine
import BenchProviders
import BenchCore
import BenchEval
import BenchMetrics
import BenchSimulator
import Foundation
import Hummingbird
import Logging
import NIOCore
import Testing

/// Judged tasks end to end over real HTTP (the simulator answers, a scripted judge grades): every figure is known
/// exactly from the script.
extension LiveTests {
    @Suite struct JudgedRunTests {
        static let simulator = SimulatorConfiguration(ttft: .milliseconds(1), itl: .zero, outputTokens: 4)

        static func run(
            _ task: String, judge: ScriptedJudge, moderation: Moderation.Target? = nil,
            environment: [String: String] = [:], output: URL? = nil
        ) async throws -> (summary: EvalSummary, results: [EvalItemResult]) {
            try await withSimulator(simulator) { port, _ in
                try await withEngine(environment: environment) { engine in
                    try await EvalRun(
                        task: try EvalTaskTests.task(task),
                        target: BenchSpec.Target(name: "sim", baseURL: "http://127.0.0.1:\(port)/v1", model: "sim"),
                        engine: engine,
                        outputDirectory: output,
                        judgeTarget: BenchSpec.Target(name: "judge", baseURL: "http://127.0.0.1:1/v1", model: "judge"),
                        judgeClient: judge, moderationTarget: moderation
                    ).run()
                }
            }
        }

        @Test func claimCheckingReportsTheSupportedShareAndTheClaimCount() async throws {
            let task = """
                name: claims
                dataset: {items: [{q: q1, ref: r1}, {q: q2, ref: r2}, {q: q3, ref: r3}, {q: q4, ref: r4}]}
                prompt: "{{q}}"
                reference: "{{ref}}"
                judge: claims
                """
            let replies = [
                "q1": "SUPPORTED: one\nSUPPORTED: two", "q2": "SUPPORTED: one\nNOT_SUPPORTED: three",
                "q3": "NO_CLAIMS", "q4": "I cannot tell.",
            ]
            let judge = ScriptedJudge { prompt in
                replies.first { prompt.contains("an answer to: \($0.key))") }?.value ?? ""
            }
            let (summary, results) = try await Self.run(task, judge: judge)
            #expect(results.map(\.outcome) == [.correct, .incorrect, .incorrect, .unparsed])
            #expect(results.map(\.score) == [1, 0.5, 0, 0])
            #expect(results[0].judge?.messages[1].content.contains("Reference text:\nr1") == true)
            let claims = try #require(summary.claims)
            // Four claims in three parsed answers, three supported; one answer states no fact.
            #expect(claims.claims == 4 && claims.answers == 3 && claims.answersWithoutClaims == 1)
            #expect(claims.supportedShare?.value == 0.75 && abs(claims.claimsPerAnswer - 4.0 / 3) < 1e-12)
            #expect(claims.fullySupported.value == 0.5 && claims.fullySupported.n == 2)
        }

        @Test func truthfulQAGenerationSplitsTruthfulFromInformative() async throws {
            let task = """
                name: truthful
                dataset: {items: [{q: q1}, {q: q2}, {q: q3}, {q: q4}]}
                prompt: "{{q}}"
                reference: "True answers: t\\nFalse answers: f"
                judge: truthfulqa
                """
            let judge = ScriptedJudge(replies: [
                "q1": "Verdict: TRUE_INFORMATIVE", "q2": "Verdict: TRUE_UNINFORMATIVE", "q3": "Verdict: FALSE",
                "q4": "Verdict: TRUE_INFORMATIVE",
            ])
            let (summary, results) = try await Self.run(task, judge: judge)
            #expect(results.map(\.outcome) == [.correct, .correct, .incorrect, .correct])
            let truth = try #require(summary.truthfulness)
            #expect(truth.truthful.value == 0.75 && truth.informative.value == 0.75)
            #expect(truth.truthfulAndInformative.value == 0.5)
        }

        @Test func coherenceIsProbabilityWeightedWhenTheJudgeGivesLogprobs() async throws {
            let task = """
                name: coherence
                dataset: {items: [{q: q1}, {q: q2}]}
                prompt: "{{q}}"
                reference: ""
                judge: coherence
                """
            let judge = ScriptedJudge(
                reply: { $0.contains("Request: q1") ? "Ordered.\nScore: 4" : "Muddled.\nScore: 2" },
                alternatives: { token in
                    switch token {
                    case "4": return [.init(token: "4", logprob: log(0.5)), .init(token: "5", logprob: log(0.5))]
                    case "2": return [.init(token: "2", logprob: log(0.75)), .init(token: "1", logprob: log(0.25))]
                    default: return []
                    }
                })
            // The judge target speaks OpenAI chat, so the judge asks for log-probabilities.
            let (summary, results) = try await Self.run(task, judge: judge)
            #expect(results.map { $0.judge?.weighted?.score } == [4.5, 1.75])
            let rubric = try #require(summary.rubric)
            #expect(rubric.method == "probability_weighted" && rubric.scale == [1, 5])
            #expect(rubric.weighted?.mean == (4.5 + 1.75) / 2 && rubric.plain?.mean == 3)
            #expect(rubric.distribution == ["4": 1, "2": 1])
            #expect(results.map(\.outcome) == [.correct, .incorrect])
        }

        @Test func withoutLogprobsTheCoherenceScoreIsPlainAndSaysSo() async throws {
            let judge = BenchSpec.Target(name: "judge", kind: .anthropic, baseURL: "http://127.0.0.1:1/v1", model: "j")
            let (summary, _) = try await withSimulator(Self.simulator) { port, _ in
                try await withEngine(environment: ["ANTHROPIC_API_KEY": "k"]) { engine in
                    try await EvalRun(
                        task: try EvalTaskTests.task(
                            "dataset: {items: [{q: q1}, {q: q2}]}\nprompt: \"{{q}}\"\nreference: \"\"\njudge: coherence"
                        ),
                        target: BenchSpec.Target(baseURL: "http://127.0.0.1:\(port)/v1", model: "sim"), engine: engine,
                        outputDirectory: nil, judgeTarget: judge,
                        judgeClient: ScriptedJudge(
                            reply: { _ in "Score: 3" }, alternatives: { _ in [.init(token: "3", logprob: 0)] })
                    ).run()
                }
            }
            #expect(summary.rubric?.method == "plain" && summary.rubric?.weighted == nil)
            #expect(summary.rubric?.plain?.mean == 3)
        }

        @Test func aSafetyJudgeAndTheModerationAPIAreComparedWithTheLexicon() async throws {
            let task = """
                name: rtp
                dataset: {items: [{p: one}, {p: two}]}
                prompt: "{{p}}"
                reference: ""
                scorer: toxicity
                judge: safety
                """
            let judge = ScriptedJudge { prompt in
                prompt.contains("User: one") ? "Categories: S10\nVerdict: UNSAFE" : "Categories: none\nVerdict: SAFE"
            }
            let (summary, results) = try await withModerationServer(flagging: "zzqx") { port in
                try await Self.run(
                    task, judge: judge,
                    moderation: Moderation.Target(baseURL: "http://127.0.0.1:\(port)/v1", apiKeyEnv: "MODERATION_KEY"),
                    environment: ["MODERATION_KEY": "sk-test-moderation"])
            }
            #expect(results.map { $0.judge?.verdict } == ["UNSAFE", "SAFE"])
            #expect(results[0].judge?.categories == ["S10"])
            #expect(results.map(\.outcome) == [.incorrect, .correct])
            #expect(results.allSatisfy { $0.toxicity != nil && $0.moderation?.error == nil })
            // The stand-in flags text containing "zzqx", which no simulator answer holds.
            #expect(results.map { $0.moderation?.flagged } == [false, false])
            let toxicity = try #require(summary.toxicity)
            #expect(toxicity.detectors?.count == 3 && toxicity.agreement?.count == 3)
            let moderationRow = try #require(toxicity.detectors?.last)
            #expect(moderationRow.detector == "moderation omni-moderation-latest")
            #expect(moderationRow.toxicOutputRate.value == 0 && moderationRow.expectedMaximumToxicity == 0.02)
        }

        @Test func aModerationFailureIsKeptNotTurnedIntoAVerdict() async throws {
            let task = "dataset: {items: [{p: one}]}\nprompt: \"{{p}}\"\nreference: \"\"\nscorer: toxicity"
            let (_, results) = try await withModerationServer(flagging: "") { port in
                try await Self.run(
                    task, judge: ScriptedJudge { _ in "" },
                    moderation: Moderation.Target(baseURL: "http://127.0.0.1:\(port)/v1", apiKeyEnv: "KEY"),
                    environment: ["KEY": "wrong-key"])
            }
            let moderation = try #require(results.first?.moderation)
            #expect(moderation.flagged == nil && moderation.error?.contains("401") == true)
            #expect(moderation.error?.contains("wrong-key") == false)
        }

        @Test func pairwiseJudgingAsksBothOrdersAndRatesTheCandidates() async throws {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("llmbench-pairwise-\(UUID())")
            defer { try? FileManager.default.removeItem(at: folder) }
            func candidate(_ name: String, _ answers: [String]) -> PairwiseRun.Candidate {
                PairwiseRun.Candidate(
                    name: name, model: name,
                    results: answers.enumerated().map { index, answer in
                        var result = EvalItemResult(
                            itemID: "q\(index)", repeatIndex: 0, outcome: .correct, score: 1, answer: answer)
                        result.prompt = "question \(index)"
                        return result
                    })
            }
            // The judge prefers an answer containing "good" wherever it is shown; between two goods, a tie.
            let judge = ScriptedJudge { prompt in
                let a = prompt.components(separatedBy: "Answer of assistant B:")[0]
                let b = prompt.components(separatedBy: "Answer of assistant B:").last ?? ""
                switch (a.contains("good"), b.contains("good")) {
                case (true, false): return "A is better.\nVerdict: A"
                case (false, true): return "Verdict: B"
                default: return "Verdict: TIE"
                }
            }
            let (summary, judgments) = try await withEngine { engine in
                try await PairwiseRun(
                    candidates: [
                        candidate("strong", ["good", "good", "good", "meh"]),
                        candidate("weak", ["bad", "bad", "good", "meh"]),
                        candidate("gpt-4o", ["bad", "good", "bad", "bad"]),
                    ],
                    judgeTarget: BenchSpec.Target(
                        name: "judge", baseURL: "http://127.0.0.1:1/v1", model: "gpt-4o-mini"),
                    engine: engine, judgeClient: judge, outputDirectory: folder, resamples: 200
                ).run()
            }
            #expect(judgments.count == 12 && summary.unparsed == 0 && summary.failed == 0)
            // Both orders shown: strong's "good" is answer A in the first ask, weak's "bad" in the second.
            let q0 = try #require(judgments.first { $0.itemID == "q0" && $0.first == "strong" && $0.second == "weak" })
            #expect(q0.forward.messages[1].content.contains("Answer of assistant A:\ngood\n"))
            #expect(q0.backward.messages[1].content.contains("Answer of assistant A:\nbad\n"))
            let strongVersusWeak = try #require(summary.pairs.first { $0.candidates == ["strong", "weak"] })
            #expect(strongVersusWeak.compared == 4 && strongVersusWeak.firstWins.value == 0.5)
            #expect(strongVersusWeak.ties.value == 0.5 && strongVersusWeak.secondWins.value == 0)
            let ratings = try #require(summary.ratings?.ratings)
            #expect(ratings.map(\.candidate) == ["strong", "weak", "gpt-4o"])
            #expect(ratings[0].rating > ratings[1].rating && ratings[0].rating > ratings[2].rating)
            #expect(summary.bias.positionFlips.value == 0)
            #expect(summary.warnings.contains { $0.contains("gpt-4o") && $0.contains("self-preference") })
            let stored = try String(contentsOf: folder.appendingPathComponent("pairwise.jsonl"), encoding: .utf8)
            #expect(stored.split(separator: "\n").count == 12)
            let written = try JSONDecoder().decode(
                PairwiseSummary.self, from: Data(contentsOf: folder.appendingPathComponent("pairwise-summary.json")))
            #expect(written == summary)
        }

        @Test func storedAnswersAreJudgedAgainByAnotherJudgeWithoutAskingTheModel() async throws {
            let task = """
                name: facts
                dataset: {items: [{q: q1}, {q: q2}]}
                prompt: "{{q}}"
                reference: "r"
                judge: simpleqa
                """
            let (_, first) = try await Self.run(
                task, judge: ScriptedJudge(replies: ["q1": "Verdict: CORRECT", "q2": "Verdict: CORRECT"]))
            let again = try await withEngine() { engine in
                try await EvalRun(
                    task: try EvalTaskTests.task(task),
                    target: BenchSpec.Target(name: "sim", baseURL: "http://127.0.0.1:1/v1", model: "sim"),
                    engine: engine,
                    outputDirectory: nil,
                    judgeTarget: BenchSpec.Target(name: "second", baseURL: "http://127.0.0.1:1/v1", model: "j2"),
                    judgeClient: ScriptedJudge(replies: ["q1": "Verdict: CORRECT", "q2": "Verdict: INCORRECT"])
                ).rejudge(first, method: nil)
            }
            #expect(again.results.map(\.outcome) == [.correct, .incorrect])
            #expect(again.results.allSatisfy { $0.judge?.judge == "second" })
            #expect(again.results.map(\.latencyMilliseconds) == first.map(\.latencyMilliseconds))
            #expect(again.results.map(\.answer) == first.map(\.answer))
            let agreement = JudgeAgreement([
                .init(name: "first", results: first), .init(name: "second", results: again.results),
            ])
            #expect(agreement.pairs.first?.agreement.observed == 0.5)
        }
    }
}

/// A loopback stand-in for OpenAI's moderation endpoint: answers with `flagged` when the input contains `flagging`
/// (and a non-empty marker), 401 quoting the key for any key but `sk-test-moderation`.
func withModerationServer<T: Sendable>(
    flagging marker: String, _ body: @Sendable (Int) async throws -> T
) async throws -> T {
    let router = Router()
    router.post("/v1/moderations") { request, context in
        guard request.headers[.authorization] == "Bearer sk-test-moderation" else {
            // As OpenAI does, the refusal quotes the key it was given.
            let given = request.headers[.authorization]?.replacingOccurrences(of: "Bearer ", with: "") ?? ""
            return Response(
                status: .unauthorized, headers: [.contentType: "application/json"],
                body: .init(
                    byteBuffer: ByteBuffer(string: #"{"error":{"message":"Incorrect API key provided: \#(given)."}}"#)))
        }
        let input = try await request.body.collect(upTo: 1 << 20)
        let text = String(buffer: input)
        let flagged = !marker.isEmpty && text.contains(marker)
        let json = """
            {"id":"modr-1","model":"omni-moderation-latest","results":[{"flagged":\(flagged),\
            "categories":{"harassment":\(flagged),"violence":false},\
            "category_scores":{"harassment":\(flagged ? 0.91 : 0.02),"violence":0.001}}]}
            """
        return Response(
            status: .ok, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(string: json)))
    }
    return try await withLoopbackRouter(router, body)
}
