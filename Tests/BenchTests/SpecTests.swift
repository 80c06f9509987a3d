import BenchEngine
import BenchCore
import BenchProviders
import BenchMetrics
import Testing

@Suite struct SpecTests {
    @Test func parsesAFullSpec() throws {
        let spec = try BenchSpec.parse(
            """
            seed: 7
            targets:
              - name: local
                base_url: http://127.0.0.1:8111/v1
                model: sim
                headers: {X-Team: bench}
                extra_body: {cache_prompt: false}
              - base_url: https://api.example.com/v1
                model: big
                api_key_env: EXAMPLE_KEY
            load:
              concurrency: [1, 8]
              requests: 50
              warmup: 1.5
            prompts: {input_tokens: 32, output_tokens: 16}
            request: {temperature: 0.5, exact_output: false}
            slo: {ttft_ms: 500, itl_ms: 50}
            """
        )
        #expect(spec.seed == 7)
        #expect(spec.targets.count == 2)
        #expect(spec.targets[0].extraBody["cache_prompt"] == .bool(false))
        #expect(spec.targets[1].name == "big@api.example.com")
        #expect(spec.targets[1].apiKeyEnv == "EXAMPLE_KEY")
        #expect(spec.shapes == [.concurrency(users: 1), .concurrency(users: 8)])
        #expect(spec.steps.allSatisfy { $0.maxRequests == 50 && $0.warmup == .milliseconds(1500) })
        #expect(spec.inputTokens == 32 && spec.outputTokens == 16)
        #expect(spec.temperature == 0.5 && !spec.exactOutput)
        #expect(spec.slo.ttftMs == 500 && spec.slo.itlMs == 50)
        try spec.validate()
    }

    @Test func poissonRateSweep() throws {
        let spec = try BenchSpec.parse(
            "targets: [{base_url: 'http://h:1/v1', model: m}]\nload: {rate: [2, 4.5], arrival: poisson, max_in_flight: 16, duration: 30}"
        )
        #expect(
            spec.shapes == [
                .rate(perSecond: 2, arrival: .poisson, maxInFlight: 16),
                .rate(perSecond: 4.5, arrival: .poisson, maxInFlight: 16),
            ])
        #expect(spec.steps[0].maxRequests == nil && spec.steps[0].maxDuration == .seconds(30))
    }

    @Test(arguments: [
        ("targets: [{base_url: 'http://h/v1'}]", "targets[0].model"),
        ("targets: [{base_url: 'http://h/v1', model: m, modle: x}]", "targets[0].modle"),
        ("load: {concurrency: [1, eight]}", "load.concurrency[1]"),
        ("load: {concurrency: [0]}", "load.concurrency[0]"),
        ("load: {concurrency: 4, rate: 2}", "load.rate"),
        ("load: {rate: 2, arrival: bursty}", "load.arrival"),
        ("slo: {ttft_ms: -1}", "slo.ttft_ms"),
        ("request: {exact_output: maybe}", "request.exact_output"),
        ("lod: {}", "lod"),
        ("targets: [{kind: azure, model: gpt}]", "targets[0].base_url"),
        ("targets: [{kind: vertex, model: gemini}]", "targets[0].base_url"),
        ("targets: [{kind: bard, model: m}]", "targets[0].kind"),
    ])
    func invalidSpecsNameTheField(text: String, field: String) {
        do {
            _ = try BenchSpec.parse(text)
            Issue.record("accepted: \(text)")
        } catch let error as SpecError {
            #expect(error.field == field, "\(error)")
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func aPriceRowThatDoesNotExistAndNumbersGivenAsTextAreErrorsNamingTheField() throws {
        let unknown = try BenchSpec.parse("targets: [{base_url: 'http://h/v1', model: m, price_model: gpt-0}]")
        #expect {
            try unknown.validate()
        } throws: {
            ($0 as? SpecError)?.field == "targets[0].price_model" && "\($0)".contains("gpt-5.4-mini")
        }
        let known = try BenchSpec.parse("targets: [{base_url: 'http://h/v1', model: m, price_model: gpt-5.4-mini}]")
        try known.validate()
        #expect {
            try BenchSpec.parse(
                #"{"targets": [{"base_url": "http://h/v1", "model": "m"}], "load": {"requests": "10"}}"#)
        } throws: {
            ($0 as? SpecError)?.field == "load.requests" && ($0 as? SpecError)?.jsonPointer == "/load/requests"
        }
    }

    @Test func specErrorsNameTheirFieldAsAJSONPointer() {
        #expect(SpecError("targets[1].base_url", "").jsonPointer == "/targets/1/base_url")
        #expect(SpecError("load.concurrency[0]", "").jsonPointer == "/load/concurrency/0")
        #expect(SpecError("targets[0].headers.a/b", "").jsonPointer == "/targets/0/headers/a~1b")
        #expect(SpecError("spec", "").jsonPointer == "")
        #expect(SpecError("--concurrency", "").jsonPointer == nil)
        #expect(SpecError("target smollm2", "").jsonPointer == nil)
    }

    @Test func validationRejectsBadURLsAndEmptyWindows() throws {
        var spec = BenchSpec()
        #expect(throws: SpecError.self) { try spec.validate() }
        spec.targets = [BenchSpec.Target(baseURL: "127.0.0.1:8080", model: "m")]
        #expect { try spec.validate() } throws: { ($0 as? SpecError)?.field == "targets[0].base_url" }
        spec.targets = [BenchSpec.Target(baseURL: "http://127.0.0.1:8080/v1", model: "m")]
        spec.maxDuration = .seconds(2)
        spec.warmup = .seconds(1)
        spec.cooldown = .seconds(1)
        #expect { try spec.validate() } throws: { ($0 as? SpecError)?.field == "load.warmup" }
    }

    @Test func knownServicesNeedOnlyAKindAndAModel() throws {
        let spec = try BenchSpec.parse(
            """
            targets:
              - {kind: groq, model: llama-3.3-70b-versatile}
              - {kind: anthropic, model: claude-haiku-4-5, api_key_env: MY_KEY}
              - {kind: fireworks, model: accounts/fireworks/models/x, extra_body: {top_k: 1}}
              - {kind: vllm, model: m}
              - {kind: groq, base_url: 'https://gateway.example.com/groq/v1', model: m2}
              - {kind: anthropic, model: claude-sonnet-5, exact_output: true}
            """
        )
        let t = spec.targets
        #expect(t[0].baseURL == "https://api.groq.com/openai/v1" && t[0].apiKeyEnv == "GROQ_API_KEY")
        #expect(t[1].baseURL == "https://api.anthropic.com/v1" && t[1].apiKeyEnv == "MY_KEY")
        #expect(t[2].extraBody == ["context_length_exceeded_behavior": .string("error"), "top_k": .number(1)])
        #expect(t[3].baseURL == "http://127.0.0.1:8000/v1" && t[3].apiKeyEnv == nil)
        // A gateway in front of a service: no guess about which variable holds its key.
        #expect(t[4].apiKeyEnv == nil)
        // Exact output (ignore_eos, min_tokens) only where the server accepts it, unless the target asks.
        #expect(t[3].requestsExactOutput(default: true) && !t[1].requestsExactOutput(default: true))
        #expect(t[5].requestsExactOutput(default: true) && !t[3].requestsExactOutput(default: false))
        let local = BenchSpec.Target(baseURL: "http://127.0.0.1:8080/v1", model: "m")
        let openAI = try BenchSpec.Target.resolving(
            kind: .openai, baseURL: nil, model: "gpt", apiKeyEnv: nil, field: "f")
        #expect(local.requestsExactOutput(default: true) && !openAI.requestsExactOutput(default: true))
        #expect(openAI.apiKeyEnv == "OPENAI_API_KEY")
    }

    @Test func bedrockNeedsAWSCredentialsOrAnAPIKey() throws {
        let target = try BenchSpec.Target.resolving(
            kind: .bedrock, baseURL: "https://bedrock-runtime.us-east-1.amazonaws.com", model: "m", apiKeyEnv: nil,
            field: "f")
        #expect { try target.apiKey(environment: [:], field: "targets[0].api_key_env") } throws: {
            ($0 as? SpecError)?.field == "targets[0].api_key_env" && "\($0)".contains("AWS_ACCESS_KEY_ID")
        }
        let credentials = ["AWS_ACCESS_KEY_ID": "AKID", "AWS_SECRET_ACCESS_KEY": "s"]
        #expect(try target.apiKey(environment: credentials, field: "f") == nil)
    }
}

