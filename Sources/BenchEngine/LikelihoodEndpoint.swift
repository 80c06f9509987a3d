import AsyncHTTPClient
import BenchCore
public import BenchProviders
import Foundation

/// How a target gives log-probabilities of given text, if it can: the method its kind is known to have
/// (``ProviderKind/knownPromptLogprobMethod``: llama.cpp by forced decoding, vLLM by `prompt_logprobs`), else the one
/// `llmbench probe` found on the server; for everything else log-likelihood scoring is not available, and said so.
public enum LikelihoodEndpoint {
    /// The method the target gives log-probabilities by, nil when none.
    public static func method(for target: BenchSpec.Target, probes: ProbeStore = ProbeStore()) -> PromptLogprobMethod? {
        if let known = target.kind.knownPromptLogprobMethod { return known }
        let probed = probes.load(kind: target.kind.rawValue, baseURL: target.baseURL, model: target.model)?
            .findings[.promptLogprobs]
        guard probed?.verdict == .supported else { return nil }
        return probed?.method.flatMap(PromptLogprobMethod.init(rawValue:))
    }

    /// - Throws: ``SpecError`` naming the target when no method exists for it.
    static func model(
        for target: BenchSpec.Target, apiKey: String?, http: HTTPTransport, probes: ProbeStore
    ) throws -> any LikelihoodModel {
        guard let method = method(for: target, probes: probes),
            let model = method.model(
                baseURL: target.baseURL, model: target.model, http: http, headers: headers(target, apiKey: apiKey))
        else {
            throw SpecError(
                "target \(target.name)",
                "log-likelihood scoring is not available for this endpoint (\(target.kind.rawValue)): it needs the log-probabilities of given text, which llama.cpp (forced decoding) and vLLM (prompt_logprobs) give; run `llmbench probe` to check another OpenAI-compatible server"
            )
        }
        return model
    }

    /// The headers of requests outside the streaming path: the target's own, and its key as a bearer token.
    static func headers(_ target: BenchSpec.Target, apiKey: String?) -> [WireRequest.Header] {
        WireRequest.headers(target.headers)
            + (apiKey.map { [WireRequest.Header("Authorization", "Bearer \($0)")] } ?? [])
    }
}
