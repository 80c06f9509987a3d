public import BenchCore

/// How loaded the client was during a step, from the ``ClientLoad`` stamped on its in-window records, and whether
/// the step's latencies may have measured the client rather than the endpoint.
///
/// The step is **client-bound** when any of these holds (thresholds in ``Thresholds``):
/// - median CPU share ≥ 0.90 (the process kept ≥ 90 % of its usable cores busy),
/// - p99 timer lag ≥ 10 ms (request tasks waited that long for a thread),
/// - p99 event-loop lag ≥ 10 ms (response bytes waited that long to be read),
/// - p99 scheduler lag ≥ 10 ms (requests were dispatched that late, see ``RequestRecord/schedulerLag``).
public struct ClientLoadSummary: Sendable, Hashable, Codable {
    /// The limits past which a step is stamped client-bound.
    public enum Thresholds {
        public static let cpuShareP50 = 0.90
        public static let lagP99Ms = 10.0
    }

    /// In-window records that carry a client sample.
    public var samples: Int
    /// ``ClientLoad/cpuShare`` over the records.
    public var cpuShare: DistributionSummary
    /// ``ClientLoad/timerLagMs`` over the records.
    public var timerLagMs: DistributionSummary
    /// ``ClientLoad/eventLoopLagMs`` over the records that have it.
    public var eventLoopLagMs: DistributionSummary
    /// Streamed chunks the client read per second: Σ chunks of successful in-window requests ÷ window length.
    /// Compared with the client ceiling, which streams one token per chunk.
    public var chunksPerS: Double?
    /// Whether any threshold was passed.
    public var clientBound: Bool
    /// Each threshold that was passed, in words with the figure.
    public var reasons: [String]

    /// Nil when no in-window record carries a sample (records from before sampling, or a step with no requests).
    public init?(records: [RequestRecord], windowSeconds: Double, schedulerLagMs: DistributionSummary) {
        let loads = records.compactMap(\.clientLoad)
        guard !loads.isEmpty else { return nil }
        samples = loads.count
        let chunks = records.filter { $0.outcome == .success }.reduce(0) { $0 + $1.chunkTimes.count }
        chunksPerS = windowSeconds > 0 ? Double(chunks) / windowSeconds : nil
        cpuShare = DistributionSummary(loads.map(\.cpuShare))
        timerLagMs = DistributionSummary(loads.map(\.timerLagMs))
        eventLoopLagMs = DistributionSummary(loads.compactMap(\.eventLoopLagMs))
        var reasons: [String] = []
        if let cpu = cpuShare.p50, cpu >= Thresholds.cpuShareP50 {
            reasons.append("client CPU at \(Int((cpu * 100).rounded())) % of its cores (median)")
        }
        for (name, lag) in [
            ("timer lag", timerLagMs), ("event-loop lag", eventLoopLagMs), ("scheduler lag", schedulerLagMs),
        ] {
            if let p99 = lag.p99, p99 >= Thresholds.lagP99Ms {
                reasons.append("\(name) p99 \(Self.milliseconds(p99)) ms")
            }
        }
        self.reasons = reasons
        clientBound = !reasons.isEmpty
    }

    static func milliseconds(_ value: Double) -> String {
        value >= 100 ? String(Int(value.rounded())) : String((value * 10).rounded() / 10)
    }

    enum CodingKeys: String, CodingKey {
        case samples
        case cpuShare = "cpu_share"
        case timerLagMs = "timer_lag_ms"
        case eventLoopLagMs = "event_loop_lag_ms"
        case chunksPerS = "chunks_per_s"
        case clientBound = "client_bound"
        case reasons
    }
}
