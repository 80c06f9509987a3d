import BenchCore
import BenchProviders
import Foundation
import Testing

/// Anthropic Messages and Gemini codecs against their recorded wire transcripts.
@Suite struct ProviderCodecTests {
    static func decode<Wire: WireProtocol>(_ fixture: String, with wire: Wire) throws -> (
        events: [GenerationEvent], complete: Bool
    ) {
        var sse = SSEDecoder()
        var frames: [ServerSentEvent] = []
        try sse.push(Fixtures.bytes(fixture), into: &frames)
        var decoder = wire.makeDecoder()
        let events = frames.flatMap { decoder.decode($0) }
        return (events, decoder.isComplete)
    }

    @Test func anthropicThinkingStreamSeparatesReasoningAndMergesUsage() throws {
        let (events, complete) = try Self.decode(
            "anthropic_messages_stream_thinking.sse", with: AnthropicMessagesWire())
        #expect(
            events == [
                .text("27 * 453: 27*400 = 10800,", channel: .reasoning),
                .text(" 27*53 = 1431, total 12231.", channel: .reasoning),
                .text("27 × 453 = 12,231", channel: .answer),
                .finish(.stop),
                .usage(TokenUsage(inputTokens: 46, cachedInputTokens: 0, outputTokens: 71)),
                .done,
            ]
        )
        #expect(complete)
    }

    @Test func anthropicOverloadedEventIsAThrottleAndLeavesTheStreamIncomplete() throws {
        let (events, complete) = try Self.decode("anthropic_error_overloaded.sse", with: AnthropicMessagesWire())
        #expect(events.first == .text("The", channel: .answer))
        guard case .failure(let error) = events.last else {
            Issue.record("no failure")
            return
        }
        #expect(error.kind == .overloaded && error.isThrottle)
        #expect(error.message.contains("Overloaded"))
        #expect(!complete)
    }

    @Test func anthropicRequestPutsSystemAndKeyWhereTheAPIWantsThem() throws {
        let request = GenerationRequest(
            model: "claude-x",
            messages: [ChatMessage(role: "system", content: "Be brief."), ChatMessage(role: "user", content: "Hi")],
            temperature: 0
        )
        let wire = try AnthropicMessagesWire().streamingRequest(
            request, baseURL: "https://api.anthropic.com/v1", apiKey: "k")
        #expect(wire.url == "https://api.anthropic.com/v1/messages")
        #expect(wire.headers.contains(.init("x-api-key", "k")))
        #expect(wire.headers.contains(.init("anthropic-version", "2023-06-01")))
        let body = try JSONParser.parse(String(decoding: wire.body, as: UTF8.self))
        #expect(body["system"] == .string("Be brief."))
        #expect(body["max_tokens"] == .number(1024))
        #expect(body["messages"]?.array?.count == 1)
        #expect(body["seed"] == nil)
    }

    @Test func geminiThinkingStreamIsReasoningThenAnswerWithBilledOutput() throws {
        let (events, complete) = try Self.decode("gemini_stream_thinking.sse", with: GeminiWire())
        let texts = events.compactMap { event -> TextChannel? in
            if case .text(_, let channel) = event { return channel }
            return nil
        }
        #expect(texts == [.reasoning, .answer, .answer])
        #expect(events.contains(.finish(.stop)))
        // Output is billed as candidates + thoughts: 48 + 540.
        #expect(events.contains(.usage(TokenUsage(inputTokens: 10, outputTokens: 588, reasoningTokens: 540))))
        #expect(complete)
    }

    @Test func geminiRequestUsesModelRoleSystemInstructionAndKeyHeader() throws {
        let request = GenerationRequest(
            model: "gemini-2.5-flash",
            messages: [
                ChatMessage(role: "system", content: "Be brief."), ChatMessage(role: "user", content: "Hi"),
                ChatMessage(role: "assistant", content: "Hello"), ChatMessage(role: "user", content: "Again"),
            ],
            maxOutputTokens: 16, seed: 3
        )
        let wire = try GeminiWire().streamingRequest(
            request, baseURL: "https://generativelanguage.googleapis.com/v1beta", apiKey: "g"
        )
        #expect(wire.url.hasSuffix("/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse"))
        #expect(wire.headers.contains(.init("x-goog-api-key", "g")))
        let body = try JSONParser.parse(String(decoding: wire.body, as: UTF8.self))
        #expect(body["contents"]?.array?.map { $0["role"]?.string } == ["user", "model", "user"])
        #expect(body["systemInstruction"]?["parts"]?.array?.first?["text"] == .string("Be brief."))
        #expect(body["generationConfig"]?["maxOutputTokens"] == .number(16))
        #expect(body["generationConfig"]?["seed"] == .number(3))
    }

    @Test func geminiErrorChunkIsClassifiedByCode() {
        var decoder = GeminiWire().makeDecoder()
        let events = decoder.decode(
            ServerSentEvent(data: #"{"error":{"code":429,"message":"Quota exceeded","status":"RESOURCE_EXHAUSTED"}}"#)
        )
        guard case .failure(let error) = events.first else {
            Issue.record("no failure")
            return
        }
        #expect(error.kind == .rateLimited && error.message.contains("RESOURCE_EXHAUSTED"))
    }

    @Test func providerErrorBodiesGiveTheirMessage() throws {
        for (fixture, expected) in [
            ("anthropic_error_529.json", "Overloaded"), ("gemini_error_429.json", "quota"),
            ("openai_error_429.json", "Rate limit"),
        ] {
            let body = Data(try Fixtures.bytes(fixture))
            let message = OpenAIChatCodec.errorMessage(fromBody: body)
            #expect(message?.contains(expected) == true, "\(fixture): \(message ?? "nil")")
        }
    }
}

