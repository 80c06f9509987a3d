public import BenchCore

/// Everything measured in one load step, computed from its raw records alone.
///
/// Distributions (milliseconds or tokens/s) cover the successful requests that ended inside the measurement
/// window; scheduler lag and queue time cover every dispatched request in the window. Rates divide by the window
/// length. Cancelled requests (stopped by llmbench at the end of a timed step) count in no rate.
public struct StepSummary: Sendable, Hashable, Codable {
    /// Request counts. `total` and `cancelled` cover every request of the step; the others count requests that
    /// ended in the window.
    public struct Counts: Sendable, Hashable, Codable {
        public var total: Int
        public var inWindow: Int
        public var succeeded: Int
        public var failed: Int
        public var throttled: Int
        public var cancelled: Int

        enum CodingKeys: String, CodingKey {
            case total
            case inWindow = "in_window"
            case succeeded, failed, throttled, cancelled
        }
    }

    /// The measurement window, in seconds from the start of the run.
    public struct Window: Sendable, Hashable, Codable {
        public var stepStartS: Double
        public var stepEndS: Double
        public var startS: Double
        public var endS: Double
        public var lengthS: Double
        /// Segments the step ran in: 1, or more when an interrupted run was resumed.
        public var segments: Int

        enum CodingKeys: String, CodingKey {
            case stepStartS = "step_start_s"
            case stepEndS = "step_end_s"
            case startS = "start_s"
            case endS = "end_s"
            case lengthS = "length_s"
            case segments
        }
    }

    /// Failed requests grouped by kind, status and message.
    public struct ErrorGroup: Sendable, Hashable, Codable {
        public var kind: ProviderError.Kind
        public var httpStatus: Int?
        public var message: String
        public var count: Int

        public init(kind: ProviderError.Kind, httpStatus: Int?, message: String, count: Int) {
            self.kind = kind
            self.httpStatus = httpStatus
            self.message = message
            self.count = count
        }

        enum CodingKeys: String, CodingKey {
            case kind
            case httpStatus = "http_status"
            case message, count
        }
    }

    /// How often an exact output length was asked for and obtained (output tokens = `max_tokens`).
    public struct ExactOutput: Sendable, Hashable, Codable {
        public var requested: Int
        public var honoured: Int
    }

    public var window: Window?
    public var counts: Counts
    public var ttftMs: DistributionSummary
    public var ttfaMs: DistributionSummary
    public var itlMs: DistributionSummary
    public var maxGapMs: DistributionSummary
    /// Every gap between consecutive chunks of every request, pooled (vLLM's "ITL").
    public var chunkGapMs: DistributionSummary
    public var e2eMs: DistributionSummary
    public var decodeTps: DistributionSummary
    public var outputTokens: DistributionSummary
    /// Provider-reported prompt tokens, where reported.
    public var inputTokens: DistributionSummary
    public var schedulerLagMs: DistributionSummary
    public var queueMs: DistributionSummary
    /// Output tokens of successful requests completed inside the window ÷ window length.
    public var outputTps: Double?
    /// Successful requests completed inside the window ÷ window length.
    public var requestRps: Double?
    /// Requests in the window meeting every SLO ÷ window length (nil when no SLO is set).
    public var goodputRps: Double?
    /// Failed ÷ (succeeded + failed) in the window; throttled requests are failures too.
    public var errorRate: Double?
    /// Requests throttled (HTTP 429 or provider overload) on their final or a retried attempt ÷ (succeeded + failed)
    /// in the window.
    public var throttleRate: Double?
    /// Requests in the window that needed more than one attempt.
    public var retriedRequests: Int
    /// Per retried request, the time before the attempt that counts (earlier attempts and waits), milliseconds.
    public var retryMs: DistributionSummary
    /// Per dispatched request in the window, how long the client-side rate budget held it back, milliseconds;
    /// nil when no budget was set.
    public var pacingMs: DistributionSummary?
    /// The most requests in flight (dispatched, not ended) at any instant of the step.
    public var maxInFlight: Int
    /// Requests of the step re-sent because the server had closed their pooled connection.
    public var connectionRetries: Int
    /// Successful requests in the window by the source of their output-token count.
    public var outputTokenSources: [String: Int]
    public var exactOutput: ExactOutput
    public var errors: [ErrorGroup]
    /// The client/server split, when the endpoint reports its own timings (null otherwise).
    public var serverTimings: ServerTimingSummary?
    /// Whether repeated prompts gave identical answers (null when no prompt was repeated).
    public var determinism: DeterminismSummary?
    /// What the step cost, when the target has a price row or a machine price.
    public var cost: StepCost?
    /// The client's own load and whether the step is client-bound (nil when its records carry no client samples).
    public var client: ClientLoadSummary?
    /// Multi-turn steps: figures per turn position (nil for single-turn steps).
    public var turns: [TurnSummary]?

