public import BenchCore
import Foundation

/// The OpenAI Chat Completions protocol (`POST {base}/chat/completions`, `Authorization: Bearer`), spoken by
/// OpenAI and by llama.cpp, vLLM, SGLang, TGI, Ollama's `/v1`, LM Studio, Groq, Together, DeepSeek, Mistral,
/// OpenRouter and Fireworks.
public struct OpenAIChatWire: WireProtocol {
    /// The request field that carries the seed: `seed`, or `random_seed` for Mistral.
    public let seedField: String
    /// The request field that carries the output limit: `max_tokens`, or `max_completion_tokens`.
    public let tokenLimitField: String

    public init(seedField: String = "seed", tokenLimitField: String = "max_tokens") {
        self.seedField = seedField
        self.tokenLimitField = tokenLimitField
    }

    public func streamingRequest(_ generation: GenerationRequest, baseURL: String, apiKey: String?) throws
        -> WireRequest
    {
        var headers = [WireRequest.Header("Content-Type", "application/json"), .init("Accept", "text/event-stream")]
        if let apiKey { headers.append(.init("Authorization", "Bearer \(apiKey)")) }
        return WireRequest(
            url: baseURL + "/chat/completions", headers: headers,
            body: try OpenAIChatCodec.encodeStreamingRequest(
                generation, seedField: seedField, tokenLimitField: tokenLimitField)
        )
    }

    public func makeDecoder() -> Decoder { Decoder() }

    /// Seed, `ignore_eos` + `min_tokens` (self-hosted engines), `logprobs` + `top_logprobs` (up to 20),
    /// `response_format: json_object`; vLLM's `prompt_logprobs` or llama.cpp's forced decoding for given text.
    public var capabilities: WireCapabilities {
        WireCapabilities(
            seed: true, exactOutput: true, outputLogprobs: true, maxTopLogprobs: 20, jsonMode: true,
            promptLogprobMethods: [.promptLogprobs, .forcedDecoding])
    }

    /// A stream is complete after `[DONE]` or a finish reason (some compatible servers omit `[DONE]`).
    public struct Decoder: StreamDecoding {
        public private(set) var isComplete = false

        public init() {}

        public mutating func decode(_ event: ServerSentEvent) -> [GenerationEvent] {
            let events = OpenAIChatCodec.decode(event)
            for case .finish in events { isComplete = true }
            for case .done in events { isComplete = true }
            return events
        }
    }
}
