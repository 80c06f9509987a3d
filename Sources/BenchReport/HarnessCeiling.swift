public import BenchMetrics

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

    /// A step reading at least this share of ``chunksPerS`` is stamped client-bound. Measured at one token per chunk:
    /// a server that sends several tokens per chunk costs the client more per chunk (longer chunks), so near the
    /// ceiling with such a server it is the lags that say the client is the limit.
    public static let boundShare = 0.8

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

    /// Why a step's load comes close to this ceiling, in words; empty when it does not.
    public func reasons(for metrics: StepSummary) -> [String] {
        var reasons: [String] = []
        if chunksPerS > 0, let rate = metrics.client?.chunksPerS, rate >= Self.boundShare * chunksPerS {
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

/// Whether a step's figures may describe the client rather than the endpoint.
public struct ClientVerdict: Sendable, Hashable, Codable {
    public var clientBound: Bool
    /// The client-load thresholds passed (``ClientLoadSummary``) and the ceiling comparisons (``HarnessCeiling``).
    public var reasons: [String]

    static let notePrefix = "client-bound: "

    /// Nil when the step's records carry no client samples (older records): unknown, not "fine".
    public init?(metrics: StepSummary, ceiling: HarnessCeiling?) {
        guard metrics.client != nil else { return nil }
        reasons = (metrics.client?.reasons ?? []) + (ceiling?.reasons(for: metrics) ?? [])
        clientBound = !reasons.isEmpty
    }

    enum CodingKeys: String, CodingKey {
        case clientBound = "client_bound"
        case reasons
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