    enum CodingKeys: String, CodingKey {
        case window, counts
        case ttftMs = "ttft_ms"
        case ttfaMs = "ttfa_ms"
        case itlMs = "itl_ms"
        case maxGapMs = "max_gap_ms"
        case chunkGapMs = "chunk_gap_ms"
        case e2eMs = "e2e_ms"
        case decodeTps = "decode_tps"
        case outputTokens = "output_tokens"
        case inputTokens = "input_tokens"
        case schedulerLagMs = "scheduler_lag_ms"
        case queueMs = "queue_ms"
        case outputTps = "output_tps"
        case requestRps = "request_rps"
        case goodputRps = "goodput_rps"
        case errorRate = "error_rate"
        case throttleRate = "throttle_rate"
        case retriedRequests = "retried_requests"
        case retryMs = "retry_ms"
        case pacingMs = "pacing_ms"
        case maxInFlight = "max_in_flight"
        case connectionRetries = "connection_retries"
        case outputTokenSources = "output_token_sources"
        case exactOutput = "exact_output"
        case errors
        case serverTimings = "server_timings"
        case determinism
        case cost, client, turns
    }

    /// Summarises one step's records.
    /// - Parameters:
    ///   - records: every record of the step.
    ///   - step: the step's load, stop conditions and warm-up/cool-down.
    ///   - objectives: SLOs for goodput; goodput is nil when none is set.
    ///   - price: the target's list price, for API targets.
    ///   - machineUSDPerHour: the machine's price, for self-hosted targets.
    public init(
        records: [RequestRecord], step: LoadStep, objectives: ServiceLevelObjectives, price: ModelPrice? = nil,
        machineUSDPerHour: Double? = nil
    ) {
        let window = MeasurementWindow(records: records, step: step)
        let inWindow = window.map { w in records.filter { w.contains($0) } } ?? []
        let finished = inWindow.filter { $0.outcome != .cancelled }
        let succeeded = finished.filter { $0.outcome == .success }
        let failed = finished.filter { $0.outcome == .failed }
        let throttled = finished.filter(\.wasThrottled)

        self.window = window.map {
            Window(
                stepStartS: $0.stepStart.seconds, stepEndS: $0.stepEnd.seconds,
                startS: $0.start.seconds, endS: $0.end.seconds, lengthS: $0.length.seconds,
                segments: $0.segments.count
            )
        }
        counts = Counts(
            total: records.count, inWindow: inWindow.count, succeeded: succeeded.count, failed: failed.count,
            throttled: throttled.count, cancelled: records.filter { $0.outcome == .cancelled }.count
        )

        func milliseconds(_ metric: (RequestRecord) -> Duration?) -> DistributionSummary {
            DistributionSummary(succeeded.compactMap { metric($0)?.milliseconds })
        }
        ttftMs = milliseconds(\.timeToFirstToken)
        ttfaMs = milliseconds(\.timeToFirstAnswer)
        itlMs = milliseconds(\.interTokenLatency)
        maxGapMs = milliseconds(\.maxChunkGap)
        e2eMs = milliseconds(\.endToEndLatency)
        chunkGapMs = DistributionSummary(succeeded.flatMap { $0.chunkGaps.map(\.milliseconds) })
        decodeTps = DistributionSummary(succeeded.compactMap(\.decodeTokensPerSecond))
        outputTokens = DistributionSummary(succeeded.map { Double($0.outputTokens) })
        inputTokens = DistributionSummary(succeeded.compactMap { $0.usage?.inputTokens.map(Double.init) })
        let dispatched = inWindow.filter { $0.dispatchedAt != nil }
        schedulerLagMs = DistributionSummary(dispatched.compactMap { $0.schedulerLag?.milliseconds })
        queueMs = DistributionSummary(dispatched.map(\.queueTime.milliseconds))

        let seconds = window.map(\.length.seconds) ?? 0
        if seconds > 0 {
            outputTps = Double(succeeded.reduce(0) { $0 + $1.outputTokens }) / seconds
            requestRps = Double(succeeded.count) / seconds
            goodputRps = objectives.isEmpty ? nil : Double(finished.filter(objectives.isMet).count) / seconds
        }
        if !finished.isEmpty {
            errorRate = Double(failed.count) / Double(finished.count)
            throttleRate = Double(throttled.count) / Double(finished.count)
        }
        let retried = finished.filter { $0.attempts > 1 }
        retriedRequests = retried.count
        retryMs = DistributionSummary(retried.map(\.retryTime.milliseconds))
        let paced = dispatched.compactMap(\.pacingWait)
        pacingMs = paced.isEmpty ? nil : DistributionSummary(paced.map(\.milliseconds))
        maxInFlight = Self.maxInFlight(records)
        connectionRetries = records.reduce(0) { $0 + $1.connectionRetries }
        outputTokenSources = Dictionary(grouping: succeeded, by: \.outputTokenSource.rawValue).mapValues(\.count)
        let exact = succeeded.filter(\.exactOutputRequested)
        exactOutput = ExactOutput(
            requested: exact.count,
            honoured: exact.filter { $0.outputTokens == $0.requestedOutputTokens }.count
        )
        errors = Self.groupErrors(failed)
        serverTimings = ServerTimingSummary(records: inWindow)
        determinism = DeterminismSummary(records: inWindow)
        cost = StepCost(records: inWindow, outputTps: outputTps, price: price, machineUSDPerHour: machineUSDPerHour)
        let users: Int? = if case .concurrency(let users) = step.shape { users } else { nil }
        client = ClientLoadSummary(records: inWindow, windowSeconds: seconds, users: users, ttftMs: ttftMs)
        turns = TurnSummary.turns(of: inWindow)
    }

