import AsyncHTTPClient
public import BenchCore
import Foundation

/// Log-probabilities of given text from vLLM, which returns them for the prompt: `/v1/completions` with the
/// context and continuation as token ids and `prompt_logprobs: 1` answers, per prompt position, the
/// log-probability and rank of the token that is there (`rank` 1 = the model's top choice).
public struct VLLMPromptLogprobs: LikelihoodModel {
    public let method = "prompt_logprobs"
    public let endpoint: JSONEndpoint
    let model: String

    public init(baseURL: String, model: String, http: HTTPTransport, headers: [WireRequest.Header] = []) {
        endpoint = JSONEndpoint(baseURL: baseURL, http: http, headers: headers)
        self.model = model
    }

    public func tokenize(_ text: String, addSpecial: Bool) async throws -> [Int] {
        let document = try await endpoint.post(
            "/tokenize",
            ["model": .string(model), "prompt": .string(text), "add_special_tokens": .bool(addSpecial)])
        guard let tokens = document["tokens"]?.array?.compactMap(\.integer) else {
            throw LikelihoodError("/tokenize returned no tokens")
        }
        return tokens
    }

    public func score(context: [Int], continuation: [Int]) async throws -> [TokenLogprob] {
        guard !continuation.isEmpty else { return [] }
        guard !context.isEmpty else { throw LikelihoodError("prompt_logprobs needs at least one context token") }
        let body: [String: JSONValue] = [
            "model": .string(model),
            "prompt": .array((context + continuation).map { .number(Double($0)) }),
            "max_tokens": .number(1),
            "temperature": .number(0),
            "prompt_logprobs": .number(1),
        ]
        return try Self.logprobs(
            try await endpoint.post("/v1/completions", body), context: context.count, expected: continuation)
    }

    /// Reads `choices[0].prompt_logprobs` at the continuation's positions.
    public static func logprobs(_ document: JSONValue, context: Int, expected: [Int]) throws -> [TokenLogprob] {
        guard let entries = document["choices"]?.array?.first?["prompt_logprobs"]?.array else {
            throw LikelihoodError("the response has no prompt_logprobs (is this vLLM?)")
        }
        guard entries.count == context + expected.count else {
            throw LikelihoodError(
                "prompt_logprobs has \(entries.count) entries for a prompt of \(context + expected.count) tokens")
        }
        return try expected.enumerated().map { offset, token in
            guard let entry = entries[context + offset][String(token)], let logprob = entry["logprob"]?.number else {
                throw LikelihoodError("prompt_logprobs has no entry for token \(token) at position \(context + offset)")
            }
            return TokenLogprob(token: token, logprob: logprob, isTop: entry["rank"]?.integer == 1)
        }
    }
}
