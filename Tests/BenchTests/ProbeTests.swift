import BenchEngine
import BenchCore
import BenchMetrics
import BenchProviders
import BenchReport
import BenchSimulator
import Foundation
import Testing

@Suite struct ProbeUnitTests {
    /// The events a codec reads from a recorded stream.
    static func events(_ fixture: String, _ wire: some WireProtocol) throws -> [GenerationEvent] {
        var body = ResponseBodyDecoder(framing: wire.framing, decoder: wire.makeDecoder())
        var events: [GenerationEvent] = []
        try Fixtures.bytes(fixture).withUnsafeBytes { body.push($0, into: &events) }
        body.finish(into: &events)
        return events
    }

    static func logprobs(_ events: [GenerationEvent]) -> [GeneratedTokenLogprob] {
        events.flatMap { event -> [GeneratedTokenLogprob] in
            if case .tokenLogprobs(let tokens) = event { return tokens }
            return []
        }
    }

    @Test func everyCodecThatOffersLogprobsReadsThemBack() throws {
        let chat = Self.logprobs(try Self.events("openai_chat_stream_logprobs.sse", OpenAIChatWire()))
        #expect(!chat.isEmpty && chat.allSatisfy { $0.logprob <= 0 && !$0.top.isEmpty })
        let gemini = Self.logprobs(try Self.events("gemini_stream_logprobs.sse", GeminiWire()))
        #expect(gemini.map(\.token) == ["Paris", "."] && gemini[0].top.map(\.token) == ["Paris", "The"])
        #expect(gemini[1].logprob == -0.2)
        let cohere = Self.logprobs(try Self.events("cohere_v2_chat_stream.sse", CohereChatWire()))
        #expect(cohere.first == GeneratedTokenLogprob(token: "Hello", logprob: -0.0021, top: []))
        let ollama = Self.logprobs(try Self.events("ollama_chat_thinking_logprobs.ndjson", OllamaChatWire()))
        #expect(ollama.first?.token == "Hello" && ollama.first?.top.map(\.token) == ["Hello", "Hi"])
        // Streams recorded without the option carry none, and protocols that offer none say so.
        #expect(Self.logprobs(try Self.events("openai_chat_stream_usage.sse", OpenAIChatWire())).isEmpty)
        #expect(!AnthropicMessagesWire().capabilities.outputLogprobs && !ProviderKind.bedrock.capabilities.seed)
        // TGI gives each token's logprob always, but reads it back only when alternatives were asked for.
        #expect(Self.logprobs(try Self.events("tgi_generate_stream.sse", TGIGenerateWire())).isEmpty)
    }

    @Test func codecsAskForWhatTheirProtocolOffersAndLeaveOutWhatItLacks() throws {
        let request = GenerationRequest(
            model: "m", messages: [.init(role: "user", content: "hi")], maxOutputTokens: 8, exactOutputLength: true,
            seed: 7, topLogprobs: 3, jsonObject: true)
        func body(_ wire: some WireProtocol) throws -> JSONValue {
            try JSONParser.parse(
                String(
                    decoding: try wire.streamingRequest(request, baseURL: "http://h", apiKey: nil).body, as: UTF8.self))
        }
        let chat = try body(OpenAIChatWire())
        #expect(chat["logprobs"] == .bool(true) && chat["top_logprobs"] == .number(3) && chat["seed"] == .number(7))
        #expect(chat["response_format"]?["type"] == .string("json_object") && chat["ignore_eos"] == .bool(true))
        let azure = try body(AzureOpenAIWire())
        #expect(azure["ignore_eos"] == nil && azure["logprobs"] == .bool(true))
        let responses = try body(OpenAIResponsesWire())
        #expect(
            responses["top_logprobs"] == .number(3) && responses["text"]?["format"]?["type"] == .string("json_object"))
        #expect(responses["seed"] == nil)
        let gemini = try body(GeminiWire())["generationConfig"]
        #expect(gemini?["responseLogprobs"] == .bool(true) && gemini?["logprobs"] == .number(3))
        #expect(gemini?["responseMimeType"] == .string("application/json"))
        let cohere = try body(CohereChatWire())
        #expect(cohere["logprobs"] == .bool(true) && cohere["response_format"]?["type"] == .string("json_object"))
        let ollama = try body(OllamaChatWire())
        #expect(
            ollama["logprobs"] == .bool(true) && ollama["top_logprobs"] == .number(3)
                && ollama["format"] == .string("json"))
        let tgi = try body(TGIGenerateWire())["parameters"]
        #expect(tgi?["top_n_tokens"] == .number(3))
        let anthropic = try body(AnthropicMessagesWire())
        #expect(anthropic["logprobs"] == nil && anthropic["response_format"] == nil && anthropic["seed"] == nil)
        // What each protocol says of itself is what its codec does.
        #expect(OpenAIChatWire().capabilities.promptLogprobMethods == [.promptLogprobs, .forcedDecoding])
        #expect(TGIGenerateWire().capabilities.promptLogprobMethods == [.decoderInputDetails])
        #expect(!OpenAIResponsesWire().capabilities.seed && GeminiWire().capabilities.jsonMode)
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
                try await withEngine {
                    try await CapabilityProbe.probe(simulatorSpec(port: port).targets[0], engine: $0)
                }
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

        @Test func anUnreachableTargetFailsStreamingAndLeavesTheRestInconclusive() async throws {
            let target = BenchSpec.Target(baseURL: "http://127.0.0.1:9/v1", model: "m")
            let report = try await withEngine { try await CapabilityProbe.probe(target, engine: $0) }
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
                return try await BenchmarkRun.testRun(
                    spec: spec, outputDirectory: nil, environment: ["LLMBENCH_DATA": data.path]
                )
            }
            #expect(report.onlyStep.exactOutput.requested == 0)
            #expect(report.targets[0].notes.first?.contains("exact output off as the capability probe") == true)
        }
    }
}
