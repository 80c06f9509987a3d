public import AsyncHTTPClient
public import BenchCore
import BenchProviders
import Foundation

/// How a target gives log-probabilities of given text, if it can: llama.cpp by forced decoding, vLLM by
/// `prompt_logprobs`; another OpenAI-compatible server when `llmbench probe` found one of the two; for
/// everything else log-likelihood scoring is not available, and said so.
public enum LikelihoodEndpoint {
    /// The method the target gives log-probabilities by (`forced_decoding`, `prompt_logprobs`), nil when none.
    public static func method(for target: BenchSpec.Target, probes: ProbeStore = ProbeStore()) -> String? {
        switch target.kind {
        case .llamacpp: return "forced_decoding"
        case .vllm: return "prompt_logprobs"
        default:
            let probed = probes.load(kind: target.kind.rawValue, baseURL: target.baseURL, model: target.model)?
                .findings[.promptLogprobs]
            guard probed?.verdict == .supported else { return nil }
            return probed?.method
        }
    }

    /// - Throws: ``SpecError`` naming the target when no method exists for it.
    public static func model(
        for target: BenchSpec.Target, apiKey: String?, http: HTTPClient, probes: ProbeStore = ProbeStore()
    ) throws -> any LikelihoodModel {
        let headers =
            WireRequest.headers(target.headers)
            + (apiKey.map { [WireRequest.Header("Authorization", "Bearer \($0)")] } ?? [])
        switch method(for: target, probes: probes) {
        case "forced_decoding"?:
            return LlamaCppForcedDecoding(baseURL: target.baseURL, http: http, headers: headers)
        case "prompt_logprobs"?:
            return VLLMPromptLogprobs(baseURL: target.baseURL, model: target.model, http: http, headers: headers)
        default:
            throw SpecError(
                "target \(target.name)",
                "log-likelihood scoring is not available for this endpoint (\(target.kind.rawValue)): it needs the log-probabilities of given text, which llama.cpp (forced decoding) and vLLM (prompt_logprobs) give; run `llmbench probe` to check another OpenAI-compatible server"
            )
        }
    }
}