/// Ollama native, OpenAI Responses and Azure codecs.
@Suite struct MoreProviderCodecTests {
    static func lines(_ fixture: String) throws -> [ServerSentEvent] {
        var decoder = JSONLinesDecoder()
        var events: [ServerSentEvent] = []
        try Fixtures.bytes(fixture).withUnsafeBytes { try decoder.push($0, into: &events) }
        decoder.finish(into: &events)
        return events
    }

    @Test func ollamaFinalLineCarriesUsageAndServerTimings() throws {
        var decoder = OllamaChatWire().makeDecoder()
        let events = try Self.lines("ollama_chat.ndjson").flatMap { decoder.decode($0) }
        #expect(
            events.prefix(3) == [
                .text("The", channel: .answer), .text(" sky", channel: .answer), .text(" is blue.", channel: .answer),
            ])
        #expect(events.contains(.finish(.stop)))
        #expect(events.contains(.usage(TokenUsage(inputTokens: 26, outputTokens: 282))))
        let timings = events.compactMap { event -> ServerTimings? in
            if case .serverTimings(let timings) = event { return timings }
            return nil
        }.first
        #expect(timings?.promptMilliseconds == 342.546)
        #expect(timings?.predictedMilliseconds == 4535.599)
        // 282 tokens in 4.535599 s.
        #expect(abs((timings?.predictedPerSecond ?? 0) - 282 / 4.535599) < 1e-9)
        #expect(events.last == .done && decoder.isComplete)
    }

    @Test func ollamaThinkingIsReasoning() throws {
        var decoder = OllamaChatWire().makeDecoder()
        let events = try Self.lines("ollama_chat_thinking_logprobs.ndjson").flatMap { decoder.decode($0) }
        #expect(events.first == .text("The user wants", channel: .reasoning))
        #expect(events.contains(.text("Hello", channel: .answer)))
    }

    @Test func jsonLinesSplitAnywhereGiveTheSameLines() throws {
        let bytes = try Fixtures.bytes("ollama_chat.ndjson")
        let whole = try Self.lines("ollama_chat.ndjson")
        for split in stride(from: 0, through: bytes.count, by: 7) {
            var decoder = JSONLinesDecoder()
            var events: [ServerSentEvent] = []
            try Array(bytes[..<split]).withUnsafeBytes { try decoder.push($0, into: &events) }
            try Array(bytes[split...]).withUnsafeBytes { try decoder.push($0, into: &events) }
            decoder.finish(into: &events)
            #expect(events == whole)
        }
    }

    @Test func responsesStreamHasReasoningSummaryThenAnswerAndTerminalUsage() throws {
        let (events, complete) = try ProviderCodecTests.decode(
            "openai_responses_stream.sse", with: OpenAIResponsesWire())
        let channels = events.compactMap { event -> TextChannel? in
            if case .text(_, let channel) = event { return channel }
            return nil
        }
        #expect(channels.first == .reasoning && channels.last == .answer)
        #expect(channels.filter { $0 == .answer }.count == 3)
        #expect(events.contains(.finish(.stop)))
        #expect(
            events.contains {
                if case .usage(let usage) = $0 { return usage.outputTokens != nil } else { return false }
            })
        #expect(events.last == .done && complete)
    }

    @Test func responsesIncompleteAndFailedEndings() throws {
        let (incomplete, _) = try ProviderCodecTests.decode(
            "openai_responses_stream_incomplete.sse", with: OpenAIResponsesWire())
        #expect(incomplete.contains(.finish(.length)) || incomplete.contains(.finish(.contentFilter)))
        let (failed, complete) = try ProviderCodecTests.decode(
            "openai_responses_stream_error.sse", with: OpenAIResponsesWire())
        guard
            case .failure(let error) = failed.first(where: {
                if case .failure = $0 { return true } else { return false }
            })
        else {
            Issue.record("no failure")
            return
        }
        #expect(error.kind == .server && error.message.contains("server_error"))
        #expect(!complete)
    }

    @Test func responsesAndOllamaRequestBodies() throws {
        let request = GenerationRequest(
            model: "m",
            messages: [ChatMessage(role: "developer", content: "Be brief."), ChatMessage(role: "user", content: "Hi")],
            maxOutputTokens: 8, temperature: 0, seed: 4
        )
        let responses = try OpenAIResponsesWire().streamingRequest(request, baseURL: "http://h/v1", apiKey: nil)
        let body = try JSONParser.parse(String(decoding: responses.body, as: UTF8.self))
        #expect(responses.url == "http://h/v1/responses")
        #expect(body["instructions"] == .string("Be brief."))
        #expect(body["input"]?.array?.count == 1 && body["max_output_tokens"] == .number(8))
        let ollama = try OllamaChatWire().streamingRequest(request, baseURL: "http://h:11434", apiKey: nil)
        let native = try JSONParser.parse(String(decoding: ollama.body, as: UTF8.self))
        #expect(ollama.url == "http://h:11434/api/chat")
        #expect(native["messages"]?.array?.count == 2)
        #expect(native["options"]?["num_predict"] == .number(8) && native["options"]?["seed"] == .number(4))
    }

    @Test func azureUsesDeploymentURLAndApiKeyHeader() throws {
        let request = GenerationRequest(model: "my-gpt", messages: [ChatMessage(role: "user", content: "hi")])
        let wire = try AzureOpenAIWire().streamingRequest(
            request, baseURL: "https://res.openai.azure.com", apiKey: "az")
        #expect(
            wire.url == "https://res.openai.azure.com/openai/deployments/my-gpt/chat/completions?api-version=2024-10-21"
        )
        #expect(wire.headers.contains(.init("api-key", "az")))
        #expect(!wire.headers.contains { $0.name == "Authorization" })
        let (events, complete) = try ProviderCodecTests.decode("azure_openai_chat_stream.sse", with: AzureOpenAIWire())
        #expect(events.contains { if case .text = $0 { return true } else { return false } })
        #expect(complete)
    }
}

