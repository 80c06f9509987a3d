import AsyncHTTPClient
public import BenchCore
import BenchProviders
import NIOCore
public import Foundation

/// Finds out what a target can do by asking it: a handful of small requests, each testing one capability, with
/// the verdict and what was seen. APIs that document no such option are marked so without sending anything.
public struct CapabilityProbe: Sendable {
    public let target: BenchSpec.Target
    private let endpoint: TargetEndpoint
    private let http: HTTPClient
    private let redactor: SecretRedactor
    private let log: @Sendable (String) -> Void

    /// Probes `target` with its own HTTP client.
    /// - Parameters:
    ///   - apiKey: the target's key (already read from its variable).
    ///   - log: receives one line per capability as it is decided.
    public static func probe(
        _ target: BenchSpec.Target, apiKey: String?,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        log: @escaping @Sendable (String) -> Void = { _ in }
    ) async -> ProbeReport {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.timeout = .init(connect: .seconds(10), read: .seconds(120))
        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        let report = await CapabilityProbe(
            target: target, apiKey: apiKey, http: http, environment: environment, log: log
        ).run()
        try? await http.shutdown()
        return report
    }

    init(
        target: BenchSpec.Target, apiKey: String?, http: HTTPClient, environment: [String: String],
        log: @escaping @Sendable (String) -> Void
    ) {
        self.target = target
        self.http = http
        endpoint = TargetEndpoint(
            target: target, http: http, apiKey: apiKey, headTimeout: .seconds(120), environment: environment)
        redactor = SecretRedactor(
            secrets: [apiKey, environment["AWS_SECRET_ACCESS_KEY"], environment["AWS_SESSION_TOKEN"]].compactMap { $0 }
                + Array(target.headers.values))
        self.log = log
    }

    /// Probes every capability in turn.
    func run() async -> ProbeReport {
        var findings: [ProbeReport.Capability: ProbeReport.Finding] = [:]
        func record(_ capability: ProbeReport.Capability, _ finding: ProbeReport.Finding) {
            findings[capability] = finding
            log("  \(capability.rawValue): \(finding.verdict.rawValue) — \(finding.detail)")
        }
        let basic = await generate(Self.countingPrompt, maxTokens: 16)
        if let error = basic.error {
            let detail = "the basic streamed request failed: \(error)"
            for capability in ProbeReport.Capability.allCases {
                record(capability, .init(capability == .streaming ? .unsupported : .inconclusive, detail))
            }
        } else {
            record(.streaming, .init(.supported, "\(basic.textChunks) text chunks streamed"))
            record(.streamingUsage, Self.usageFinding(basic))
            record(.maxTokens, Self.maxTokensFinding(basic, limit: 16))
            record(.ignoreEOS, await ignoreEOS())
            record(.seed, await seed())
            record(.outputLogprobs, await outputLogprobs())
            record(.promptLogprobs, await promptLogprobs())
            record(.jsonMode, await jsonMode())
        }
        return ProbeReport(
            target: target.name, kind: target.kind.rawValue, baseURL: target.baseURL, model: target.model,
            probedAt: ISO8601DateFormatter().string(from: Date()), llmbenchVersion: BenchmarkRun.version,
            findings: findings
        )
    }

    // MARK: - The checks

    static let countingPrompt = "Count from 1 to 40, separated by spaces."
    static let shortAnswerPrompt = "Reply with the single word OK and nothing else."

    static func usageFinding(_ outcome: Outcome) -> ProbeReport.Finding {
        guard let usage = outcome.usage, let output = usage.outputTokens else {
            return .init(.unsupported, "the stream carried no token usage; output tokens are counted from chunks")
        }
        return .init(.supported, "usage in the stream: \(usage.inputTokens.map(String.init) ?? "?") in, \(output) out")
    }