    /// The most intervals [dispatched, ended] open at once, by a sweep over their endpoints (an end at the same
    /// instant as a start is processed first).
    static func maxInFlight(_ records: [RequestRecord]) -> Int {
        var edges: [(Duration, Int)] = []
        for record in records {
            guard let dispatchedAt = record.dispatchedAt else { continue }
            edges.append((dispatchedAt, 1))
            edges.append((record.endedAt, -1))
        }
        edges.sort { $0.0 == $1.0 ? $0.1 < $1.1 : $0.0 < $1.0 }
        var current = 0
        var peak = 0
        for (_, delta) in edges {
            current += delta
            peak = max(peak, current)
        }
        return peak
    }

    static func groupErrors(_ failed: [RequestRecord]) -> [ErrorGroup] {
        var groups: [ErrorGroup] = []
        var index: [String: Int] = [:]
        for record in failed {
            guard let error = record.error else { continue }
            let message = String(error.message.prefix(300))
            let key = "\(error.kind.rawValue)|\(error.httpStatus ?? 0)|\(message)"
            if let position = index[key] {
                groups[position].count += 1
            } else {
                index[key] = groups.count
                groups.append(ErrorGroup(kind: error.kind, httpStatus: error.httpStatus, message: message, count: 1))
            }
        }
        return groups.sorted { $0.count > $1.count }
    }
}
