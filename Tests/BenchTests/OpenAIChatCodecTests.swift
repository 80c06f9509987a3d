import BenchCore
import BenchProviders
import Foundation
import Testing

@Suite struct OpenAIChatCodecTests {
    static func events(_ fixture: String) throws -> [GenerationEvent] {
        var decoder = SSEDecoder()
        var sse: [ServerSentEvent] = []
        try decoder.push(Fixtures.bytes(fixture), into: &sse)
        return sse.flatMap(OpenAIChatCodec.decode)
    }

    @Test func usageStreamYieldsTextFinishUsageAndDone() throws {
        let events = try Self.events("openai_chat_stream_usage.sse")
        #expect(
            events == [
                .text("Hello", channel: .answer), .text(" there", channel: .answer), .text("!", channel: .answer),
                .finish(.stop),
                .usage(TokenUsage(inputTokens: 19, cachedInputTokens: 0, outputTokens: 4, reasoningTokens: 0)),
                .done,
            ]
        )
    }

    @Test func llamaCppStreamSeparatesReasoningAndCarriesTimings() throws {
        let events = try Self.events("llamacpp_chat_stream.sse")
        #expect(events.first == .text("Greet back.", channel: .reasoning))
        #expect(events.contains(.text("Hello", channel: .answer)))
        #expect(
            events.contains(
                .serverTimings(
                    ServerTimings(
                        promptTokens: 1, promptMilliseconds: 30.958, predictedTokens: 4, predictedMilliseconds: 75.525,
                        predictedPerSecond: 52.962595167163194, cachedTokens: 236
                    )
                )
            )
        )
        #expect(events.last == .done)
    }

    @Test func midStreamErrorsBecomeFailuresWithTheProviderMessage() throws {
        for fixture in [
            "openai_chat_stream_error_midstream.sse", "vllm_error_midstream.sse", "llamacpp_error_midstream.sse",
        ] {
            let events = try Self.events(fixture)
            let failure = events.compactMap { event -> ProviderError? in
                if case .failure(let error) = event { return error }
                return nil
            }.first
            #expect(failure?.kind == .server, "\(fixture)")
            #expect(failure?.message.contains("error in stream") == true, "\(fixture)")
        }
    }

    @Test func rateLimitErrorInStreamIsAThrottle() {
        let events = OpenAIChatCodec.decode(
            ServerSentEvent(data: #"{"error":{"message":"slow down","type":"rate_limit_exceeded","code":429}}"#)
        )
        #expect(events.count == 1)
        if case .failure(let error) = events.first { #expect(error.isThrottle) } else { Issue.record("no failure") }
    }

    @Test func roleOnlyAndEmptyDeltasYieldNothing() {
        let roleOnly = #"{"choices":[{"index":0,"delta":{"role":"assistant","content":null}}]}"#
        let empty = #"{"choices":[{"index":0,"delta":{"content":""}}]}"#
        #expect(OpenAIChatCodec.decode(ServerSentEvent(data: roleOnly)).isEmpty)
        #expect(OpenAIChatCodec.decode(ServerSentEvent(data: empty)).isEmpty)
    }

    @Test func malformedJSONIsADecodingFailure() {
        let events = OpenAIChatCodec.decode(ServerSentEvent(data: #"{"choices":[{"delta":{"content":"x"#))
        if case .failure(let error) = events.first {
            #expect(error.kind == .decoding)
        } else {
            Issue.record("no failure")
        }
    }

    @Test func requestEncodingAsksForUsageAndExactLength() throws {
        let request = GenerationRequest(
            model: "m", messages: [ChatMessage(role: "user", content: "hi")], maxOutputTokens: 32,
            exactOutputLength: true, temperature: 0, seed: 7, extraBody: ["cache_prompt": .bool(false)]
        )
        let body = try JSONDecoder().decode(
            [String: JSONValue].self, from: OpenAIChatCodec.encodeStreamingRequest(request))
        #expect(body["stream"] == .bool(true))
        #expect(body["stream_options"] == .object(["include_usage": .bool(true)]))
        #expect(body["max_tokens"] == .number(32))
        #expect(body["ignore_eos"] == .bool(true))
        #expect(body["min_tokens"] == .number(32))
        #expect(body["seed"] == .number(7))
        #expect(body["cache_prompt"] == .bool(false))
    }

    @Test func httpFailuresAreClassified() {
        let body = Data(#"{"error":{"message":"Incorrect API key provided"}}"#.utf8)
        let auth = HTTPFailureClassifier.classify(
            status: 401, headers: [], body: body, url: "http://x/v1/chat/completions")
        #expect(auth.kind == .authentication)
        #expect(auth.message.contains("Incorrect API key provided"))
        let throttled = HTTPFailureClassifier.classify(
            status: 429, headers: [("Retry-After", "2")], body: Data(), url: "http://x"
        )
        #expect(throttled.kind == .rateLimited && throttled.retryAfterSeconds == 2)
        #expect(HTTPFailureClassifier.retryAfterSeconds([("retry-after-ms", "250"), ("retry-after", "9")]) == 0.25)
        #expect(
            HTTPFailureClassifier.classify(status: 404, headers: [], body: Data(), url: "u").message.contains(
                "base URL"))
        #expect(HTTPFailureClassifier.classify(status: 529, headers: [], body: Data(), url: "u").kind == .overloaded)
        #expect(HTTPFailureClassifier.classify(status: 500, headers: [], body: Data(), url: "u").kind == .server)
    }

    @Test func redactorHidesKeysAndTheirFragments() {
        let redactor = SecretRedactor(secrets: ["sk-test-0123456789abcdefXYZ"])
        let text = redactor.redact("bad key sk-test-0123456789abcdefXYZ (ends 89abcdefXYZ)")
        #expect(!text.contains("0123456789abcdefXYZ"))
        #expect(!text.contains("abcdefXYZ"))
    }
}

/// The remaining recorded transcripts of OpenAI-compatible servers and their error bodies.
@Suite struct CompatibleTranscriptTests {
    @Test func vllmContinuousUsageLeavesTheFinalCountsLast() throws {
        let usages = try OpenAIChatCodecTests.events("vllm_chat_stream_continuous_usage.sse").compactMap {
            event -> TokenUsage? in
            if case .usage(let usage) = event { return usage }
            return nil
        }
        #expect(usages.count == 5)
        #expect(usages.map(\.outputTokens) == [0, 1, 2, 2, 2])
        #expect(usages.last?.inputTokens == 14)
    }

    @Test func toolCallStreamsEndWithAToolCallFinish() throws {
        let events = try OpenAIChatCodecTests.events("openai_chat_stream_toolcall.sse")
        #expect(events.contains(.finish(.toolCalls)))
        #expect(events.last == .done)
    }

    @Test(arguments: [
        ("tgi_error_429.json", 429, ProviderError.Kind.rateLimited, "Model is overloaded"),
        ("vllm_error_400.json", 400, .invalidRequest, "maximum context length is 4096"),
        ("llamacpp_error_context.json", 400, .invalidRequest, "exceeds the available context size"),
        ("openai_error_400.json", 400, .invalidRequest, "max_completion_tokens"),
    ])
    func errorBodiesAreClassifiedWithTheProvidersMessage(
        fixture: String, status: Int, kind: ProviderError.Kind, message: String
    ) throws {
        let error = HTTPFailureClassifier.classify(
            status: status, headers: [], body: Data(try Fixtures.bytes(fixture)), url: "u")
        #expect(error.kind == kind)
        #expect(error.message.contains(message), "\(error.message)")
    }
}
