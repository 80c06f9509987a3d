import BenchCore
public import BenchMetrics
import Foundation
import BenchReport

/// An SLO search on one target (``SLOSearch``): each probe is a step of the spec's load at one concurrency or rate,
/// run and summarised like any `bench` step, then checked against the objectives. The result is the highest load
/// that met them, the highest goodput among the loads that did, and every probe as the curve.
public struct SLOSearchRun: Sendable {
    /// Which load is searched.
    public enum Dimension: String, Sendable, Hashable, Codable {
        case concurrency, rate
    }

    /// One probed load, its figures and the objectives it missed.
    public struct Point: Sendable, Hashable, Codable {
        public var load: Double
        public var passed: Bool
        public var misses: [String]
        public var outputTps: Double?
        public var requestRps: Double?
        public var goodputRps: Double?
        public var ttftP99Ms: Double?
        public var itlP99Ms: Double?
        public var errorRate: Double?

        enum CodingKeys: String, CodingKey {
            case load, passed, misses
            case outputTps = "output_tps"
            case requestRps = "request_rps"
            case goodputRps = "goodput_rps"
            case ttftP99Ms = "ttft_p99_ms"
            case itlP99Ms = "itl_p99_ms"
            case errorRate = "error_rate"
        }
    }

    /// What the search found.
    public struct Result: Sendable, Hashable, Codable {
        public var target: String
        public var dimension: Dimension
        public var criteria: SLOCriteria
        /// The highest load that met every objective; nil when the lowest did not.
        public var maxLoad: Double?
        /// The highest request rate meeting every objective among the passing probes (goodput when SLOs are set
        /// in the spec, else the request rate).
        public var maxGoodputRps: Double?
        /// Every probe, by increasing load.
        public var curve: [Point]

        enum CodingKeys: String, CodingKey {
            case target, dimension, criteria, curve
            case maxLoad = "max_load"
            case maxGoodputRps = "max_goodput_rps"
        }
    }

    public let spec: BenchSpec
    public let engine: Engine
    public let criteria: SLOCriteria
    public let dimension: Dimension
    public let lower: Double
    public let upper: Double
    public let tolerance: Double
    public let log: @Sendable (String) -> Void

    public init(
        spec: BenchSpec, engine: Engine, criteria: SLOCriteria, dimension: Dimension, lower: Double, upper: Double,
        tolerance: Double = 0.1, log: @escaping @Sendable (String) -> Void = { _ in }
    ) {
        self.spec = spec
        self.engine = engine
        self.criteria = criteria
        self.dimension = dimension
        self.lower = lower
        self.upper = upper
        self.tolerance = tolerance
        self.log = log
    }

    /// - Throws: ``SpecError`` for a spec without exactly one target, no objective, or a bad range.
    public func run() async throws -> Result {
        guard spec.targets.count == 1, let target = spec.targets.first else {
            throw SpecError("targets", "an SLO search takes exactly one target")
        }
        guard !criteria.isEmpty else {
            throw SpecError("slo", "give at least one objective (p99 TTFT, p99 ITL, p99 E2E or error rate)")
        }
        guard lower > 0, upper >= lower else { throw SpecError("range", "expected 0 < lower ≤ upper") }
        try spec.validate()
        let arrival: ArrivalProcess
        if case .rate(_, let process, _)? = spec.shapes.first { arrival = process } else { arrival = .constant }
        var points: [Point] = []
        let (best, _) = try await SLOSearch.run(
            lower: lower, upper: upper, tolerance: tolerance, wholeNumbers: dimension == .concurrency
        ) { load in
            var probe = spec
            probe.shapes = [
                dimension == .concurrency
                    ? .concurrency(users: Int(load)) : .rate(perSecond: load, arrival: arrival, maxInFlight: nil)
            ]
            probe.quality = []
            let report = try await BenchmarkRun(spec: probe, engine: engine, outputDirectory: nil).run()
            guard let metrics = report.targets.first?.steps.first?.metrics else { return false }
            let misses = criteria.misses(metrics)
            points.append(
                Point(
                    load: load, passed: misses.isEmpty, misses: misses, outputTps: metrics.outputTps,
                    requestRps: metrics.requestRps, goodputRps: metrics.goodputRps, ttftP99Ms: metrics.ttftMs.p99,
                    itlP99Ms: metrics.itlMs.p99, errorRate: metrics.errorRate))
            log(
                "  \(probe.shapes[0].label): " + (misses.isEmpty ? "meets the SLOs" : misses.joined(separator: ", "))
            )
            return misses.isEmpty
        }
        let passing = points.filter(\.passed)
        return Result(
            target: target.name, dimension: dimension, criteria: criteria, maxLoad: best,
            maxGoodputRps: passing.compactMap { $0.goodputRps ?? $0.requestRps }.max(),
            curve: points.sorted { $0.load < $1.load })
    }
}