@Suite struct ModelParameterRuleTests {
    @Test(arguments: [
        ("gpt-5.4", true), ("gpt-5.4-mini", true), ("o3", true), ("o4-mini", true), ("openai/gpt-5.5", true),
        ("gpt-5-chat-latest", false), ("gpt-4.1", false), ("o3x", false), ("olmo-2", false),
    ])
    func openAIReasoningModelsAreRecognised(model: String, reasoning: Bool) {
        #expect(ProviderKind.isOpenAIReasoningModel(model) == reasoning)
    }

    @Test func refusedParametersAreLeftOut() throws {
        #expect(!ProviderKind.openai.acceptsTemperature(model: "gpt-5.4"))
        #expect(ProviderKind.openai.acceptsTemperature(model: "gpt-4.1"))
        #expect(!ProviderKind.anthropic.acceptsTemperature(model: "claude-sonnet-5"))
        #expect(ProviderKind.anthropic.acceptsTemperature(model: "claude-haiku-4-5"))
        #expect(ProviderKind.vllm.acceptsTemperature(model: "o3"))
        let openAI = try #require(ProviderKind.openai.defaultBaseURL)
        #expect(ProviderKind.openai.tokenLimitField(baseURL: openAI, model: "gpt-4.1") == "max_completion_tokens")
        #expect(
            ProviderKind.openai.tokenLimitField(baseURL: "http://127.0.0.1:8080/v1", model: "gpt-5.4") == "max_tokens")
        #expect(
            ProviderKind.azure.tokenLimitField(baseURL: "https://r.openai.azure.com", model: "o4-mini")
                == "max_completion_tokens")
        // The codec the kind builds puts the limit in that field.
        let body = try ProviderKind.openai.wire(baseURL: openAI, model: "gpt-4.1", apiKey: "k", environment: [:])
            .streamingRequest(
                GenerationRequest(model: "gpt-4.1", messages: [.init(role: "user", content: "hi")], maxOutputTokens: 5),
                baseURL: openAI, apiKey: "k"
            ).body
        #expect(try JSONParser.parse(String(decoding: body, as: UTF8.self))["max_completion_tokens"] == .number(5))
    }
}
