public import BenchCore

/// Counts tokens with the server's own tokenizer: llama.cpp's `POST /tokenize` (`{"content", "add_special":
/// false}` → `{"tokens": [ids]}`) at the root of the target's base URL; the simulator answers it too.
public struct ServerTokenCounter: TokenCounter {
    private let model: LlamaCppForcedDecoding

    public init(baseURL: String, http: HTTPTransport, headers: [WireRequest.Header] = []) {
        model = LlamaCppForcedDecoding(baseURL: baseURL, http: http, headers: headers)
    }

    public var name: String { "the server's /tokenize" }

    public func countTokens(_ text: String) async throws -> Int {
        try await model.tokenize(text, addSpecial: false).count
    }
}
