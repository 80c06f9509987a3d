public import BenchCore
import Foundation

/// Ollama's native chat API: `POST {base}/api/chat` (base = `http://host:11434`), newline-delimited JSON, the
/// last line `done: true` with the server's own counts and durations (nanoseconds).
public struct OllamaChatWire: WireProtocol {
    public init() {}

    public var framing: StreamFraming { .jsonLines }

    public func warmupURL(baseURL: String) -> String { baseURL + "/api/tags" }

    /// `num_predict`, `temperature` and `seed` go in `options`. Ollama cannot force an exact length.
    /// Log-probabilities are `logprobs: true` with `top_logprobs`; JSON mode is `format: json`.
    public func streamingRequest(_ generation: GenerationRequest, baseURL: String, apiKey: String?) throws
        -> WireRequest
    {
        var headers = [WireRequest.Header("Content-Type", "application/json")]
        if let apiKey { headers.append(.init("Authorization", "Bearer \(apiKey)")) }
        var options: [String: JSONValue] = [:]
        if let maxTokens = generation.maxOutputTokens { options["num_predict"] = .number(Double(maxTokens)) }
        if let temperature = generation.temperature { options["temperature"] = .number(temperature) }
        if let seed = generation.seed { options["seed"] = .number(Double(seed % (1 << 31))) }
        var fields: [String: JSONValue] = [
            "model": .string(generation.model),
            "stream": .bool(true),
            "messages": RequestBody.messages(generation.messages),
            "options": .object(options),
        ]
        if let top = generation.topLogprobs {
            fields["logprobs"] = .bool(true)
            if top > 0 { fields["top_logprobs"] = .number(Double(min(top, 20))) }
        }
        if generation.jsonObject { fields["format"] = .string("json") }
        return WireRequest(
            url: baseURL + "/api/chat", headers: headers,
            body: try RequestBody.encode(fields, extra: generation.extraBody)
        )
    }

    public func makeDecoder() -> Decoder { Decoder() }

    public var capabilities: WireCapabilities {
        WireCapabilities(seed: true, outputLogprobs: true, maxTopLogprobs: 20, jsonMode: true)
    }

    public struct Decoder: JSONEventDecoding {
        public private(set) var isComplete = false

        /// `message.thinking` is reasoning, `message.content` the answer; the `done` line carries usage
        /// (`prompt_eval_count`, `eval_count`) and server timings (`prompt_eval_duration`, `eval_duration`).
        public mutating func decode(json line: JSONValue, name: String?) -> [GenerationEvent] {
            if let error = line["error"]?.string {
                return [.failure(ProviderError(.server, "error in stream: \(error)"))]
            }
            var events: [GenerationEvent] = []
            events += GenerationEvent.texts(line["message"]?["thinking"]?.string, .reasoning)
            events += GenerationEvent.texts(line["message"]?["content"]?.string, .answer)
            if let tokens = line["logprobs"]?.array, !tokens.isEmpty {
                events.append(.tokenLogprobs(tokens.compactMap(OpenAIChatCodec.tokenLogprob)))
            }
            guard line["done"] == .bool(true) else { return events }
            isComplete = true
            events.append(.finish(FinishReason(providerValue: line["done_reason"]?.string ?? "stop")))
            let promptCount = line["prompt_eval_count"]?.integer
            let evalCount = line["eval_count"]?.integer
            events.append(.usage(TokenUsage(inputTokens: promptCount, outputTokens: evalCount)))
            let promptMs = line["prompt_eval_duration"]?.number.map { $0 / 1e6 }
            let evalMs = line["eval_duration"]?.number.map { $0 / 1e6 }
            let perSecond = evalCount.flatMap { count in evalMs.map { $0 > 0 ? Double(count) / ($0 / 1000) : 0 } }
            events.append(
                .serverTimings(
                    ServerTimings(
                        promptTokens: promptCount, promptMilliseconds: promptMs, predictedTokens: evalCount,
                        predictedMilliseconds: evalMs, predictedPerSecond: perSecond
                    )
                )
            )
            events.append(.done)
            return events
        }
    }
}
