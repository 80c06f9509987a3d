/// Where an output-token count came from, in order of preference.
public enum TokenCountSource: String, Sendable, Hashable, Codable {
    /// Provider-reported usage.
    case usage
    /// A tokenizer run by llmbench over the output text.
    case tokenizer
    /// The number of non-empty text chunks (one chunk counted as one token).
    case chunks
}

/// How a request ended.
public enum RequestOutcome: String, Sendable, Hashable, Codable {
    case success
    case failed
    /// Stopped by llmbench (end of a timed step); neither a success nor a provider failure.
    case cancelled
}

/// The raw record of one request: monotonic timestamps and counts, from which every metric is computed.
///
/// All instants are offsets from the start of the run (one monotonic `ContinuousClock` origin per run) and are
/// stored as integer nanoseconds.
public struct RequestRecord: Sendable, Hashable, Codable {
    /// Position of the request within the run.
    public var id: Int
    /// Name of the target (endpoint + model) the request went to.
    public var target: String
    /// Index of the load step within the target's sweep.
    public var step: Int
    /// Index of the prompt used.
    public var promptIndex: Int

    /// When the load shape wanted the request to start.
    public var scheduledAt: Duration
    /// When a client concurrency slot was obtained (equals `scheduledAt` when there is no slot limit).
    public var slotAcquiredAt: Duration
    /// t0: the request was handed to the HTTP transport.
    public var dispatchedAt: Duration?
    /// The response head arrived.
    public var responseHeadAt: Duration?
    /// The first chunk carrying generated text (answer or reasoning).
    public var firstTokenAt: Duration?
    /// The first chunk carrying answer text.
    public var firstAnswerAt: Duration?
    /// The last chunk carrying generated text.
    public var lastTokenAt: Duration?
    /// The end of the response: the terminal event, the failure, or end of stream.
    public var endedAt: Duration
    /// Arrival instants of every non-empty text chunk (answer and reasoning), in order.
    public var chunkTimes: [Duration]

    /// HTTP status of the response, when one arrived.
    public var httpStatus: Int?
    public var outcome: RequestOutcome
    public var error: ProviderError?
    public var finishReason: FinishReason?

    /// Output tokens used by every metric, from `outputTokenSource`.
    public var outputTokens: Int
    public var outputTokenSource: TokenCountSource
    /// Usage as the provider reported it, if it did.
    public var usage: TokenUsage?
    /// Timings the server reported about its own work, if it did.
    public var serverTimings: ServerTimings?
    /// Non-empty text chunks received (answer + reasoning).
    public var textChunks: Int
    /// Reasoning chunks among `textChunks`.
    public var reasoningChunks: Int
    /// Characters (Unicode scalars) of answer + reasoning text: a neutral ruler.
    public var outputCharacters: Int
    /// Whitespace-separated words of answer + reasoning text: a neutral ruler.
    public var outputWords: Int
    /// FNV-1a 64-bit hash of the answer text, for determinism checks without storing the text.
    public var outputHash: String

    /// Input tokens the prompt was built to have (synthetic prompts), if known.
    public var requestedInputTokens: Int?
    /// `max_tokens` sent with the request.
    public var requestedOutputTokens: Int?
    /// Whether an exact output length was asked for (`ignore_eos` / `min_tokens`).
    public var exactOutputRequested: Bool
    /// Times the request was re-sent because a pooled connection had been closed by the server.
    public var connectionRetries: Int
    /// Attempts made (1 without retries). Every timing above belongs to the last attempt.
    public var attempts: Int
    /// Dispatch of the first attempt, when there were retries: t0 − this is the time spent throttled or failing
    /// before the attempt that counts (earlier attempts and the waits between them).
    public var firstDispatchedAt: Duration?
    /// The failures that were retried, in order.
    public var retriedErrors: [ProviderError]
    /// The stretch of execution the request belongs to: 0, or 1, 2, … for each resumption of an interrupted run
    /// (a new process, a new clock origin: offsets continue after the previous segment's last instant).
    public var segment: Int
    /// How long the client-side rate budget (requests/tokens per minute) held the first attempt back; nil when no
    /// budget was set. Not latency: it lies between the slot and t0.
    public var pacingWait: Duration?
    /// How loaded the client process was when the request finished; nil in records from before it was sampled.
    public var clientLoad: ClientLoad?
    /// The turn of a multi-turn conversation (0 = first), whose conversation is ``promptIndex``; nil otherwise.
    public var turn: Int?

