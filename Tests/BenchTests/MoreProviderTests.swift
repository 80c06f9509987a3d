import BenchCore
import BenchMetrics
import BenchProviders
import Foundation
import Testing

/// Cohere v2, TGI native and Vertex AI codecs, and the rate-limit signals of Anthropic and Google.
@Suite struct CohereTGIVertexTests {
    @Test func cohereStreamGivesAnswerTextRawAndBilledUsageAndStop() throws {
        let (events, complete) = try ProviderCodecTests.decode("cohere_v2_chat_stream.sse", with: CohereChatWire())
        var usage = TokenUsage(inputTokens: 496, cachedInputTokens: 0, outputTokens: 4)
        usage.billedInputTokens = 5
        usage.billedOutputTokens = 2
        // The recorded stream was asked for log-probabilities: each delta's comes back beside its text.
        #expect(
            events == [
                .text("Hello", channel: .answer), .tokenLogprobs([.init(token: "Hello", logprob: -0.0021, top: [])]),
                .text("!", channel: .answer), .tokenLogprobs([.init(token: "!", logprob: -0.31, top: [])]),
                .usage(usage), .finish(.stop), .done,
            ]
        )
        #expect(complete)
    }

    @Test func cohereThinkingBlocksAreReasoningAndErrorEndIsAFailure() {
        var decoder = CohereChatWire().makeDecoder()
        let events = [
            #"{"type":"content-start","index":0,"delta":{"message":{"content":{"type":"thinking","thinking":""}}}}"#,
            #"{"type":"content-delta","index":0,"delta":{"message":{"content":{"thinking":"Let me see"}}}}"#,
            #"{"type":"content-start","index":1,"delta":{"message":{"content":{"type":"text","text":""}}}}"#,
            #"{"type":"content-delta","index":1,"delta":{"message":{"content":{"text":"4"}}}}"#,
            #"{"type":"message-end","delta":{"finish_reason":"ERROR","error":"backend died"}}"#,
        ].flatMap { decoder.decode(ServerSentEvent(data: $0)) }
        #expect(events.prefix(2) == [.text("Let me see", channel: .reasoning), .text("4", channel: .answer)])
        guard case .failure(let error) = events.last else {
            Issue.record("no failure: \(events)")
            return
        }
        #expect(error.kind == .server && error.message.contains("backend died"))
    }

    @Test func cohereRequestKeepsRolesAndUsesBearer() throws {
        let request = GenerationRequest(
            model: "command-a",
            messages: [.init(role: "system", content: "Be brief."), .init(role: "user", content: "Hi")],
            maxOutputTokens: 16, temperature: 0, seed: 3
        )
        let wire = try CohereChatWire().streamingRequest(request, baseURL: "https://api.cohere.com/v2", apiKey: "k")
        #expect(wire.url == "https://api.cohere.com/v2/chat")
        #expect(wire.headers.contains(.init("Authorization", "Bearer k")))
        let body = try JSONParser.parse(String(decoding: wire.body, as: UTF8.self))
        #expect(body["messages"]?.array?.first?["role"] == .string("system"))
        #expect(body["max_tokens"] == .number(16) && body["seed"] == .number(3) && body["stream"] == .bool(true))
    }

    @Test func billedUnitsSetTheCost() {
        var usage = TokenUsage(inputTokens: 496, outputTokens: 4)
        usage.billedInputTokens = 5
        usage.billedOutputTokens = 2
        let price = ModelPrice(model: "command-a", input: 2.5, output: 10)
        // (5 × 2.5 + 2 × 10) / 10⁶ = 32.5 / 10⁶
        #expect(abs(price.cost(of: usage)! - 32.5e-6) < 1e-15)
    }

    @Test func tgiNativeStreamSkipsSpecialTokensAndEndsAtDetails() throws {
        let (events, complete) = try ProviderCodecTests.decode("tgi_generate_stream.sse", with: TGIGenerateWire())
        #expect(
            events == [
                .text(" Deep", channel: .answer), .text(" Learning", channel: .answer), .text(" is", channel: .answer),
                .usage(TokenUsage(inputTokens: 6, outputTokens: 4)), .finish(.stop), .done,
            ]
        )
        #expect(complete)
    }

    @Test func tgiNativeErrorEventIsAFailureAndOverloadIsAThrottle() throws {
        let (events, complete) = try ProviderCodecTests.decode(
            "tgi_generate_stream_error.sse", with: TGIGenerateWire())
        guard case .failure(let error) = events.last else {
            Issue.record("no failure: \(events)")
            return
        }
        #expect(error.kind == .server && error.message.contains("CUDA out of memory"))
        #expect(!complete)
        var decoder = TGIGenerateWire().makeDecoder()
        let overloaded = decoder.decode(
            ServerSentEvent(data: #"{"error":"Model is overloaded","error_type":"overloaded"}"#))
        #expect(overloaded.first.map { if case .failure(let e) = $0 { e.isThrottle } else { false } } == true)
    }

    @Test func tgiNativeRequestIsRawTextWithGreedyDecodingAtTemperatureZero() throws {
        let request = GenerationRequest(
            model: "ignored", messages: [.init(role: "user", content: "What is Deep Learning?")], maxOutputTokens: 20,
            temperature: 0, seed: 5
        )
        let wire = try TGIGenerateWire().streamingRequest(request, baseURL: "http://127.0.0.1:8080", apiKey: nil)
        #expect(wire.url == "http://127.0.0.1:8080/generate_stream")
        let body = try JSONParser.parse(String(decoding: wire.body, as: UTF8.self))
        #expect(body["inputs"] == .string("What is Deep Learning?"))
        let parameters = body["parameters"]
        #expect(parameters?["max_new_tokens"] == .number(20) && parameters?["do_sample"] == .bool(false))
        #expect(parameters?["temperature"] == nil && parameters?["seed"] == .number(5))
    }

    @Test func reasoningModelsGetMaxCompletionTokens() throws {
        let request = GenerationRequest(model: "o4-mini", messages: [], maxOutputTokens: 64)
        let wire = try OpenAIChatWire(tokenLimitField: "max_completion_tokens").streamingRequest(
            request, baseURL: "https://api.openai.com/v1", apiKey: "k")
        let body = try JSONParser.parse(String(decoding: wire.body, as: UTF8.self))
        #expect(body["max_completion_tokens"] == .number(64) && body["max_tokens"] == nil)
        let azure = try AzureOpenAIWire(tokenLimitField: "max_completion_tokens").streamingRequest(
            request, baseURL: "https://r.openai.azure.com", apiKey: "k")
        #expect(try JSONParser.parse(String(decoding: azure.body, as: UTF8.self))["max_completion_tokens"] != nil)
    }

    @Test func vertexUsesTheGeminiPathWithABearerToken() throws {
        let base =
            "https://us-central1-aiplatform.googleapis.com/v1/projects/p1/locations/us-central1/publishers/google"
        let request = GenerationRequest(model: "gemini-2.5-flash", messages: [.init(role: "user", content: "Hi")])
        let wire = try GeminiWire(authentication: .bearer).streamingRequest(request, baseURL: base, apiKey: "ya29.t")
        #expect(wire.url == base + "/models/gemini-2.5-flash:streamGenerateContent?alt=sse")
        #expect(wire.headers.contains(.init("Authorization", "Bearer ya29.t")))
        #expect(!wire.headers.contains { $0.name == "x-goog-api-key" })
    }
}

@Suite struct RateLimitSignalTests {
    static let clock = ISO8601DateFormatter().date(from: "2026-01-01T12:00:00Z")!

    @Test func anthropicResetOfTheExhaustedLimitIsTheDelayWhenRetryAfterIsMissing() throws {
        let headers = try CompatiblePresetTests.headers("anthropic_error_429.headers")
        #expect(HTTPFailureClassifier.retryAfterSeconds(headers, now: Self.clock) == 27)  // retry-after
        let withoutRetryAfter = headers.filter { $0.0 != "retry-after" }
        // input-tokens has 0 remaining and resets at 12:00:27; requests (999 left) resets at 12:00:01 and is ignored.
        #expect(HTTPFailureClassifier.retryAfterSeconds(withoutRetryAfter, now: Self.clock) == 27)
        let serverDated = withoutRetryAfter + [("date", "Thu, 01 Jan 2026 12:00:20 GMT")]
        #expect(HTTPFailureClassifier.retryAfterSeconds(serverDated, now: Self.clock) == 7)  // the server's clock
    }

    @Test func retryAfterAsAnHTTPDate() {
        let headers = [("Retry-After", "Thu, 01 Jan 2026 12:00:30 GMT")]
        #expect(HTTPFailureClassifier.retryAfterSeconds(headers, now: Self.clock) == 30)
    }

    @Test func googleRetryInfoInTheBodyIsTheDelay() throws {
        let body = Data(try Fixtures.bytes("gemini_error_429.json"))
        let error = HTTPFailureClassifier.classify(
            status: 429, headers: try CompatiblePresetTests.headers("gemini_error_429.headers"), body: body, url: "u")
        #expect(error.kind == .rateLimited && error.retryAfterSeconds == 17 && !error.retryForbidden)
    }

    @Test func exhaustedQuotaAndShouldRetryFalseAreNeverRetried() throws {
        let quota = HTTPFailureClassifier.classify(
            status: 429, headers: [], body: Data(try Fixtures.bytes("openai_error_429_insufficient_quota.json")),
            url: "u")
        #expect(quota.kind == .rateLimited && quota.retryForbidden)
        let refused = HTTPFailureClassifier.classify(
            status: 529, headers: [("x-should-retry", "false")], body: Data(), url: "u")
        #expect(refused.retryForbidden)
        let allowed = HTTPFailureClassifier.classify(
            status: 529, headers: try CompatiblePresetTests.headers("anthropic_error_529.headers"),
            body: Data(try Fixtures.bytes("anthropic_error_529.json")), url: "u")
        #expect(allowed.kind == .overloaded && !allowed.retryForbidden)
    }

    @Test func anEmptyErrorBodySaysSoInsteadOfEndingInAColon() {
        let empty = HTTPFailureClassifier.classify(status: 500, headers: [], body: Data(), url: "u")
        #expect(empty.message == "server error (HTTP 500 with an empty body)")
        let blankMessage = HTTPFailureClassifier.classify(
            status: 400, headers: [], body: Data(#"{"error":{"message":"  "}}"#.utf8), url: "u")
        #expect(!blankMessage.message.hasSuffix(": ") && blankMessage.message.hasPrefix("the request was refused: {"))
    }
}
