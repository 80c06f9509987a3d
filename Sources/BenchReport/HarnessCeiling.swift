public import BenchMetrics
public import BenchCore

/// The client ceiling on this host: what one llmbench process streamed from the built-in simulator with zero
/// latency (`llmbench calibrate`), the reference every run's load is compared with. The simulator runs in the same
/// process and shares its cores, so the figures are a floor for the client alone.
public struct HarnessCeiling: Sendable, Hashable, Codable {
    public var measuredAt: String
    public var llmbenchVersion: String
    /// `release` or `debug`: a debug build's ceiling is far lower and never stands for a release build's.
    public var build: String
    public var host: String
    /// Cores the process may use.
    public var cores: Int
    /// Streams held open at once during the throughput probe.
    public var streams: Int
    /// Chunks (one token each) read per second at ``streams`` concurrent streams.
    public var chunksPerS: Double
    /// TTFT measured against a zero-TTFT simulator, one request at a time: what the client (and loopback HTTP) adds.
    public var ttftOverheadMs: DistributionSummary

    /// A step reading at least this share of ``chunksPerS`` is said to be near the ceiling (a note beside the
    /// verdict, not the verdict: the verdict rests on the latency the client added, ``ClientLoadSummary``). Measured at
    /// one token per chunk: a server that sends several tokens per chunk costs the client more per chunk.
    public static let nearShare = 0.8

    /// A ceiling; see the properties.
    public init(
        measuredAt: String, llmbenchVersion: String, build: String, host: String, cores: Int, streams: Int,
        chunksPerS: Double, ttftOverheadMs: DistributionSummary
    ) {
        self.measuredAt = measuredAt
        self.llmbenchVersion = llmbenchVersion
        self.build = build
        self.host = host
        self.cores = cores
        self.streams = streams
        self.chunksPerS = chunksPerS
        self.ttftOverheadMs = ttftOverheadMs
    }

    /// How a step's load compares with this ceiling, in words, when it comes close; empty when it does not.
    public func comparisons(for metrics: StepSummary) -> [String] {
        var reasons: [String] = []
        if chunksPerS > 0, let rate = metrics.client?.chunksPerS, rate >= Self.nearShare * chunksPerS {
            let share = Int((rate / chunksPerS * 100).rounded())
            reasons.append("reading \(share) % of the client ceiling (\(Int(chunksPerS.rounded())) chunks/s)")
        }
        if metrics.maxInFlight > streams {
            reasons.append(
                "\(metrics.maxInFlight) streams open, more than the \(streams) the ceiling was measured with")
        }
        return reasons
    }

    enum CodingKeys: String, CodingKey {
        case measuredAt = "measured_at"
        case llmbenchVersion = "llmbench_version"
        case build, host, cores, streams
        case chunksPerS = "chunks_per_s"
        case ttftOverheadMs = "ttft_overhead_ms"
    }
}

/// Whether a step's figures may describe the client rather than the endpoint (``ClientLoadSummary``), with how its
/// load compares with the host's ceiling beside it.
public struct ClientVerdict: Sendable, Hashable, Codable {
    /// Nil when the step cannot tell (too few requests with a response head).
    public var clientBound: Bool?
    /// Why it is client-bound, or why there is no verdict.
    public var reasons: [String]
    /// The step's load beside the client's ceiling on this host, when it comes close (context, not the verdict).
    public var ceiling: [String]?

    static let notePrefix = "client-bound: "
    static let ceilingNotePrefix = "client ceiling: "

    /// Nil when the step's records carry no client samples (older records): unknown, not "fine".
    public init?(metrics: StepSummary, ceiling: HarnessCeiling?) {
        guard let client = metrics.client else { return nil }
        clientBound = client.clientBound
        reasons = client.reasons
        let near = ceiling?.comparisons(for: metrics) ?? []
        self.ceiling = near.isEmpty ? nil : near
    }

    enum CodingKeys: String, CodingKey {
        case clientBound = "client_bound"
        case reasons, ceiling
    }
}

extension BenchmarkReport {
    /// Attaches the host's ceiling and stamps every step with its verdict.
    public mutating func certify(ceiling: HarnessCeiling?) {
        clientCeiling = ceiling
        for t in targets.indices {
            for s in targets[t].steps.indices {
                targets[t].steps[s].judgeClient(ceiling: ceiling)
            }
        }
    }

    /// Every step stamped client-bound, as "target label".
    public var clientBoundSteps: [String] {
        targets.flatMap { t in t.steps.filter { $0.client?.clientBound == true }.map { "\(t.name) \($0.label)" } }
    }
}

/// The ceiling in one line of words, for consoles and reports.
public enum HarnessCeilingText {
    /// "client ceiling on HOST (…): N chunks/s over S streams; TTFT overhead p50 …, p99 …".
    public static func describe(_ ceiling: HarnessCeiling) -> String {
        "client ceiling on \(ceiling.host) (\(ceiling.cores) cores, llmbench \(ceiling.llmbenchVersion) \(ceiling.build), "
            + "measured \(ceiling.measuredAt)): \(NumberFormatting.value(ceiling.chunksPerS)) chunks/s over "
            + "\(ceiling.streams) streams; TTFT overhead p50 \(NumberFormatting.value(ceiling.ttftOverheadMs.p50)) ms, "
            + "p99 \(NumberFormatting.value(ceiling.ttftOverheadMs.p99)) ms"
    }
}

extension BenchmarkReport {
    /// Recomputes every step's client-bound verdict from its stored records under this version's rule
    /// (``ClientLoadSummary``), then stamps the steps again: what a changed rule would have said of an old run.
    /// A step resumed over several segments keeps its stored verdict (its windows are not in the report); the number
    /// of steps recomputed is returned.
    @discardableResult
    public mutating func recomputeClientVerdicts(records: [RequestRecord]) -> Int {
        let byStep = Dictionary(grouping: records) { StepKey(target: $0.target, step: $0.step) }
        var recomputed = 0
        for t in targets.indices {
            for s in targets[t].steps.indices {
                let step = targets[t].steps[s]
                guard let window = step.metrics.window, window.segments == 1,
                    let stepRecords = byStep[StepKey(target: targets[t].name, step: step.index)]
                else { continue }
                let inWindow = stepRecords.filter {
                    $0.endedAt.seconds >= window.startS && $0.endedAt.seconds <= window.endS
                }
                targets[t].steps[s].metrics.client = ClientLoadSummary(
                    records: inWindow, windowSeconds: window.lengthS,
                    users: step.load.kind == "concurrency" ? step.load.concurrency : nil, ttftMs: step.metrics.ttftMs)
                recomputed += 1
            }
        }
        certify(ceiling: clientCeiling)
        return recomputed
    }

    private struct StepKey: Hashable {
        var target: String
        var step: Int
    }
}