    static func maxTokensFinding(_ outcome: Outcome, limit: Int) -> ProbeReport.Finding {
        let source = outcome.usage?.outputTokens == nil ? "chunks" : "tokens"
        if outcome.outputTokens <= limit {
            return .init(.supported, "\(outcome.outputTokens) \(source) for max_tokens \(limit)")
        }
        return .init(.unsupported, "\(outcome.outputTokens) \(source) for max_tokens \(limit): the limit was exceeded")
    }

    /// Exact length: a prompt the model answers in a word, with `ignore_eos`/`min_tokens`, must come back at the
    /// full length; the same prompt without them must stop early, or the two cannot be told apart.
    private func ignoreEOS() async -> ProbeReport.Finding {
        guard case .openaiChat = target.kind.wire else {
            return .init(.notOffered, "this API has no option to ignore the end-of-sequence token")
        }
        let length = 32
        let forced = await generate(Self.shortAnswerPrompt, maxTokens: length, exact: true)
        if let error = forced.error {
            return error.kind == .invalidRequest
                ? .init(.unsupported, "the server refused ignore_eos/min_tokens: \(error.message)")
                : .init(.inconclusive, "the request failed: \(error)")
        }
        if forced.outputTokens < length {
            return .init(.unsupported, "stopped at \(forced.outputTokens) of \(length) tokens: ignore_eos was ignored")
        }
        let natural = await generate(Self.shortAnswerPrompt, maxTokens: length)
        if natural.error == nil && natural.outputTokens >= length {
            return .init(
                .inconclusive, "the model does not stop early on its own here, so ignore_eos cannot be told apart")
        }
        return .init(
            .supported,
            "\(forced.outputTokens) of \(length) tokens with ignore_eos, \(natural.outputTokens) without")
    }

    /// Seed: two requests with one seed at temperature 1 must agree, and a third with another seed must differ.
    private func seed() async -> ProbeReport.Finding {
        if target.kind.wire == .anthropic || target.kind.wire == .bedrock {
            return .init(.notOffered, "the API has no seed parameter")
        }
        let prompt = "Write ten random English words, separated by commas."
        var answers: [String] = []
        for seed: UInt64 in [1234, 1234, 98_765] {
            let outcome = await generate(prompt, maxTokens: 24, temperature: 1, seed: seed)
            if let error = outcome.error { return .init(.inconclusive, "a request failed: \(error)") }
            answers.append(outcome.answer)
        }
        if answers[0] != answers[1] {
            return .init(.unsupported, "two requests with seed 1234 at temperature 1 gave different outputs")
        }
        if answers[0] == answers[2] {
            return .init(
                .inconclusive, "every seed gave the same output at temperature 1: sampling may be greedy regardless")
        }
        return .init(.supported, "seed 1234 repeated its output at temperature 1; seed 98765 gave another")
    }

    /// Output log-probabilities: the provider's option, then a look for log-probabilities in the raw response.
    private func outputLogprobs() async -> ProbeReport.Finding {
        let extra: [String: JSONValue]
        switch target.kind.wire {
        case .anthropic, .bedrock: return .init(.notOffered, "the API returns no log-probabilities")
        case .openaiChat, .azure, .ollama: extra = ["logprobs": .bool(true), "top_logprobs": .number(1)]
        case .openaiResponses:
            extra = ["include": .array([.string("message.output_text.logprobs")]), "top_logprobs": .number(1)]
        case .cohere: extra = ["logprobs": .bool(true)]
        case .gemini, .vertex:
            extra = [
                "generationConfig": .object([
                    "maxOutputTokens": .number(8), "temperature": .number(0), "responseLogprobs": .bool(true),
                    "logprobs": .number(1),
                ])
            ]
        case .tgi: extra = [:]  // every native token event carries its logprob
        }
        let response: RawResponse
        do {
            response = try await raw(Self.countingPrompt, maxTokens: 8, extra: extra)
        } catch {
            return .init(.inconclusive, "the request failed: \(redactor.redact("\(error)"))")
        }
        guard response.isSuccess else {
            return .init(.unsupported, "refused with HTTP \(response.status): \(bodyExcerpt(response))")
        }
        let documents = response.jsonDocuments(framing: endpoint.framing)
        if documents.contains(where: { Self.containsLogprobs($0) }) {
            return .init(.supported, "log-probabilities present in the streamed chunks")
        }
        return .init(.unsupported, "the option was accepted but no log-probabilities came back")
    }

