public import BenchCore
import Foundation

/// Hugging Face TGI's native `POST {base}/generate_stream` (base = the server root, e.g. `http://host:8080`): one
/// SSE event per token, written `data:` without a space, the last carrying `generated_text` and `details`; no
/// `[DONE]`. The native API takes raw text, with no chat template.
public struct TGIGenerateWire: WireProtocol {
    public init() {}

    public func warmupURL(baseURL: String) -> String { baseURL + "/health" }

    /// The prompt is the messages' contents joined by blank lines (raw text; no chat template is applied).
    /// Temperature 0 is sent as greedy decoding (`do_sample: false`), since TGI refuses a temperature of 0.
    /// An exact output length is unavailable: TGI has no option to ignore the end-of-sequence token.
    /// Log-probabilities are asked for with `top_n_tokens` (every token event carries its own; the alternatives
    /// come with it); there is no plain JSON mode (TGI constrains output by a grammar).
    public func streamingRequest(_ generation: GenerationRequest, baseURL: String, apiKey: String?) throws
        -> WireRequest
    {
        var headers = [WireRequest.Header("Content-Type", "application/json"), .init("Accept", "text/event-stream")]
        if let apiKey { headers.append(.init("Authorization", "Bearer \(apiKey)")) }
        var parameters: [String: JSONValue] = ["details": .bool(true)]
        if let maxTokens = generation.maxOutputTokens { parameters["max_new_tokens"] = .number(Double(maxTokens)) }
        if let temperature = generation.temperature {
            if temperature > 0 {
                parameters["temperature"] = .number(temperature)
                parameters["do_sample"] = .bool(true)
            } else {
                parameters["do_sample"] = .bool(false)
            }
        }
        if let seed = generation.seed { parameters["seed"] = .number(Double(seed % (1 << 53))) }
        if let top = generation.topLogprobs { parameters["top_n_tokens"] = .number(Double(min(max(1, top), 5))) }
        let fields: [String: JSONValue] = [
            "inputs": .string(generation.messages.map(\.content).joined(separator: "\n\n")),
            "parameters": .object(parameters),
        ]
        return WireRequest(
            url: baseURL + "/generate_stream", headers: headers,
            body: try RequestBody.encode(fields, extra: generation.extraBody)
        )
    }

    public func makeDecoder() -> Decoder { Decoder() }

    public var capabilities: WireCapabilities {
        WireCapabilities(
            seed: true, outputLogprobs: true, maxTopLogprobs: 5, promptLogprobMethods: [.decoderInputDetails])
    }

    public struct Decoder: JSONEventDecoding {
        public private(set) var isComplete = false

        /// Special tokens (end of sequence) carry no text; the final event's `details` give the finish reason and
        /// the token counts; `{"error", "error_type"}` is a failure (`overloaded` is a throttle).
        public mutating func decode(json data: JSONValue, name: String?) -> [GenerationEvent] {
            if let message = data["error"]?.string {
                let type = data["error_type"]?.string ?? ""
                let kind: ProviderError.Kind =
                    switch type {
                    case "overloaded": .overloaded
                    case "validation": .invalidRequest
                    default: .server
                    }
                return [.failure(ProviderError(kind, "error in stream (\(type)): \(message)"))]
            }
            var events: [GenerationEvent] = []
            if let token = data["token"], token["special"] != .bool(true) {
                events += GenerationEvent.texts(token["text"]?.string, .answer)
                // Alternatives come only when asked for (`top_n_tokens`), and the token's own logprob with them.
                if let top = data["top_tokens"]?.array, let text = token["text"]?.string,
                    let logprob = token["logprob"]?.number
                {
                    let alternatives = top.compactMap { entry in
                        entry["text"]?.string.flatMap { text in
                            entry["logprob"]?.number.map { GeneratedTokenLogprob.Alternative(token: text, logprob: $0) }
                        }
                    }
                    events.append(
                        .tokenLogprobs([GeneratedTokenLogprob(token: text, logprob: logprob, top: alternatives)]))
                }
            }
            if let details = data["details"], details != .null {
                isComplete = true
                events.append(
                    .usage(
                        TokenUsage(
                            inputTokens: details["input_length"]?.integer,
                            outputTokens: details["generated_tokens"]?.integer
                        )
                    )
                )
                events.append(.finish(FinishReason(providerValue: details["finish_reason"]?.string ?? "")))
                events.append(.done)
            }
            return events
        }
    }
}
