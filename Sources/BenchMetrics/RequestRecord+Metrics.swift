public import BenchCore

/// Per-request metrics, exactly as defined in DESIGN.md. Every one is a pure function of the raw record.
/// t0 is `dispatchedAt`; a metric is nil when the record lacks what it needs.
extension RequestRecord {
    /// TTFT = t(first chunk carrying generated text, answer or reasoning) − t0.
    public var timeToFirstToken: Duration? {
        guard let dispatchedAt, let firstTokenAt else { return nil }
        return firstTokenAt - dispatchedAt
    }

    /// TTFA = t(first chunk carrying answer text) − t0. Equals TTFT when no reasoning is streamed.
    public var timeToFirstAnswer: Duration? {
        guard let dispatchedAt, let firstAnswerAt else { return nil }
        return firstAnswerAt - dispatchedAt
    }

    /// E2E latency = t(end of response: terminal event or end of stream) − t0.
    public var endToEndLatency: Duration? {
        guard let dispatchedAt else { return nil }
        return endedAt - dispatchedAt
    }

    /// ITL = (t_last − t_first) / (output tokens − 1); defined for ≥ 2 output tokens. vLLM calls this TPOT.
    public var interTokenLatency: Duration? {
        guard outputTokens >= 2, let firstTokenAt, let lastTokenAt else { return nil }
        return (lastTokenAt - firstTokenAt) / (outputTokens - 1)
    }

    /// Decode speed = (output tokens − 1) / (t_last − t_first), in tokens per second; defined for ≥ 2 tokens and a
    /// positive decode time.
    public var decodeTokensPerSecond: Double? {
        guard outputTokens >= 2, let firstTokenAt, let lastTokenAt else { return nil }
        let seconds = (lastTokenAt - firstTokenAt).seconds
        return seconds > 0 ? Double(outputTokens - 1) / seconds : nil
    }

    /// Chunk gaps: t(chunk k) − t(chunk k−1) for consecutive text chunks (vLLM's "ITL", AIPerf's "ICL").
    public var chunkGaps: [Duration] {
        guard chunkTimes.count >= 2 else { return [] }
        return (1..<chunkTimes.count).map { chunkTimes[$0] - chunkTimes[$0 - 1] }
    }

    /// The largest gap between consecutive text chunks: the stall metric. Nil with fewer than two chunks.
    public var maxChunkGap: Duration? {
        chunkGaps.max()
    }

    /// Client queue time = t(slot acquired) − t(scheduled start): waiting for a client concurrency slot.
    public var queueTime: Duration {
        slotAcquiredAt - scheduledAt
    }

    /// Scheduler lag = t0 of the first attempt − t(slot acquired) − pacing wait: how late the client dispatched a
    /// request it was free to send.
    public var schedulerLag: Duration? {
        (firstDispatchedAt ?? dispatchedAt).map { $0 - slotAcquiredAt - (pacingWait ?? .zero) }
    }

    /// Whether the provider throttled the request (HTTP 429 or overload) on its final attempt or on one that was
    /// retried.
    public var wasThrottled: Bool {
        (error?.isThrottle ?? false) || retriedErrors.contains(where: \.isThrottle)
    }

    /// Time spent before the attempt that counts: earlier attempts and the waits between them (t0 − first
    /// dispatch); zero without retries.
    public var retryTime: Duration {
        guard let firstDispatchedAt, let dispatchedAt else { return .zero }
        return dispatchedAt - firstDispatchedAt
    }
}