    /// Prompt log-probabilities: vLLM's `prompt_logprobs`, TGI's `decoder_input_details`, or llama.cpp's
    /// `/tokenize` + `/completion`, which give them by forced decoding.
    private func promptLogprobs() async -> ProbeReport.Finding {
        switch target.kind.wire {
        case .openaiChat:
            if let response = try? await raw(
                "Hello world", maxTokens: 1, extra: ["prompt_logprobs": .number(1), "stream": .bool(false)],
                includeUsage: false),
                response.isSuccess,
                let document = response.jsonDocuments(framing: endpoint.framing).first,
                let values = (document["prompt_logprobs"] ?? document["choices"]?.array?.first?["prompt_logprobs"])?
                    .array,
                !values.isEmpty
            {
                return .init(.supported, "prompt_logprobs returned \(values.count) entries", method: "prompt_logprobs")
            }
            if await isLlamaCppServer() {
                return .init(
                    .supported,
                    "llama.cpp server: /tokenize and /completion with n_probs give the log-probabilities of given text by forced decoding",
                    method: "forced_decoding")
            }
            return .init(.unsupported, "prompt_logprobs gave no log-probabilities and the server is not llama.cpp")
        case .tgi:
            let body: [String: JSONValue] = [
                "inputs": .string("Hello world"),
                "parameters": .object(["max_new_tokens": .number(1), "decoder_input_details": .bool(true)]),
            ]
            guard
                let response = try? await send(
                    url: target.baseURL + "/generate", body: try JSONEncoder().encode(body)),
                response.isSuccess,
                let prefill = response.jsonDocuments(framing: .serverSentEvents).first?["details"]?["prefill"]?.array,
                !prefill.isEmpty
            else {
                return .init(.unsupported, "/generate with decoder_input_details returned no prefill")
            }
            return .init(
                .supported, "decoder_input_details returned \(prefill.count) prompt tokens",
                method: "decoder_input_details")
        default:
            return .init(.notOffered, "the API returns no log-probabilities for given text")
        }
    }

    /// JSON mode: the provider's JSON-only option, and an answer that parses as a JSON object.
    private func jsonMode() async -> ProbeReport.Finding {
        let extra: [String: JSONValue]
        switch target.kind.wire {
        case .openaiChat, .azure, .cohere: extra = ["response_format": .object(["type": .string("json_object")])]
        case .openaiResponses: extra = ["text": .object(["format": .object(["type": .string("json_object")])])]
        case .ollama: extra = ["format": .string("json")]
        case .gemini, .vertex:
            extra = [
                "generationConfig": .object([
                    "maxOutputTokens": .number(96), "temperature": .number(0),
                    "responseMimeType": .string("application/json"),
                ])
            ]
        case .anthropic, .tgi, .bedrock:
            return .init(.inconclusive, "not probed: this API constrains output with a JSON schema or grammar only")
        }
        let outcome = await generate(
            "Describe a fictional person as a JSON object with the keys name and age.", maxTokens: 96, extra: extra)
        if let error = outcome.error {
            return error.kind == .invalidRequest
                ? .init(.unsupported, "the JSON option was refused: \(error.message)")
                : .init(.inconclusive, "the request failed: \(error)")
        }
        let answer = outcome.answer.trimmingCharacters(in: .whitespacesAndNewlines)
        if case .object = try? JSONParser.parse(answer) {
            return .init(.supported, "the answer was a JSON object (\(answer.utf8.count) bytes)")
        }
        return .init(.unsupported, "the option was accepted but the answer was not a JSON object: \(answer.prefix(80))")
    }

