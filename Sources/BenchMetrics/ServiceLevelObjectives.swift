public import BenchCore

/// Per-request latency objectives. A request is "good" when it succeeded and meets every objective that is set.
public struct ServiceLevelObjectives: Sendable, Hashable, Codable {
    /// Upper bound on TTFT, milliseconds.
    public var ttftMs: Double?
    /// Upper bound on TTFA, milliseconds.
    public var ttfaMs: Double?
    /// Upper bound on ITL, milliseconds. A request with fewer than 2 output tokens has no ITL and meets it.
    public var itlMs: Double?
    /// Upper bound on E2E latency, milliseconds.
    public var e2eMs: Double?
    /// Upper bound on the largest gap between chunks, milliseconds.
    public var maxGapMs: Double?

    public init(
        ttftMs: Double? = nil, ttfaMs: Double? = nil, itlMs: Double? = nil, e2eMs: Double? = nil,
        maxGapMs: Double? = nil
    ) {
        self.ttftMs = ttftMs
        self.ttfaMs = ttfaMs
        self.itlMs = itlMs
        self.e2eMs = e2eMs
        self.maxGapMs = maxGapMs
    }

    /// Whether no objective is set.
    public var isEmpty: Bool {
        ttftMs == nil && ttfaMs == nil && itlMs == nil && e2eMs == nil && maxGapMs == nil
    }

    /// Whether a request succeeded and meets every objective that is set. A set objective whose metric the
    /// request lacks (no TTFT, say) is not met — except ITL and max gap, which are undefined for one-token answers.
    public func isMet(by record: RequestRecord) -> Bool {
        guard record.outcome == .success else { return false }
        func within(_ bound: Double?, _ value: Duration?, missingMeets: Bool) -> Bool {
            guard let bound else { return true }
            guard let value else { return missingMeets }
            return value.milliseconds <= bound
        }
        return within(ttftMs, record.timeToFirstToken, missingMeets: false)
            && within(ttfaMs, record.timeToFirstAnswer, missingMeets: false)
            && within(itlMs, record.interTokenLatency, missingMeets: true)
            && within(e2eMs, record.endToEndLatency, missingMeets: false)
            && within(maxGapMs, record.maxChunkGap, missingMeets: true)
    }

    enum CodingKeys: String, CodingKey {
        case ttftMs = "ttft_ms"
        case ttfaMs = "ttfa_ms"
        case itlMs = "itl_ms"
        case e2eMs = "e2e_ms"
        case maxGapMs = "max_gap_ms"
    }
}
