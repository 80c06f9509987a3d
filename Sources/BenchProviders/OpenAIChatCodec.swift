public import BenchCore
public import Foundation

/// The OpenAI Chat Completions wire format (also spoken by llama.cpp, vLLM, SGLang, TGI, Ollama's `/v1`,
/// LM Studio and most hosted APIs): request encoding and streamed-event decoding. Pure: no I/O.
public enum OpenAIChatCodec {
    /// The JSON body of a streaming chat-completions request.
    ///
    /// Sends the output limit in `tokenLimitField` (`max_tokens`, or `max_completion_tokens`, which OpenAI's
    /// reasoning models require); with `exactOutputLength`, also `ignore_eos: true` and `min_tokens` (vLLM, SGLang
    /// and llama.cpp honour them; strict APIs reject them, so it is opt-in). The seed goes in `seedField` (`seed`,
    /// or Mistral's `random_seed`). `extraBody` fields are applied last and override everything else.
    public static func encodeStreamingRequest(
        _ request: GenerationRequest, seedField: String = "seed", tokenLimitField: String = "max_tokens"
    ) throws -> Data {
        var body: [String: JSONValue] = [
            "model": .string(request.model),
            "messages": RequestBody.messages(request.messages),
            "stream": .bool(true),
        ]
        if request.includeUsage {
            body["stream_options"] = .object(["include_usage": .bool(true)])
        }
        if let maxOutputTokens = request.maxOutputTokens {
            body[tokenLimitField] = .number(Double(maxOutputTokens))
            if request.exactOutputLength {
                body["ignore_eos"] = .bool(true)
                body["min_tokens"] = .number(Double(maxOutputTokens))
            }
        }
        if let temperature = request.temperature { body["temperature"] = .number(temperature) }
        if let seed = request.seed { body[seedField] = .number(Double(seed)) }
        if let top = request.topLogprobs {
            body["logprobs"] = .bool(true)
            if top > 0 { body["top_logprobs"] = .number(Double(min(top, 20))) }
        }
        if request.jsonObject { body["response_format"] = .object(["type": .string("json_object")]) }
        for (key, value) in request.extraBody { body[key] = value }
        return try JSONEncoder().encode(body)
    }

    /// The events carried by one server-sent event of a chat-completions stream.
    ///
    /// `[DONE]` (compared on the data value, so `data:[DONE]` works too) is the terminal event. Role-only and
    /// empty deltas yield nothing. `reasoning_content` / `reasoning` deltas are reasoning text; `content` and
    /// `refusal` are answer text. A JSON object with an `error` key is a failure carrying the provider's message;
    /// data that is not valid JSON is a decoding failure. The usual text chunk is read by
    /// ``OpenAIChatChunkScanner`` without building a JSON value; everything else by the full parser.
    public static func decode(_ event: ServerSentEvent) -> [GenerationEvent] {
        if event.data == "[DONE]" { return [.done] }
        if event.event == "error" {
            return [.failure(ProviderError(.server, "error event: \(event.data.prefix(300))"))]
        }
        var data = event.data
        if let events = data.withUTF8({ OpenAIChatChunkScanner.events(UnsafeRawBufferPointer($0)) }) {
            return events
        }
        return decodeParsed(event)
    }