    private func isLlamaCppServer() async -> Bool {
        let root = target.baseURL.hasSuffix("/v1") ? String(target.baseURL.dropLast(3)) : target.baseURL
        guard let response = try? await send(url: root + "/tokenize", body: Data(#"{"content":"Hello world"}"#.utf8)),
            response.isSuccess,
            let tokens = response.jsonDocuments(framing: .serverSentEvents).first?["tokens"]?.array
        else { return false }
        return !tokens.isEmpty
    }

    /// Whether a JSON document holds a non-empty `logprobs`, `logprobsResult` or numeric `logprob` anywhere.
    public static func containsLogprobs(_ value: JSONValue) -> Bool {
        switch value {
        case .object(let fields):
            for (key, field) in fields {
                switch (key, field) {
                case ("logprob", .number): return true
                case ("logprobs", .array(let items)) where !items.isEmpty: return true
                case ("logprobs", .object(let inner)) where !inner.isEmpty: return true
                case ("logprobsResult", .object): return true
                default: if containsLogprobs(field) { return true }
                }
            }
            return false
        case .array(let items): return items.contains(where: containsLogprobs)
        default: return false
        }
    }

    // MARK: - Requests

    /// The normalised result of one streamed generation.
    struct Outcome {
        var answer = ""
        var textChunks = 0
        var usage: TokenUsage?
        var error: ProviderError?

        /// Output tokens from usage, else chunks.
        var outputTokens: Int { usage?.outputTokens ?? textChunks }
    }

    private func request(
        _ prompt: String, maxTokens: Int, exact: Bool = false, temperature: Double = 0, seed: UInt64? = nil,
        extra: [String: JSONValue] = [:], includeUsage: Bool = true
    ) -> GenerationRequest {
        GenerationRequest(
            model: target.model, messages: [ChatMessage(role: "user", content: prompt)], maxOutputTokens: maxTokens,
            exactOutputLength: exact, temperature: temperature, seed: seed, includeUsage: includeUsage,
            extraBody: target.extraBody.merging(extra) { _, probe in probe }
        )
    }

    private func generate(
        _ prompt: String, maxTokens: Int, exact: Bool = false, temperature: Double = 0, seed: UInt64? = nil,
        extra: [String: JSONValue] = [:]
    ) async -> Outcome {
        var outcome = Outcome()
        let generation = request(
            prompt, maxTokens: maxTokens, exact: exact, temperature: temperature, seed: seed, extra: extra)
        for await stamped in endpoint.client.stream(generation) {
            switch stamped.event {
            case .text(let text, let channel):
                outcome.textChunks += 1
                if channel == .answer { outcome.answer += text }
            case .usage(let usage): outcome.usage = usage
            case .failure(let error): outcome.error = error
            default: break
            }
        }
        return outcome
    }

    private func raw(
        _ prompt: String, maxTokens: Int, extra: [String: JSONValue], includeUsage: Bool = true
    ) async throws -> RawResponse {
        let wire = try endpoint.encode(request(prompt, maxTokens: maxTokens, extra: extra, includeUsage: includeUsage))
        return try await RawExchange.send(wire, http: http)
    }

    /// A JSON POST to a server route outside the codec, with the target's own headers.
    private func send(url: String, body: Data) async throws -> RawResponse {
        let headers =
            [WireRequest.Header("Content-Type", "application/json")]
            + WireRequest.headers(target.headers)
        return try await RawExchange.send(WireRequest(url: url, headers: headers, body: body), http: http)
    }

    private func bodyExcerpt(_ response: RawResponse) -> String {
        let text =
            OpenAIChatCodec.errorMessage(fromBody: response.body)
            ?? String(decoding: response.body.prefix(200), as: UTF8.self)
        return redactor.redact(text)
    }
}