    public init(
        id: Int, target: String, step: Int, promptIndex: Int,
        scheduledAt: Duration, slotAcquiredAt: Duration, dispatchedAt: Duration? = nil,
        responseHeadAt: Duration? = nil, firstTokenAt: Duration? = nil, firstAnswerAt: Duration? = nil,
        lastTokenAt: Duration? = nil, endedAt: Duration, chunkTimes: [Duration] = [],
        httpStatus: Int? = nil, outcome: RequestOutcome, error: ProviderError? = nil,
        finishReason: FinishReason? = nil, outputTokens: Int = 0, outputTokenSource: TokenCountSource = .chunks,
        usage: TokenUsage? = nil, serverTimings: ServerTimings? = nil, textChunks: Int = 0,
        reasoningChunks: Int = 0, outputCharacters: Int = 0, outputWords: Int = 0, outputHash: String = "",
        requestedInputTokens: Int? = nil, requestedOutputTokens: Int? = nil, exactOutputRequested: Bool = false,
        connectionRetries: Int = 0, attempts: Int = 1, firstDispatchedAt: Duration? = nil,
        retriedErrors: [ProviderError] = [], pacingWait: Duration? = nil, segment: Int = 0
    ) {
        self.id = id
        self.target = target
        self.step = step
        self.promptIndex = promptIndex
        self.scheduledAt = scheduledAt
        self.slotAcquiredAt = slotAcquiredAt
        self.dispatchedAt = dispatchedAt
        self.responseHeadAt = responseHeadAt
        self.firstTokenAt = firstTokenAt
        self.firstAnswerAt = firstAnswerAt
        self.lastTokenAt = lastTokenAt
        self.endedAt = endedAt
        self.chunkTimes = chunkTimes
        self.httpStatus = httpStatus
        self.outcome = outcome
        self.error = error
        self.finishReason = finishReason
        self.outputTokens = outputTokens
        self.outputTokenSource = outputTokenSource
        self.usage = usage
        self.serverTimings = serverTimings
        self.textChunks = textChunks
        self.reasoningChunks = reasoningChunks
        self.outputCharacters = outputCharacters
        self.outputWords = outputWords
        self.outputHash = outputHash
        self.requestedInputTokens = requestedInputTokens
        self.requestedOutputTokens = requestedOutputTokens
        self.exactOutputRequested = exactOutputRequested
        self.connectionRetries = connectionRetries
        self.attempts = attempts
        self.firstDispatchedAt = firstDispatchedAt
        self.retriedErrors = retriedErrors
        self.pacingWait = pacingWait
        self.segment = segment
    }

