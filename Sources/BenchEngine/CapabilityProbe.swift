import BenchCore
import BenchProviders
import BenchRunner
import Foundation

/// Finds out what a target can do by asking it: a handful of small requests, each testing one capability, with
/// the verdict and what was seen. What to send comes from the target's codec (``WireCapabilities``): a capability
/// its protocol does not offer is marked so without sending anything, and one it offers is asked for through the
/// same request fields and read back from the same events every run uses.
public struct CapabilityProbe: Sendable {
    public let target: BenchSpec.Target
    private let endpoint: EngineEndpoint
    private let redactor: SecretRedactor
    private let log: @Sendable (String) -> Void

    /// How the probe's requests are sent: once each (no retries), two minutes at most.
    static let policy = RequestPolicy(retry: .none, requestTimeout: .seconds(120), readTimeout: .seconds(120))

    /// Probes `target` through `engine`.
    /// - Parameters:
    ///   - field: names the target's key variable in the error when it is not set.
    ///   - log: receives one line per capability as it is decided.
    /// - Throws: ``SpecError`` when the target's key variable is not set.
    public static func probe(
        _ target: BenchSpec.Target, engine: Engine, field: String = "target.api_key_env",
        log: @escaping @Sendable (String) -> Void = { _ in }
    ) async throws -> ProbeReport {
        let endpoint = try await engine.endpoint(for: target, policy: policy, field: field)
        return await CapabilityProbe(target: target, endpoint: endpoint, environment: engine.environment, log: log)
            .run()
    }

    init(
        target: BenchSpec.Target, endpoint: EngineEndpoint, environment: [String: String],
        log: @escaping @Sendable (String) -> Void
    ) {
        self.target = target
        self.endpoint = endpoint
        redactor = SecretRedactor(
            secrets: [endpoint.apiKey, environment["AWS_SECRET_ACCESS_KEY"], environment["AWS_SESSION_TOKEN"]]
                .compactMap { $0 } + Array(target.headers.values))
        self.log = log
    }

    private var capabilities: WireCapabilities { endpoint.wire.capabilities }

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
        guard capabilities.exactOutput else {
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
        guard capabilities.seed else { return .init(.notOffered, "the API has no seed parameter") }
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

    /// Output log-probabilities: the codec's option, then the log-probabilities it reads back from the stream.
    private func outputLogprobs() async -> ProbeReport.Finding {
        guard capabilities.outputLogprobs else { return .init(.notOffered, "the API returns no log-probabilities") }
        let outcome = await generate(
            Self.countingPrompt, maxTokens: 8, topLogprobs: min(1, capabilities.maxTopLogprobs))
        if let error = outcome.error {
            return error.kind == .invalidRequest
                ? .init(.unsupported, "the log-probability option was refused: \(error.message)")
                : .init(.inconclusive, "the request failed: \(error)")
        }
        guard outcome.logprobTokens > 0 else {
            return .init(.unsupported, "the option was accepted but no log-probabilities came back")
        }
        return .init(.supported, "log-probabilities of \(outcome.logprobTokens) generated tokens in the stream")
    }

    /// Prompt log-probabilities: each method the protocol may offer (vLLM's `prompt_logprobs`, llama.cpp's forced
    /// decoding, TGI's `decoder_input_details`), tried on a short text.
    private func promptLogprobs() async -> ProbeReport.Finding {
        let methods = capabilities.promptLogprobMethods
        guard !methods.isEmpty else {
            return .init(.notOffered, "the API returns no log-probabilities for given text")
        }
        var failures: [String] = []
        for method in methods {
            do {
                let seen = try await method.check(
                    baseURL: target.baseURL, model: target.model, http: endpoint.http,
                    headers: LikelihoodEndpoint.headers(target, apiKey: endpoint.apiKey))
                return .init(.supported, seen, method: method.rawValue)
            } catch {
                failures.append("\(method.rawValue): \(redactor.redact(String(describing: error)))")
            }
        }
        return .init(
            .unsupported, "no method gave log-probabilities of given text (\(failures.joined(separator: "; ")))")
    }

    /// JSON mode: the codec's JSON-only option, and an answer that parses as a JSON object.
    private func jsonMode() async -> ProbeReport.Finding {
        guard capabilities.jsonMode else {
            return .init(.notOffered, "this API constrains output with a JSON schema or grammar only")
        }
        let outcome = await generate(
            "Describe a fictional person as a JSON object with the keys name and age.", maxTokens: 96, jsonObject: true)
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

    // MARK: - Requests

    /// The normalised result of one streamed generation.
    struct Outcome: Sendable {
        var answer = ""
        var textChunks = 0
        var usage: TokenUsage?
        var error: ProviderError?
        /// Generated tokens whose log-probabilities came back.
        var logprobTokens = 0

        /// Output tokens from usage, else chunks.
        var outputTokens: Int { usage?.outputTokens ?? textChunks }
    }

    private func generate(
        _ prompt: String, maxTokens: Int, exact: Bool = false, temperature: Double = 0, seed: UInt64? = nil,
        topLogprobs: Int? = nil, jsonObject: Bool = false
    ) async -> Outcome {
        let request = GenerationRequest(
            model: target.model, messages: [ChatMessage(role: "user", content: prompt)], maxOutputTokens: maxTokens,
            exactOutputLength: exact, temperature: temperature, seed: seed, topLogprobs: topLogprobs,
            jsonObject: jsonObject, extraBody: target.extraBody)
        let raced = await endpoint.race.run(request, state: Outcome()) { outcome, stamped in
            switch stamped.event {
            case .text(let text, let channel):
                outcome.textChunks += 1
                if channel == .answer { outcome.answer += text }
            case .usage(let usage): outcome.usage = usage
            case .failure(let error): outcome.error = error
            case .tokenLogprobs(let tokens): outcome.logprobTokens += tokens.count
            default: break
            }
        }
        var outcome = raced.state
        if let limit = raced.limitError { outcome.error = limit }
        return outcome
    }
}
