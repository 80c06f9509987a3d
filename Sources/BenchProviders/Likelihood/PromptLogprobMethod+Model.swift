import AsyncHTTPClient
public import BenchCore
import Foundation

extension PromptLogprobMethod {
    /// The model that scores given text by this method at `baseURL`; nil for a method llmbench only detects
    /// (TGI's `decoder_input_details`).
    public func model(
        baseURL: String, model: String, http: HTTPTransport, headers: [WireRequest.Header]
    ) -> (any LikelihoodModel)? {
        switch self {
        case .forcedDecoding: LlamaCppForcedDecoding(baseURL: baseURL, http: http, headers: headers)
        case .promptLogprobs: VLLMPromptLogprobs(baseURL: baseURL, model: model, http: http, headers: headers)
        case .decoderInputDetails: nil
        }
    }

    /// Whether the server at `baseURL` gives log-probabilities of given text by this method: "Hello world" scored
    /// token by token (or, for TGI, a prefill returned by `/generate`). Returns what was seen when it does; throws
    /// what went wrong when it does not.
    public func check(
        baseURL: String, model name: String, http: HTTPTransport, headers: [WireRequest.Header]
    ) async throws -> String {
        let text = "Hello world"
        guard let model = model(baseURL: baseURL, model: name, http: http, headers: headers) else {
            let body: [String: JSONValue] = [
                "inputs": .string(text),
                "parameters": .object(["max_new_tokens": .number(1), "decoder_input_details": .bool(true)]),
            ]
            let document = try await JSONEndpoint(baseURL: baseURL, http: http, headers: headers).post(
                "/generate", body)
            guard let prefill = document["details"]?["prefill"]?.array, !prefill.isEmpty else {
                throw LikelihoodError("/generate with decoder_input_details returned no prefill")
            }
            return "decoder_input_details returned \(prefill.count) prompt tokens"
        }
        let tokens = try await model.tokenize(text, addSpecial: false)
        guard tokens.count >= 2 else { throw LikelihoodError("\"\(text)\" tokenized to \(tokens.count) token") }
        let scored = try await model.score(context: Array(tokens.prefix(1)), continuation: Array(tokens.dropFirst()))
        return "\(rawValue) gave the log-probabilities of \(scored.count) tokens of given text"
    }
}
