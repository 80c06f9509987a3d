import AsyncHTTPClient
import BenchEngine
import BenchProviders
import BenchCore
import BenchEval
import BenchLocal
import BenchMetrics
import BenchReport
import Foundation
import Testing

/// End to end against the real default model: SmolLM2-135M-Instruct on llama.cpp's server, started and stopped by
/// llmbench. Runs when the model is installed (`llmbench local install`); `scripts/test` installs it and sets
/// LLMBENCH_REQUIRE_LOCAL_MODEL=1, which turns a missing install into a failure instead of a skip.
extension LiveTests {
    @Suite(.enabled(if: LocalModelGate.shouldRun, "the local model is not installed (run `llmbench local install`)"))
    struct LocalModelTests {
        @Test func realModelBenchmarkAgreesWithTheServersOwnTimings() async throws {
            let (report, probe, evaluation, tokenCounts) = try await LocalModelGate.withPrivateServer(
                parallel: 2, contextSize: 4096
            ) { state, root in
                var spec = BenchSpec()
                spec.targets = [
                    BenchSpec.Target(
                        name: "smollm2", baseURL: state.baseURL, model: LocalModelPins.modelAlias,
                        extraBody: ["cache_prompt": .bool(false)]
                    )
                ]
                spec.shapes = [.concurrency(users: 1), .concurrency(users: 2)]
                spec.maxRequests = 4
                spec.inputTokens = 48
                spec.outputTokens = 32
                spec.distinctPrompts = 2
                spec.temperature = 0
                let report = try await BenchmarkRun.testRun(
                    spec: spec, outputDirectory: nil, environment: ["LLMBENCH_DATA": root.path]
                )
                let probe = try await withEngine { try await CapabilityProbe.probe(spec.targets[0], engine: $0) }
                let evaluation = try await withEngine() { engine in
                    try await EvalRun(
                        task: try EvalTaskTests.task(EvalTaskTests.gsm8k), target: spec.targets[0], engine: engine,
                        outputDirectory: nil
                    ).run()
                }.summary
                // The server's tokenizer counts an answer's text in the tokens the server generated it in.
                var counting = spec.targets[0]
                counting.tokenizer = .server
                let tokenCounts = try await withEngine { engine in
                    let endpoint = try await engine.endpoint(for: counting, field: "target")
                    let completion = await endpoint.complete(
                        GenerationRequest(
                            model: LocalModelPins.modelAlias,
                            messages: [ChatMessage(role: "user", content: "Describe the sea in a few sentences.")],
                            maxOutputTokens: 24, exactOutputLength: true, temperature: 0))
                    let counter = try #require(endpoint.tokenCounter)
                    return (completion.usage?.outputTokens, try await counter.countTokens(completion.answer))
                }
                return (report, probe, evaluation, tokenCounts)
            }
            let generated = try #require(tokenCounts.0)
            #expect(
                generated == 24 && abs(tokenCounts.1 - generated) <= 1, "usage \(generated), /tokenize \(tokenCounts.1)"
            )
            for step in report.targets[0].steps {
                let m = step.metrics
                #expect(m.counts.succeeded == 4 && m.counts.failed == 0, "\(step.label): \(step.notes)")
                #expect(m.outputTokenSources == ["usage": 4])
                // ignore_eos makes every answer exactly 32 tokens, and llama.cpp reports that.
                #expect(m.outputTokens.min == 32 && m.outputTokens.max == 32)
                #expect(m.exactOutput.honoured == 4)
                let split = try #require(m.serverTimings, "llama-server reports timings")
                #expect(split.requests == 4)
                #expect(split.usageMatchesServer == 4, "usage output tokens equal the server's predicted_n")
                let ratio = try #require(split.clientToServerDecodeRatio.p50)
                #expect(abs(ratio - 1) < 0.10, "\(step.label): client ÷ server decode speed p50 = \(ratio)")
                #expect((split.ttftOutsideServerMs.p50 ?? -1) >= 0)
                // Two prompts, each sent twice at temperature 0: the answers must repeat exactly.
                let determinism = try #require(m.determinism)
                #expect(determinism.repeatedPrompts == 2 && determinism.identical == 2)
                #expect((m.ttftMs.p50 ?? 0) > 0 && (m.decodeTps.p50 ?? 0) > 0)
            }

            // What the probe must find on llama.cpp's server with SmolLM2.
            for capability in [
                ProbeReport.Capability.streaming, .streamingUsage, .maxTokens, .ignoreEOS, .outputLogprobs,
            ] {
                #expect(
                    probe.findings[capability]?.verdict == .supported,
                    "\(capability): \(String(describing: probe.findings[capability]))")
            }
            #expect(probe.findings[.promptLogprobs]?.method == "forced_decoding")
            #expect(probe.findings.count == ProbeReport.Capability.allCases.count)

            // Three GSM8K items through the real model: the mechanics, not the 135M model's arithmetic.
            #expect(evaluation.results == 3 && evaluation.failed == 0)
            #expect(evaluation.correct + evaluation.incorrect + evaluation.unparsed == 3)
            // Answers cut at the token limit before an answer are censored: with all three cut there is no accuracy,
            // only the bounds.
            if evaluation.censored == 3 {
                #expect(
                    evaluation.accuracy == nil
                        && evaluation.accuracyBounds == AccuracyBounds(ifCutWrong: 0, ifCutRight: 1))
            } else {
                #expect(evaluation.interval != nil)
            }
        }
    }
}

/// Whether the real-model tests run: always when required, else when the model is installed.
enum LocalModelGate {
    /// Runs `body` against a llama-server of its own (a private run folder over the shared installation, so a
    /// test never touches a user's running server), and checks the server is gone afterwards.
    static func withPrivateServer<Result: Sendable>(
        parallel: Int, contextSize: Int,
        _ body: (_ state: LocalServerState, _ root: URL) async throws -> Result
    ) async throws -> Result {
        let installer = LocalModelInstaller()
        try #require(installer.isInstalled, "the local model must be installed: `llmbench local install`")
        let paths = LocalModelPaths(
            root: FileManager.default.temporaryDirectory.appendingPathComponent("llmbench-local-\(UUID())"))
        try FileManager.default.createDirectory(at: paths.root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: paths.root) }
        for item in ["models", "llama.cpp"] {
            try FileManager.default.createSymbolicLink(
                at: paths.root.appendingPathComponent(item),
                withDestinationURL: installer.paths.root.appendingPathComponent(item)
            )
        }
        let server = LocalServer(paths: paths)
        let state = try await server.start(
            parallel: parallel, contextSize: contextSize, isHealthy: LocalServer.healthProbe(HTTPClient.shared))
        let result: Result
        do {
            result = try await body(state, paths.root)
        } catch {
            server.stop()
            throw error
        }
        #expect(server.stop())
        #expect(!LocalServer.isAlive(state.pid), "llama-server must be gone after stop")
        #expect(await !LocalServer.isHealthy(port: state.port, http: HTTPClient.shared))
        return result
    }

    static var shouldRun: Bool {
        ProcessInfo.processInfo.environment["LLMBENCH_REQUIRE_LOCAL_MODEL"] == "1" || LocalModelInstaller().isInstalled
    }
}