    /// ``decode(_:)`` by the full parser alone: every shape of chunk, and the errors. Public so the fast path can be
    /// checked against it.
    public static func decodeParsed(_ event: ServerSentEvent) -> [GenerationEvent] {
        let chunk: JSONValue
        do {
            chunk = try JSONParser.parse(event.data)
        } catch {
            return [
                .failure(ProviderError(.decoding, "malformed JSON in stream (\(error)): \(event.data.prefix(200))"))
            ]
        }
        if let error = chunk["error"], error != .null {
            return [.failure(streamError(error))]
        }
        var events: [GenerationEvent] = []
        if let choice = chunk["choices"]?.array?.first(where: { ($0["index"]?.integer ?? 0) == 0 }) {
            let delta = choice["delta"] ?? choice["message"]
            if let reasoning = (delta?["reasoning_content"] ?? delta?["reasoning"])?.string, !reasoning.isEmpty {
                events.append(.text(reasoning, channel: .reasoning))
            }
            if let content = delta?["content"]?.string, !content.isEmpty {
                events.append(.text(content, channel: .answer))
            }
            if let refusal = delta?["refusal"]?.string, !refusal.isEmpty {
                events.append(.text(refusal, channel: .answer))
            }
            if let tokens = choice["logprobs"]?["content"]?.array, !tokens.isEmpty {
                events.append(.tokenLogprobs(tokens.compactMap(tokenLogprob)))
            }
            if let reason = choice["finish_reason"]?.string {
                events.append(.finish(FinishReason(providerValue: reason)))
            }
        }
        // Groq reports usage (and its own timings, in seconds) under x_groq on the final chunk.
        let groqUsage = chunk["x_groq"]?["usage"]
        if let usage = chunk["usage"] ?? groqUsage, case .object = usage {
            events.append(
                .usage(
                    TokenUsage(
                        inputTokens: usage["prompt_tokens"]?.integer,
                        // DeepSeek names its cache hits prompt_cache_hit_tokens.
                        cachedInputTokens: (usage["prompt_tokens_details"]?["cached_tokens"]
                            ?? usage["prompt_cache_hit_tokens"])?.integer,
                        outputTokens: usage["completion_tokens"]?.integer,
                        reasoningTokens: usage["completion_tokens_details"]?["reasoning_tokens"]?.integer
                    )
                )
            )
        }
        if let groq = groqUsage, let completionTime = groq["completion_time"]?.number {
            let completion = groq["completion_tokens"]?.integer
            events.append(
                .serverTimings(
                    ServerTimings(
                        promptTokens: groq["prompt_tokens"]?.integer,
                        promptMilliseconds: groq["prompt_time"]?.number.map { $0 * 1000 },
                        predictedTokens: completion, predictedMilliseconds: completionTime * 1000,
                        predictedPerSecond: completion.flatMap {
                            completionTime > 0 ? Double($0) / completionTime : nil
                        }
                    )
                )
            )
        }
        if let timings = chunk["timings"], case .object = timings {
            events.append(
                .serverTimings(
                    ServerTimings(
                        promptTokens: timings["prompt_n"]?.integer, promptMilliseconds: timings["prompt_ms"]?.number,
                        predictedTokens: timings["predicted_n"]?.integer,
                        predictedMilliseconds: timings["predicted_ms"]?.number,
                        predictedPerSecond: timings["predicted_per_second"]?.number,
                        cachedTokens: timings["cache_n"]?.integer
                    )
                )
            )
        }
        return events
    }

    /// One entry of `logprobs.content`: `{token, logprob, top_logprobs: [{token, logprob}]}`.
    static func tokenLogprob(_ entry: JSONValue) -> GeneratedTokenLogprob? {
        guard let token = entry["token"]?.string, let logprob = entry["logprob"]?.number else { return nil }
        let top = (entry["top_logprobs"]?.array ?? []).compactMap { alternative in
            alternative["token"]?.string.flatMap { token in
                alternative["logprob"]?.number.map { GeneratedTokenLogprob.Alternative(token: token, logprob: $0) }
            }
        }
        return GeneratedTokenLogprob(token: token, logprob: logprob, top: top)
    }

    /// The provider's error message from an error response body, when it has the usual shapes
    /// (`{"error":{"message":…}}`, `{"error":"…"}`, `{"message":…}`, `{"detail":…}`).
    public static func errorMessage(fromBody body: Data) -> String? {
        guard let document = try? body.withUnsafeBytes({ try JSONParser.parse($0) }) else { return nil }
        return errorMessage(in: document)
    }

    /// The message of a parsed error body.
    static func errorMessage(in document: JSONValue) -> String? {
        document["error"]?["message"]?.string ?? document["error"]?.string ?? document["message"]?.string
            ?? document["detail"]?.string
    }

    /// An in-stream error: an object (`{"message","type","code"}`) or a bare string (TGI), classified by its code
    /// and type.
    static func streamError(_ error: JSONValue) -> ProviderError {
        let message = error.string ?? error["message"]?.string ?? "unspecified error"
        let type = (error["type"]?.string ?? "").lowercased()
        let code = error["code"]?.integer ?? error["code"]?.string.flatMap { Int($0) }
        let kind: ProviderError.Kind
        if code == 429 || type.contains("rate_limit") {
            kind = .rateLimited
        } else if code == 503 || code == 529 || type.contains("overloaded") {
            kind = .overloaded
        } else {
            kind = .server
        }
        return ProviderError(kind, "error in stream: \(message)")
    }
}
