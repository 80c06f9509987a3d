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

    /// Force-decodes the whole continuation in one request. The server leaves out the entry of a token whose text
    /// ends inside a UTF-8 character ("®" written as two byte tokens): each such token is scored where it stands, from
    /// the server's full distribution at its position (``logprob(of:after:)``) — as exact, one more request.
    public func score(context: [Int], continuation: [Int]) async throws -> [TokenLogprob] {
        guard !continuation.isEmpty else { return [] }
        guard !context.isEmpty else { throw LikelihoodError("forced decoding needs at least one context token") }
        let document = try await endpoint.post("/completion", Self.body(context: context, continuation: continuation))
        var scored: [TokenLogprob] = []
        for (index, entry) in try Self.logprobs(document, expected: continuation).enumerated() {
            if let entry {
                scored.append(entry)
            } else {
                scored.append(
                    try await logprob(of: continuation[index], after: context + continuation.prefix(index)))
            }
        }
        return scored
    }

    /// The log-probability of `token` after `context` read from the distribution at that position, for a token the
    /// server does not report when it generates it: a complete token (".") is forced there instead, and `token` is
    /// found among that position's alternatives — the top 1,000, else the whole vocabulary.
    public func logprob(of token: Int, after context: [Int]) async throws -> TokenLogprob {
        guard let filler = try await tokenize(".", addSpecial: false).first else {
            throw LikelihoodError("/tokenize gave no token for \".\"")
        }
        for alternatives in [1_000, 1 << 20] {
            var body = Self.body(context: context, continuation: [filler])
            body["n_probs"] = .number(Double(alternatives))
            let document = try await endpoint.post("/completion", body, limit: 512 << 20)
            guard let top = document["completion_probabilities"]?.array?.first?["top_logprobs"]?.array else {
                throw LikelihoodError("/completion returned no alternatives for the token held back at its position")
            }
            if let found = top.first(where: { $0["id"]?.integer == token }), let logprob = found["logprob"]?.number {
                return TokenLogprob(token: token, logprob: logprob, isTop: top.first?["id"]?.integer == token)
            }
        }
        throw LikelihoodError("token \(token) is not among the server's alternatives at its position")
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

    /// Reads `completion_probabilities` against the tokens forced: one log-probability per token, nil where the
    /// server left a token out (it reports a token only once its text is complete UTF-8).
    /// - Throws: ``LikelihoodError`` when the server generated other tokens than forced, or left out most of them
    ///   (the grammar was not applied).
    public static func logprobs(_ document: JSONValue, expected: [Int]) throws -> [TokenLogprob?] {
        guard let entries = document["completion_probabilities"]?.array else {
            throw LikelihoodError("/completion returned no completion_probabilities (is n_probs supported?)")
        }
        var scored: [TokenLogprob?] = []
        var next = 0
        for token in expected {
            guard next < entries.count, entries[next]["id"]?.integer == token else {
                scored.append(nil)
                continue
            }
            guard let logprob = entries[next]["logprob"]?.number else {
                throw LikelihoodError("forced decoding gave no log-probability for token \(token)")
            }
            let top = entries[next]["top_logprobs"]?.array?.first?["id"]?.integer
            scored.append(TokenLogprob(token: token, logprob: logprob, isTop: top == nil || top == token))
            next += 1
        }
        let missing = scored.filter { $0 == nil }.count
        guard next == entries.count, missing * 2 <= expected.count else {
            let generated = entries.compactMap { $0["id"]?.integer }
            throw LikelihoodError(
                "forced decoding diverged: the server generated \(generated) for \(expected) (was the grammar applied?)"
            )
        }
        return scored
    }
}
