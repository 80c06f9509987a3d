public import BenchCore
import Foundation

/// The OpenAI Responses API: `POST {base}/responses`, named events, usage on the terminal event, no `[DONE]`.
public struct OpenAIResponsesWire: WireProtocol {
    public init() {}

    /// System messages become `instructions`; there is no seed and no exact-length option. Log-probabilities are
    /// asked for with `include: [message.output_text.logprobs]` and `top_logprobs`, JSON mode with
    /// `text.format: json_object`.
    public func streamingRequest(_ generation: GenerationRequest, baseURL: String, apiKey: String?) throws
        -> WireRequest
    {
        var headers = [WireRequest.Header("Content-Type", "application/json"), .init("Accept", "text/event-stream")]
        if let apiKey { headers.append(.init("Authorization", "Bearer \(apiKey)")) }
        let (system, conversation) = RequestBody.splitInstructions(generation.messages, roles: ["system", "developer"])
        var fields: [String: JSONValue] = [
            "model": .string(generation.model),
            "stream": .bool(true),
            "input": RequestBody.messages(conversation),
        ]
        if !system.isEmpty { fields["instructions"] = .string(system.joined(separator: "\n\n")) }
        if let maxTokens = generation.maxOutputTokens { fields["max_output_tokens"] = .number(Double(maxTokens)) }
        if let temperature = generation.temperature { fields["temperature"] = .number(temperature) }
        if let top = generation.topLogprobs {
            fields["include"] = .array([.string("message.output_text.logprobs")])
            fields["top_logprobs"] = .number(Double(min(top, 20)))
        }
        if generation.jsonObject {
            fields["text"] = .object(["format": .object(["type": .string("json_object")])])
        }
        return WireRequest(
            url: baseURL + "/responses", headers: headers,
            body: try RequestBody.encode(fields, extra: generation.extraBody)
        )
    }

    public func makeDecoder() -> Decoder { Decoder() }

    public var capabilities: WireCapabilities {
        WireCapabilities(outputLogprobs: true, maxTopLogprobs: 20, jsonMode: true)
    }

    public struct Decoder: JSONEventDecoding {
        public private(set) var isComplete = false

        public mutating func decode(json data: JSONValue, name: String?) -> [GenerationEvent] {
            switch name ?? data["type"]?.string ?? "" {
            case "response.output_text.delta", "response.refusal.delta":
                var events = GenerationEvent.texts(data["delta"]?.string, .answer)
                if let tokens = data["logprobs"]?.array, !tokens.isEmpty {
                    events.append(.tokenLogprobs(tokens.compactMap(OpenAIChatCodec.tokenLogprob)))
                }
                return events
            case "response.reasoning_summary_text.delta", "response.reasoning_text.delta":
                return GenerationEvent.texts(data["delta"]?.string, .reasoning)
            case "response.completed", "response.incomplete":
                isComplete = true
                let response = data["response"]
                let reason: FinishReason
                switch response?["incomplete_details"]?["reason"]?.string {
                case nil: reason = .stop
                case "max_output_tokens": reason = .length
                case "content_filter": reason = .contentFilter
                default: reason = .other
                }
                var events: [GenerationEvent] = [.finish(reason)]
                if let usage = response?["usage"] {
                    events.append(
                        .usage(
                            TokenUsage(
                                inputTokens: usage["input_tokens"]?.integer,
                                cachedInputTokens: usage["input_tokens_details"]?["cached_tokens"]?.integer,
                                outputTokens: usage["output_tokens"]?.integer,
                                reasoningTokens: usage["output_tokens_details"]?["reasoning_tokens"]?.integer
                            )
                        )
                    )
                }
                events.append(.done)
                return events
            case "response.failed":
                return [.failure(Self.failure(data["response"]?["error"]))]
            case "error":
                return [.failure(Self.failure(data))]
            default:
                return []
            }
        }

        static func failure(_ error: JSONValue?) -> ProviderError {
            let code = error?["code"]?.string ?? "error"
            let message = "error in stream: \(code): \(error?["message"]?.string ?? "unspecified error")"
            return ProviderError(code.contains("rate_limit") ? .rateLimited : .server, message)
        }
    }
}
