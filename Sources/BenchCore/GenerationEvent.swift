/// Which part of a model's output a text delta belongs to.
public enum TextChannel: String, Sendable, Hashable, Codable {
    /// The answer shown to the user.
    case answer
    /// Reasoning ("thinking") text streamed before or beside the answer.
    case reasoning
}

/// Why generation stopped, normalised across providers.
public enum FinishReason: String, Sendable, Hashable, Codable {
    case stop
    case length
    case toolCalls = "tool_calls"
    case contentFilter = "content_filter"
    case error
    case other

    /// Maps a provider's finish-reason string to the normalised value.
    public init(providerValue: String) {
        switch providerValue.lowercased() {
        case "stop", "end_turn", "stop_sequence", "eos_token", "eos", "complete": self = .stop
        case "length", "max_tokens", "limit", "model_context_window_exceeded": self = .length
        case "tool_calls", "function_call", "tool_use", "tool_call": self = .toolCalls
        case "content_filter", "safety", "refusal", "recitation", "blocklist", "prohibited_content", "spii":
            self = .contentFilter
        case "error": self = .error
        default: self = .other
        }
    }
}

/// Token usage as reported by the provider, normalised.
public struct TokenUsage: Sendable, Hashable, Codable {
    /// Prompt tokens, including cached ones.
    public var inputTokens: Int?
    /// Prompt tokens served from a cache.
    public var cachedInputTokens: Int?
    /// Generated tokens, including reasoning tokens.
    public var outputTokens: Int?
    /// Generated reasoning tokens (part of `outputTokens`).
    public var reasoningTokens: Int?
    /// Input tokens billed, when the provider bills a different count than it processed (Cohere `billed_units`).
    public var billedInputTokens: Int?
    /// Output tokens billed, when the provider bills a different count than it generated.
    public var billedOutputTokens: Int?

    public init(
        inputTokens: Int? = nil, cachedInputTokens: Int? = nil, outputTokens: Int? = nil, reasoningTokens: Int? = nil
    ) {
        self.inputTokens = inputTokens
        self.cachedInputTokens = cachedInputTokens
        self.outputTokens = outputTokens
        self.reasoningTokens = reasoningTokens
    }

    enum CodingKeys: String, CodingKey {
        case inputTokens = "input_tokens"
        case cachedInputTokens = "cached_input_tokens"
        case outputTokens = "output_tokens"
        case reasoningTokens = "reasoning_tokens"
        case billedInputTokens = "billed_input_tokens"
        case billedOutputTokens = "billed_output_tokens"
    }
}

/// Timings a server reports about its own work on one request (llama.cpp `timings`, Ollama durations, …).
public struct ServerTimings: Sendable, Hashable, Codable {
    /// Prompt tokens the server processed (excluding cached ones).
    public var promptTokens: Int?
    /// Server time spent on the prompt, in milliseconds.
    public var promptMilliseconds: Double?
    /// Tokens the server generated.
    public var predictedTokens: Int?
    /// Server time spent generating, in milliseconds.
    public var predictedMilliseconds: Double?
    /// The server's own decode speed, tokens per second.
    public var predictedPerSecond: Double?
    /// Prompt tokens reused from the server's cache.
    public var cachedTokens: Int?

    public init(
        promptTokens: Int? = nil,
        promptMilliseconds: Double? = nil,
        predictedTokens: Int? = nil,
        predictedMilliseconds: Double? = nil,
        predictedPerSecond: Double? = nil,
        cachedTokens: Int? = nil
    ) {
        self.promptTokens = promptTokens
        self.promptMilliseconds = promptMilliseconds
        self.predictedTokens = predictedTokens
        self.predictedMilliseconds = predictedMilliseconds
        self.predictedPerSecond = predictedPerSecond
        self.cachedTokens = cachedTokens
    }

    enum CodingKeys: String, CodingKey {
        case promptTokens = "prompt_tokens"
        case promptMilliseconds = "prompt_ms"
        case predictedTokens = "predicted_tokens"
        case predictedMilliseconds = "predicted_ms"
        case predictedPerSecond = "predicted_per_second"
        case cachedTokens = "cached_tokens"
    }
}

/// The log-probability of one generated token and the most likely tokens at its position (OpenAI's
/// `logprobs.content[]`, spoken by llama.cpp and vLLM too).
public struct GeneratedTokenLogprob: Sendable, Hashable, Codable {
    /// One candidate token at a position and its ln p.
    public struct Alternative: Sendable, Hashable, Codable {
        public var token: String
        public var logprob: Double

        public init(token: String, logprob: Double) {
            self.token = token
            self.logprob = logprob
        }
    }

    /// The generated token's text.
    public var token: String
    public var logprob: Double
    /// The most likely tokens at this position, as the server listed them (usually including the chosen one).
    public var top: [Alternative]

    public init(token: String, logprob: Double, top: [Alternative]) {
        self.token = token
        self.logprob = logprob
        self.top = top
    }
}

/// One thing that happened while a model answered a request.
public enum GenerationEvent: Sendable, Hashable {
    /// The client-side request/token budget held the request back for `waited` before it was sent (zero when it
    /// did not have to wait).
    case paced(waited: Duration)
    /// The HTTP request was handed to the transport (t0).
    case requestSent
    /// A pooled connection turned out to be closed by the server before anything was served; the request was
    /// sent again on a new connection (t0 is the second attempt).
    case connectionRetry
    /// The response status line and headers arrived.
    case responseHead(status: Int)
    /// A piece of generated text. Empty deltas are never emitted.
    case text(String, channel: TextChannel)
    /// Usage figures; a later event replaces an earlier one.
    case usage(TokenUsage)
    case finish(FinishReason)
    case serverTimings(ServerTimings)
    /// Log-probabilities of generated tokens, sent only when the request asked for them (`logprobs`).
    case tokenLogprobs([GeneratedTokenLogprob])
    /// Bytes arrived that carried no other event (a keep-alive comment, a role-only chunk): the stream is alive.
    /// Sent only for a read that decoded to nothing, so it costs nothing on a stream of text.
    case keepAlive
    /// The protocol's terminal event (`[DONE]`, `message_stop`, …): the response is complete.
    case done
    /// The request failed; no further events follow.
    case failure(ProviderError)
    /// The attempt failed with `error` and will be sent again after `after`; the events of the next attempt follow.
    case retrying(after: Duration, error: ProviderError)
}

/// An event with the monotonic instant its bytes arrived, taken before any parsing.
public struct StampedEvent: Sendable, Hashable {
    public var event: GenerationEvent
    public var at: ContinuousClock.Instant

    public init(_ event: GenerationEvent, at: ContinuousClock.Instant) {
        self.event = event
        self.at = at
    }
}
