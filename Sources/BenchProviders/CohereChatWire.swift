public import BenchCore
import Foundation

/// Cohere's v2 chat API: `POST {base}/chat` (base `https://api.cohere.com/v2`) with `Authorization: Bearer`,
/// streamed as typed events (`message-start`, `content-start`, `content-delta`…, `message-end`); the JSON `type`
/// is authoritative. Thinking content blocks are reasoning.
public struct CohereChatWire: WireProtocol {
    public init() {}

    /// Messages keep their roles (Cohere accepts `system`); `max_tokens`, `temperature` and `seed` are top-level.
    /// Cohere has no exact-length option.
    public func streamingRequest(_ generation: GenerationRequest, baseURL: String, apiKey: String?) throws
        -> WireRequest
    {
        var headers = [WireRequest.Header("Content-Type", "application/json"), .init("Accept", "text/event-stream")]
        if let apiKey { headers.append(.init("Authorization", "Bearer \(apiKey)")) }
        var fields: [String: JSONValue] = [
            "model": .string(generation.model),
            "stream": .bool(true),
            "messages": RequestBody.messages(generation.messages),
        ]
        if let maxTokens = generation.maxOutputTokens { fields["max_tokens"] = .number(Double(maxTokens)) }
        if let temperature = generation.temperature { fields["temperature"] = .number(temperature) }
        if let seed = generation.seed { fields["seed"] = .number(Double(seed % (1 << 31))) }
        return WireRequest(
            url: baseURL + "/chat", headers: headers, body: try RequestBody.encode(fields, extra: generation.extraBody)
        )
    }

    public func makeDecoder() -> Decoder { Decoder() }

    public struct Decoder: JSONEventDecoding {
        public private(set) var isComplete = false
        /// The content type (`text` or `thinking`) of each open content block, by index.
        private var blockTypes: [Int: String] = [:]

        /// Usage: `tokens` (what the model processed) as input/output, `billed_units` as the billed counts,
        /// `cached_tokens` as cached input. `message-end` with `finish_reason: ERROR` or an `error` is a failure.
        public mutating func decode(json data: JSONValue, name: String?) -> [GenerationEvent] {
            let delta = data["delta"]
            switch data["type"]?.string ?? name ?? "" {
            case "content-start":
                if let index = data["index"]?.integer {
                    blockTypes[index] = delta?["message"]?["content"]?["type"]?.string ?? "text"
                }
                return []
            case "content-delta":
                let content = delta?["message"]?["content"]
                let isThinking =
                    content?["thinking"] != nil || data["index"]?.integer.flatMap { blockTypes[$0] } == "thinking"
                return isThinking
                    ? GenerationEvent.texts(content?["thinking"]?.string ?? content?["text"]?.string, .reasoning)
                    : GenerationEvent.texts(content?["text"]?.string, .answer)
            case "message-end":
                isComplete = true
                var events: [GenerationEvent] = []
                if let usage = delta?["usage"], usage != .null {
                    events.append(.usage(Self.usage(usage)))
                }
                let reason = delta?["finish_reason"]?.string ?? ""
                if let error = delta?["error"]?.string, !error.isEmpty {
                    events.append(.failure(ProviderError(.server, "error in stream: \(error)")))
                } else if reason == "ERROR" || reason == "TIMEOUT" {
                    events.append(.failure(ProviderError(.server, "the stream ended with finish_reason \(reason)")))
                } else {
                    events.append(.finish(FinishReason(providerValue: reason)))
                    events.append(.done)
                }
                return events
            default:
                return []
            }
        }

        static func usage(_ usage: JSONValue) -> TokenUsage {
            let tokens = usage["tokens"]
            let billed = usage["billed_units"]
            var result = TokenUsage(
                inputTokens: tokens?["input_tokens"]?.integer ?? billed?["input_tokens"]?.integer,
                cachedInputTokens: usage["cached_tokens"]?.integer,
                outputTokens: tokens?["output_tokens"]?.integer ?? billed?["output_tokens"]?.integer
            )
            result.billedInputTokens = billed?["input_tokens"]?.integer
            result.billedOutputTokens = billed?["output_tokens"]?.integer
            return result
        }
    }
}
