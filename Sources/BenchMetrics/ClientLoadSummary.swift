public import BenchCore

/// How loaded the client was during a step, how much latency it added, and whether the step's figures describe the
/// client rather than the endpoint — computed from the step's stored records, so the verdict can be recomputed when
/// the rule changes.
///
/// **The estimate.** A server sends the response head as soon as it accepts a request (the simulator, vLLM and
/// llama.cpp do), so a request's head latency (t0 → head) is the network, the server's acceptance, and whatever time
/// the request spent in the client: written to the socket late, or its head read late. Above the step's fastest head
/// (the floor: network and acceptance with nothing in the way) what is left is the latency the client may have
/// added before the first byte: *added* = head − min(head), per request.
///
/// **The verdict.** The step is client-bound when any of these holds (thresholds in ``Thresholds``):
/// - the added latency passes the tolerance llmbench claims for TTFT with a margin of a tenth — p50 added >
///   1.1 × max(2 ms, 2 % of TTFT p50) or p95 added > 1.1 × max(5 ms, 5 % of TTFT p95) — *and* the client shows
///   load (median CPU share ≥ 25 %, p90 timer + event-loop lag ≥ 1 ms, or p90 dispatch lag ≥ 1 ms), so that a
///   server holding its head back is not taken for a busy client;
/// - in a closed loop, the median dispatch lag after the start burst (the first `users` requests, all due at the
///   step's start) exceeds both 0.5 ms and 20 % of the median E2E latency: the users spent that share of their time
///   waiting for the client, so the load offered was not the load configured;
/// - the median CPU share is ≥ 60 %: the client process kept most of its usable cores busy for the whole step, and the head
///   latency no longer shows it, because the fastest head was late too.
///
/// The thresholds were fitted on 300 steps of the validation matrix (false alarms 3.4 %, misses 4.9 %) and checked on
/// a fresh run (docs/PERFORMANCE.md).
///
/// Fewer than ``Thresholds/minimumRequests`` requests with a head, or no client samples, give no verdict (`nil`):
/// a verdict from a handful of requests would be a guess. The rule was calibrated against the simulator's own
/// account of every request over a matrix of steps (`scripts/verdict-validation`, docs/PERFORMANCE.md).
public struct ClientLoadSummary: Sendable, Hashable, Codable {
    /// The limits of the verdict.
    public enum Thresholds {
        /// TTFT tolerance llmbench claims: the added latency at p50 and p95 may not pass
        /// ``margin`` × max(absolute, relative × TTFT).
        public static let addedP50Ms = 2.0
        public static let addedP50Share = 0.02
        public static let addedP95Ms = 5.0
        public static let addedP95Share = 0.05
        public static let margin = 1.1
        /// Evidence of a loaded client.
        public static let loadedCPUShare = 0.25
        public static let loadedLagP90Ms = 1.0
        /// A client this busy is bound whatever the head latency shows.
        public static let saturatedCPUShare = 0.6
        /// A closed loop's users may wait this share of their time for the client, and at least this long.
        public static let dispatchLagShareOfE2E = 0.2
        public static let dispatchLagFloorMs = 0.5
        /// Fewer requests with a head give no verdict.
        public static let minimumRequests = 10
    }

    /// Distinct client samples among the in-window records (each sample counted once).
    public var samples: Int
    /// ``ClientLoad/cpuShare`` over the samples.
    public var cpuShare: DistributionSummary
    /// ``ClientLoad/timerLagMs`` over the samples.
    public var timerLagMs: DistributionSummary
    /// ``ClientLoad/eventLoopLagMs`` over the samples that have it.
    public var eventLoopLagMs: DistributionSummary
    /// Streamed chunks the client read per second: Σ chunks of successful in-window requests ÷ window length.
    /// Compared with the client ceiling, which streams one token per chunk.
    public var chunksPerS: Double?
    /// The latency the client may have added before the first byte: head latency − the step's fastest head, per
    /// successful request with a head.
    /// Nil in reports from before it was kept.
    public var addedLatencyMs: DistributionSummary?
    /// Scheduler lag of the requests after a closed loop's start burst (all of them in an open loop); nil in reports
    /// from before it was kept.
    public var dispatchLagMs: DistributionSummary?
    /// Whether the figures may describe the client rather than the endpoint; nil when the step cannot tell.
    public var clientBound: Bool?
    /// Why it is client-bound (or why there is no verdict), in words with the figures.
    public var reasons: [String]

