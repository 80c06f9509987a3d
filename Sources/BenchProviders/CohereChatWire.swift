public import BenchCore
import Foundation

/// Cohere's v2 chat API: `POST {base}/chat` (base `https://api.cohere.com/v2`) with `Authorization: Bearer`,
/// streamed as typed events (`message-start`, `content-start`, `content-delta`…, `message-end`); the JSON `type`
/// is authoritative. Thinking content blocks are reasoning.
public struct CohereChatWire: WireProtocol {
    public init() {}

    /// Messages keep their roles (Cohere accepts `system`); `max_tokens`, `temperature` and `seed` are top-level.
    /// Cohere has no exact-length option. `logprobs: true` gives each token's log-probability (no alternatives);
    /// JSON mode is `response_format: json_object`.
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
        if generation.topLogprobs != nil { fields["logprobs"] = .bool(true) }
        if generation.jsonObject { fields["response_format"] = .object(["type": .string("json_object")]) }
        return WireRequest(
            url: baseURL + "/chat", headers: headers, body: try RequestBody.encode(fields, extra: generation.extraBody)
        )
    }

    public func makeDecoder() -> Decoder { Decoder() }

    public var capabilities: WireCapabilities {
        WireCapabilities(seed: true, outputLogprobs: true, jsonMode: true)
    }

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
                var events =
                    isThinking
                    ? GenerationEvent.texts(content?["thinking"]?.string ?? content?["text"]?.string, .reasoning)
                    : GenerationEvent.texts(content?["text"]?.string, .answer)
                if let tokens = Self.tokenLogprobs(data["logprobs"]) { events.append(.tokenLogprobs(tokens)) }
                return events
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

        /// A delta's `logprobs` (`text`, `token_ids`, `logprobs`): one entry per token, named by the delta's text
        /// when it is one token, else by its id (Cohere gives no text per token).
        static func tokenLogprobs(_ value: JSONValue?) -> [GeneratedTokenLogprob]? {
            guard let values = value?["logprobs"]?.array, !values.isEmpty else { return nil }
            let ids = value?["token_ids"]?.array ?? []
            let text = value?["text"]?.string ?? ""
            return values.enumerated().compactMap { index, logprob in
                logprob.number.map { number in
                    let token =
                        values.count == 1 ? text : ids.indices.contains(index) ? "<\(ids[index].integer ?? 0)>" : ""
                    return GeneratedTokenLogprob(token: token, logprob: number, top: [])
                }
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