/// Presets over the OpenAI-compatible protocol, and rate-limit headers.
@Suite struct CompatiblePresetTests {
    @Test func groqUsageAndTimingsComeFromXGroq() throws {
        let (events, complete) = try ProviderCodecTests.decode("groq_chat_stream_xgroq.sse", with: OpenAIChatWire())
        #expect(events.contains(.usage(TokenUsage(inputTokens: 41, outputTokens: 3))))
        let timings = events.compactMap { event -> ServerTimings? in
            if case .serverTimings(let timings) = event { return timings }
            return nil
        }.first
        #expect(timings?.predictedMilliseconds == 11)
        #expect(abs((timings?.predictedPerSecond ?? 0) - 3 / 0.011) < 1e-9)
        #expect(complete)
    }

    @Test func deepSeekCacheHitsAreCachedInput() throws {
        let (events, _) = try ProviderCodecTests.decode("deepseek_reasoner_stream.sse", with: OpenAIChatWire())
        let usage = events.compactMap { event -> TokenUsage? in
            if case .usage(let usage) = event { return usage }
            return nil
        }.last
        #expect(usage?.cachedInputTokens == 0 && usage?.inputTokens == 10)
        #expect(events.contains { if case .text(_, .reasoning) = $0 { return true } else { return false } })
    }

    @Test func mistralSeedIsRandomSeed() throws {
        let request = GenerationRequest(model: "mistral-small", messages: [], seed: 9)
        let wire = try OpenAIChatWire(seedField: "random_seed").streamingRequest(
            request, baseURL: "https://api.mistral.ai/v1", apiKey: nil)
        let body = try JSONParser.parse(String(decoding: wire.body, as: UTF8.self))
        #expect(body["random_seed"] == .number(9) && body["seed"] == nil)
    }

    /// The header lines of a recorded `.headers` fixture as (name, value) pairs.
    static func headers(_ fixture: String) throws -> [(String, String)] {
        let text = String(decoding: try Fixtures.bytes(fixture), as: UTF8.self)
        return text.split(whereSeparator: \.isNewline).dropFirst().compactMap { line -> (String, String)? in
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2 else { return nil }
            return (String(parts[0]), parts[1].trimmingCharacters(in: .whitespaces))
        }
    }

    @Test func rateLimitResetHeadersAreTheFallbackRetryDelay() throws {
        let headers = try Self.headers("openai_error_429.headers")
        #expect(HTTPFailureClassifier.retryAfterSeconds(headers) == 0.193)  // retry-after-ms wins
        let withoutRetryAfter = headers.filter { !$0.0.hasPrefix("retry-after") }
        #expect(HTTPFailureClassifier.retryAfterSeconds(withoutRetryAfter) == 0.193)  // later of 12ms and 193ms
        #expect(HTTPFailureClassifier.retryAfterSeconds([("x-ratelimit-reset-tokens", "6m0s")]) == 360)
        #expect(HTTPFailureClassifier.retryAfterSeconds([("x-ratelimit-reset-tokens", "1h2m3.5s")]) == 3723.5)
        #expect(HTTPFailureClassifier.retryAfterSeconds([("x-ratelimit-reset-tokens", "soon")]) == nil)
    }
}