    /// Nil when no in-window record carries a client sample (records from before sampling, or a step with no
    /// requests).
    /// - Parameters:
    ///   - users: a closed loop's concurrency, whose first `users` requests are the start burst; nil for open loops.
    ///   - ttftMs: the step's TTFT, which the tolerance of the added latency is relative to.
    public init?(
        records: [RequestRecord], windowSeconds: Double, users: Int?, ttftMs: DistributionSummary
    ) {
        let loads = records.compactMap(\.clientLoad)
        guard !loads.isEmpty else { return nil }
        // A sample shared by the records that ended between two samplings counts once.
        var seen = Set<Int>()
        let distinct = loads.filter { load in load.sample.map { seen.insert($0).inserted } ?? true }
        samples = distinct.count
        let chunks = records.filter { $0.outcome == .success }.reduce(0) { $0 + $1.chunkTimes.count }
        chunksPerS = windowSeconds > 0 ? Double(chunks) / windowSeconds : nil
        cpuShare = DistributionSummary(distinct.map(\.cpuShare))
        timerLagMs = DistributionSummary(distinct.map(\.timerLagMs))
        eventLoopLagMs = DistributionSummary(distinct.compactMap(\.eventLoopLagMs))
        let clientLagMs = DistributionSummary(distinct.map { $0.timerLagMs + ($0.eventLoopLagMs ?? 0) })

        let heads = records.filter { $0.outcome == .success }.compactMap { record in
            record.responseHeadAt.flatMap { head in record.dispatchedAt.map { (head - $0).milliseconds } }
        }
        let floor = heads.min() ?? 0
        let added = DistributionSummary(heads.map { $0 - floor })
        addedLatencyMs = added
        let afterBurst = records.sorted { $0.id < $1.id }.dropFirst(users ?? 0)
        let dispatchLag = DistributionSummary(afterBurst.compactMap { $0.schedulerLag?.milliseconds })
        dispatchLagMs = dispatchLag

        guard heads.count >= Thresholds.minimumRequests else {
            clientBound = nil
            reasons = [
                "no verdict: \(heads.count) requests with a response head, fewer than the \(Thresholds.minimumRequests) needed"
            ]
            return
        }
        var reasons: [String] = []
        let e2eP50 = DistributionSummary(
            records.filter { $0.outcome == .success }.compactMap(\.endToEndLatency).map(\.milliseconds)
        ).p50
        if users != nil, let lag = dispatchLag.p50, let e2e = e2eP50, e2e > 0,
            lag > max(Thresholds.dispatchLagFloorMs, Thresholds.dispatchLagShareOfE2E * e2e)
        {
            reasons.append(
                "dispatch lag p50 \(Self.milliseconds(lag)) ms is \(Int((lag / e2e * 100).rounded())) % of the E2E p50: "
                    + "the users waited for the client")
        }
        let loaded =
            (cpuShare.p50 ?? 0) >= Thresholds.loadedCPUShare || (clientLagMs.p90 ?? 0) >= Thresholds.loadedLagP90Ms
            || (dispatchLag.p90 ?? 0) >= Thresholds.loadedLagP90Ms
        let p50Limit = Thresholds.margin * max(Thresholds.addedP50Ms, Thresholds.addedP50Share * (ttftMs.p50 ?? 0))
        let p95Limit = Thresholds.margin * max(Thresholds.addedP95Ms, Thresholds.addedP95Share * (ttftMs.p95 ?? 0))
        if loaded, let p50 = added.p50, p50 > p50Limit {
            reasons.append(
                "the client added about \(Self.milliseconds(p50)) ms before the first byte at p50 (limit \(Self.milliseconds(p50Limit)) ms)"
            )
        } else if loaded, let p95 = added.p95, p95 > p95Limit {
            reasons.append(
                "the client added about \(Self.milliseconds(p95)) ms before the first byte at p95 (limit \(Self.milliseconds(p95Limit)) ms)"
            )
        }
        if let cpu = cpuShare.p50, cpu >= Thresholds.saturatedCPUShare {
            reasons.append(
                "the client process kept \(Int((cpu * 100).rounded())) % of its usable cores busy at the median sample")
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
        case addedLatencyMs = "added_latency_ms"
        case dispatchLagMs = "dispatch_lag_ms"
        case clientBound = "client_bound"
        case reasons
    }
}
