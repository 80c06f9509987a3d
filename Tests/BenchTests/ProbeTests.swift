import BenchApp
import BenchCore
import BenchMetrics
import BenchProviders
import BenchReport
import BenchSimulator
import Foundation
import Testing

@Suite struct ProbeUnitTests {
    static func documents(_ fixture: String) throws -> [JSONValue] {
        RawResponse(status: 200, body: Data(try Fixtures.bytes(fixture))).jsonDocuments(framing: .serverSentEvents)
    }

    @Test func logprobsAreFoundInEveryProvidersShapeAndNowhereElse() throws {
        for fixture in ["openai_chat_stream_logprobs.sse", "gemini_stream_logprobs.sse", "cohere_v2_chat_stream.sse"] {
            #expect(try Self.documents(fixture).contains(where: CapabilityProbe.containsLogprobs), "\(fixture)")
        }
        for fixture in ["openai_chat_stream_usage.sse", "anthropic_messages_stream_thinking.sse"] {
            #expect(try !Self.documents(fixture).contains(where: CapabilityProbe.containsLogprobs), "\(fixture)")
        }
        // OpenAI sends `"logprobs": null` on chunks when they were not asked for.
        #expect(!CapabilityProbe.containsLogprobs(try JSONParser.parse(#"{"choices":[{"logprobs":null}]}"#)))
    }

    @Test func aWholeJSONBodyIsOneDocument() {
        let response = RawResponse(status: 200, body: Data(#"{"prompt_logprobs":[null,{"1":{"logprob":-1}}]}"#.utf8))
        #expect(response.jsonDocuments(framing: .serverSentEvents).count == 1)
    }

    @Test func storedProbesRoundTripPerEndpointAndModel() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("llmbench-probes-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = ProbeStore(directory: directory)
        let report = ProbeReport(
            target: "t", kind: "vllm", baseURL: "http://gpu:8000/v1", model: "org/model",
            probedAt: "2026-11-29T00:00:00Z",
            llmbenchVersion: "x",
            findings: [
                .ignoreEOS: .init(.supported, "32 of 32"),
                .promptLogprobs: .init(.supported, "ok", method: "prompt_logprobs"),
            ]
        )
        try store.save(report)
        #expect(store.load(kind: "vllm", baseURL: "http://gpu:8000/v1", model: "org/model") == report)
        #expect(store.load(kind: "vllm", baseURL: "http://gpu:8000/v1", model: "other") == nil)
        #expect(
            store.file(kind: "vllm", baseURL: "http://gpu:8000/v1", model: "org/model").lastPathComponent.hasPrefix(
                "vllm-gpu-org_model-"))
        #expect(report.supports(.ignoreEOS) == true && report.supports(.seed) == nil)
    }
}

extension LiveTests {
    @Suite struct ProbeLoopbackTests {
        @Test func theSimulatorIsProbedForWhatItDoesAndDoesNot() async throws {
            let configuration = SimulatorConfiguration(ttft: .milliseconds(1), itl: .zero, outputTokens: 64)
            let report = try await withSimulator(configuration) { port, _ in
                await CapabilityProbe.probe(simulatorSpec(port: port).targets[0], apiKey: nil)
            }
            #expect(report.findings[.streaming]?.verdict == .supported)
            #expect(report.findings[.streamingUsage]?.verdict == .supported)
            #expect(report.findings[.maxTokens]?.verdict == .supported)
            // The simulator always writes max_tokens tokens, so ignore_eos cannot be told apart.
            #expect(report.findings[.ignoreEOS]?.verdict == .inconclusive)
            #expect(report.findings[.outputLogprobs]?.verdict == .unsupported)
            #expect(report.findings[.promptLogprobs]?.verdict == .unsupported)
            #expect(report.findings[.jsonMode]?.verdict == .unsupported)
        }

        @Test func anUnreachableTargetFailsStreamingAndLeavesTheRestInconclusive() async {
            let target = BenchSpec.Target(baseURL: "http://127.0.0.1:9/v1", model: "m")
            let report = await CapabilityProbe.probe(target, apiKey: nil)
            #expect(report.findings[.streaming]?.verdict == .unsupported)
            #expect(report.findings[.seed]?.verdict == .inconclusive)
        }

        @Test func aStoredProbeDecidesExactOutputAndTheReportSaysSo() async throws {
            let data = FileManager.default.temporaryDirectory.appendingPathComponent("llmbench-data-\(UUID())")
            defer { try? FileManager.default.removeItem(at: data) }
            let configuration = SimulatorConfiguration(ttft: .milliseconds(1), itl: .zero, outputTokens: 8)
            let report = try await withSimulator(configuration) { port, _ in
                let spec = simulatorSpec(port: port) {
                    $0.maxRequests = 3
                    $0.outputTokens = 8
                }
                let target = spec.targets[0]
                try ProbeStore(directory: data.appendingPathComponent("probes")).save(
                    ProbeReport(
                        target: target.name, kind: target.kind.rawValue, baseURL: target.baseURL, model: target.model,
                        probedAt: "2026-11-29T00:00:00Z", llmbenchVersion: "x",
                        findings: [.ignoreEOS: .init(.unsupported, "stopped at 3 of 32 tokens")]
                    )
                )
                return try await BenchmarkRun(
                    spec: spec, outputDirectory: nil, environment: ["LLMBENCH_DATA": data.path]
                ).run()
            }
            #expect(report.onlyStep.exactOutput.requested == 0)
            #expect(report.targets[0].notes.first?.contains("exact output off as the capability probe") == true)
        }
    }
}