    enum CodingKeys: String, CodingKey {
        case id, target, step
        case promptIndex = "prompt_index"
        case scheduledAt = "scheduled_ns"
        case slotAcquiredAt = "slot_acquired_ns"
        case dispatchedAt = "dispatched_ns"
        case responseHeadAt = "response_head_ns"
        case firstTokenAt = "first_token_ns"
        case firstAnswerAt = "first_answer_ns"
        case lastTokenAt = "last_token_ns"
        case endedAt = "ended_ns"
        case chunkTimes = "chunk_ns"
        case httpStatus = "http_status"
        case outcome, error
        case finishReason = "finish_reason"
        case outputTokens = "output_tokens"
        case outputTokenSource = "output_token_source"
        case usage
        case serverTimings = "server_timings"
        case textChunks = "text_chunks"
        case reasoningChunks = "reasoning_chunks"
        case outputCharacters = "output_chars"
        case outputWords = "output_words"
        case outputHash = "output_hash"
        case requestedInputTokens = "requested_input_tokens"
        case requestedOutputTokens = "requested_output_tokens"
        case exactOutputRequested = "exact_output_requested"
        case connectionRetries = "connection_retries"
        case attempts
        case firstDispatchedAt = "first_dispatched_ns"
        case pacingWait = "pacing_ns"
        case segment
        case retriedErrors = "retried_errors"
        case clientLoad = "client_load"
        case turn
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        func instant(_ key: CodingKeys) throws -> Duration? {
            try c.decodeIfPresent(Int64.self, forKey: key).map { Duration.nanoseconds($0) }
        }
        id = try c.decode(Int.self, forKey: .id)
        target = try c.decode(String.self, forKey: .target)
        step = try c.decode(Int.self, forKey: .step)
        promptIndex = try c.decode(Int.self, forKey: .promptIndex)
        scheduledAt = .nanoseconds(try c.decode(Int64.self, forKey: .scheduledAt))
        slotAcquiredAt = .nanoseconds(try c.decode(Int64.self, forKey: .slotAcquiredAt))
        dispatchedAt = try instant(.dispatchedAt)
        responseHeadAt = try instant(.responseHeadAt)
        firstTokenAt = try instant(.firstTokenAt)
        firstAnswerAt = try instant(.firstAnswerAt)
        lastTokenAt = try instant(.lastTokenAt)
        endedAt = .nanoseconds(try c.decode(Int64.self, forKey: .endedAt))
        chunkTimes = try c.decode([Int64].self, forKey: .chunkTimes).map { Duration.nanoseconds($0) }
        httpStatus = try c.decodeIfPresent(Int.self, forKey: .httpStatus)
        outcome = try c.decode(RequestOutcome.self, forKey: .outcome)
        error = try c.decodeIfPresent(ProviderError.self, forKey: .error)
        finishReason = try c.decodeIfPresent(FinishReason.self, forKey: .finishReason)
        outputTokens = try c.decode(Int.self, forKey: .outputTokens)
        outputTokenSource = try c.decode(TokenCountSource.self, forKey: .outputTokenSource)
        usage = try c.decodeIfPresent(TokenUsage.self, forKey: .usage)
        serverTimings = try c.decodeIfPresent(ServerTimings.self, forKey: .serverTimings)
        textChunks = try c.decode(Int.self, forKey: .textChunks)
        reasoningChunks = try c.decode(Int.self, forKey: .reasoningChunks)
        outputCharacters = try c.decode(Int.self, forKey: .outputCharacters)
        outputWords = try c.decode(Int.self, forKey: .outputWords)
        outputHash = try c.decode(String.self, forKey: .outputHash)
        requestedInputTokens = try c.decodeIfPresent(Int.self, forKey: .requestedInputTokens)
        requestedOutputTokens = try c.decodeIfPresent(Int.self, forKey: .requestedOutputTokens)
        exactOutputRequested = try c.decode(Bool.self, forKey: .exactOutputRequested)
        connectionRetries = try c.decodeIfPresent(Int.self, forKey: .connectionRetries) ?? 0
        attempts = try c.decodeIfPresent(Int.self, forKey: .attempts) ?? 1
        firstDispatchedAt = try instant(.firstDispatchedAt)
        retriedErrors = try c.decodeIfPresent([ProviderError].self, forKey: .retriedErrors) ?? []
        pacingWait = try instant(.pacingWait)
        segment = try c.decodeIfPresent(Int.self, forKey: .segment) ?? 0
        clientLoad = try c.decodeIfPresent(ClientLoad.self, forKey: .clientLoad)
        turn = try c.decodeIfPresent(Int.self, forKey: .turn)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(target, forKey: .target)
        try c.encode(step, forKey: .step)
        try c.encode(promptIndex, forKey: .promptIndex)
        try c.encode(scheduledAt.nanoseconds, forKey: .scheduledAt)
        try c.encode(slotAcquiredAt.nanoseconds, forKey: .slotAcquiredAt)
        try c.encodeIfPresent(dispatchedAt?.nanoseconds, forKey: .dispatchedAt)
        try c.encodeIfPresent(responseHeadAt?.nanoseconds, forKey: .responseHeadAt)
        try c.encodeIfPresent(firstTokenAt?.nanoseconds, forKey: .firstTokenAt)
        try c.encodeIfPresent(firstAnswerAt?.nanoseconds, forKey: .firstAnswerAt)
        try c.encodeIfPresent(lastTokenAt?.nanoseconds, forKey: .lastTokenAt)
        try c.encode(endedAt.nanoseconds, forKey: .endedAt)
        try c.encode(chunkTimes.map(\.nanoseconds), forKey: .chunkTimes)
        try c.encodeIfPresent(httpStatus, forKey: .httpStatus)
        try c.encode(outcome, forKey: .outcome)
        try c.encodeIfPresent(error, forKey: .error)
        try c.encodeIfPresent(finishReason, forKey: .finishReason)
        try c.encode(outputTokens, forKey: .outputTokens)
        try c.encode(outputTokenSource, forKey: .outputTokenSource)
        try c.encodeIfPresent(usage, forKey: .usage)
        try c.encodeIfPresent(serverTimings, forKey: .serverTimings)
        try c.encode(textChunks, forKey: .textChunks)
        try c.encode(reasoningChunks, forKey: .reasoningChunks)
        try c.encode(outputCharacters, forKey: .outputCharacters)
        try c.encode(outputWords, forKey: .outputWords)
        try c.encode(outputHash, forKey: .outputHash)
        try c.encodeIfPresent(requestedInputTokens, forKey: .requestedInputTokens)
        try c.encodeIfPresent(requestedOutputTokens, forKey: .requestedOutputTokens)
        try c.encode(exactOutputRequested, forKey: .exactOutputRequested)
        try c.encode(connectionRetries, forKey: .connectionRetries)
        try c.encode(attempts, forKey: .attempts)
        try c.encodeIfPresent(firstDispatchedAt?.nanoseconds, forKey: .firstDispatchedAt)
        if !retriedErrors.isEmpty { try c.encode(retriedErrors, forKey: .retriedErrors) }
        try c.encodeIfPresent(pacingWait?.nanoseconds, forKey: .pacingWait)
        if segment != 0 { try c.encode(segment, forKey: .segment) }
        try c.encodeIfPresent(clientLoad, forKey: .clientLoad)
        try c.encodeIfPresent(turn, forKey: .turn)
    }
}
