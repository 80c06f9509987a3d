public import BenchCore
import Foundation

/// The Anthropic Messages protocol: `POST {base}/messages` with `x-api-key` and `anthropic-version`, streamed as
/// named events (`message_start`, `content_block_*`, `message_delta`, `message_stop`; no `[DONE]`).
public struct AnthropicMessagesWire: WireProtocol {
    /// The API version header every request carries.
    public static let apiVersion = "2023-06-01"
    /// `max_tokens` is required by this API; used when the request sets none.
    public static let defaultMaxTokens = 1024

    public init() {}

    /// System messages become the top-level `system` field; there is no seed and no exact-length option.
    public func streamingRequest(_ generation: GenerationRequest, baseURL: String, apiKey: String?) throws
        -> WireRequest
    {
        var headers = [
            WireRequest.Header("Content-Type", "application/json"), .init("anthropic-version", Self.apiVersion),
            .init("Accept", "text/event-stream"),
        ]
        if let apiKey { headers.append(.init("x-api-key", apiKey)) }
        let (system, conversation) = RequestBody.splitInstructions(generation.messages)
        var fields: [String: JSONValue] = [
            "model": .string(generation.model),
            "max_tokens": .number(Double(generation.maxOutputTokens ?? Self.defaultMaxTokens)),
            "stream": .bool(true),
            "messages": RequestBody.messages(conversation),
        ]
        if !system.isEmpty { fields["system"] = .string(system.joined(separator: "\n\n")) }
        if let temperature = generation.temperature { fields["temperature"] = .number(temperature) }
        return WireRequest(
            url: baseURL + "/messages", headers: headers,
            body: try RequestBody.encode(fields, extra: generation.extraBody)
        )
    }

    public func makeDecoder() -> Decoder { Decoder() }

    /// No seed, no log-probabilities, no exact length and no JSON-only option (Anthropic constrains output with
    /// tools or a schema only).
    public var capabilities: WireCapabilities { WireCapabilities() }

    /// Keeps the input counts of `message_start` and merges the cumulative usage of `message_delta` into them.
    public struct Decoder: JSONEventDecoding {
        public private(set) var isComplete = false
        private var usage = TokenUsage()

        public mutating func decode(json data: JSONValue, name: String?) -> [GenerationEvent] {
            switch name ?? data["type"]?.string ?? "" {
            case "message_start":
                merge(data["message"]?["usage"])
                return []
            case "content_block_delta":
                let delta = data["delta"]
                switch delta?["type"]?.string {
                case "text_delta":
                    return GenerationEvent.texts(delta?["text"]?.string, .answer)
                case "thinking_delta":
                    return GenerationEvent.texts(delta?["thinking"]?.string, .reasoning)
                default:
                    return []
                }
            case "message_delta":
                var events: [GenerationEvent] = []
                if let reason = data["delta"]?["stop_reason"]?.string {
                    events.append(.finish(FinishReason(providerValue: reason)))
                }
                if let delta = data["usage"] {
                    merge(delta)
                    events.append(.usage(usage))
                }
                return events
            case "message_stop":
                isComplete = true
                return [.done]
            case "error":
                return [.failure(Self.streamError(data["error"]))]
            default:  // ping, content_block_start/stop, and event types added later
                return []
            }
        }

        /// Anthropic's `input_tokens` excludes cached tokens: input = input + cache reads + cache writes.
        private mutating func merge(_ value: JSONValue?) {
            guard let value else { return }
            if let input = value["input_tokens"]?.integer {
                let read = value["cache_read_input_tokens"]?.integer ?? 0
                let written = value["cache_creation_input_tokens"]?.integer ?? 0
                usage.inputTokens = input + read + written
                usage.cachedInputTokens = read
            }
            if let output = value["output_tokens"]?.integer { usage.outputTokens = output }
            if let thinking = value["output_tokens_details"]?["thinking_tokens"]?.integer {
                usage.reasoningTokens = thinking
            }
        }

        static func streamError(_ error: JSONValue?) -> ProviderError {
            let type = error?["type"]?.string ?? "error"
            let message = "\(type): \(error?["message"]?.string ?? "unspecified error")"
            switch type {
            case "overloaded_error": return ProviderError(.overloaded, "error in stream: \(message)")
            case "rate_limit_error": return ProviderError(.rateLimited, "error in stream: \(message)")
            default: return ProviderError(.server, "error in stream: \(message)")
            }
        }
    }
}
