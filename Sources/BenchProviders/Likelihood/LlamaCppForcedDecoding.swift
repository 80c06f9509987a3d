import AsyncHTTPClient
public import BenchCore
import Foundation

/// Log-probabilities of given text from llama.cpp's server, which returns none for the prompt: the text is
/// *force-decoded*. `/completion` receives the context as token ids and generates exactly the continuation's
/// tokens under a grammar that allows only them (`root ::= <[id]> <[id]> …`); with `n_probs` and pre-sampling
/// probabilities the server reports, for each generated token, ln softmax(raw logits)[token] — the exact
/// log-probability, untouched by temperature or the grammar.
public struct LlamaCppForcedDecoding: LikelihoodModel {
    public let method = "forced_decoding"
    /// The server root (a trailing `/v1` is dropped).
    public let endpoint: JSONEndpoint

    public init(baseURL: String, http: HTTPTransport, headers: [WireRequest.Header] = []) {
        endpoint = JSONEndpoint(baseURL: baseURL, http: http, headers: headers)
    }

    public func tokenize(_ text: String, addSpecial: Bool) async throws -> [Int] {
        let document = try await endpoint.post(
            "/tokenize", ["content": .string(text), "add_special": .bool(addSpecial)])
        guard let tokens = document["tokens"]?.array else {
            throw LikelihoodError("/tokenize returned no tokens")
        }
        return try tokens.map {
            guard let id = $0.integer else { throw LikelihoodError("/tokenize returned a token that is not an id") }
            return id
        }
    }

    public func score(context: [Int], continuation: [Int]) async throws -> [TokenLogprob] {
        guard !continuation.isEmpty else { return [] }
        guard !context.isEmpty else { throw LikelihoodError("forced decoding needs at least one context token") }
        let document = try await endpoint.post("/completion", Self.body(context: context, continuation: continuation))
        return try Self.logprobs(document, expected: continuation)
    }

    /// The request that force-decodes `continuation` after `context`.
    public static func body(context: [Int], continuation: [Int]) -> [String: JSONValue] {
        [
            "prompt": .array(context.map { .number(Double($0)) }),
            "n_predict": .number(Double(continuation.count)),
            "grammar": .string(grammar(continuation)),
            "n_probs": .number(1),
            "post_sampling_probs": .bool(false),
            "temperature": .number(0),
            "cache_prompt": .bool(true),
            "stream": .bool(false),
        ]
    }

    /// A GBNF grammar that accepts exactly `tokens`, by token id.
    public static func grammar(_ tokens: [Int]) -> String {
        "root ::= " + tokens.map { "<[\($0)]>" }.joined(separator: " ")
    }

    /// Reads `completion_probabilities`, checking that the server generated exactly the expected tokens.
    public static func logprobs(_ document: JSONValue, expected: [Int]) throws -> [TokenLogprob] {
        guard let entries = document["completion_probabilities"]?.array else {
            throw LikelihoodError("/completion returned no completion_probabilities (is n_probs supported?)")
        }
        guard entries.count == expected.count else {
            throw LikelihoodError(
                "forced decoding produced \(entries.count) of \(expected.count) tokens (the grammar was not applied)")
        }
        return try zip(entries, expected).enumerated().map { index, pair in
            let (entry, token) = pair
            guard entry["id"]?.integer == token, let logprob = entry["logprob"]?.number else {
                throw LikelihoodError(
                    "forced decoding diverged at token \(index): expected id \(token), got \(entry["id"]?.integer.map(String.init) ?? "none")"
                )
            }
            let top = entry["top_logprobs"]?.array?.first?["id"]?.integer
            return TokenLogprob(token: token, logprob: logprob, isTop: top == nil || top == token)
        }
    }
}
