/// Service-level objectives a load must meet in an SLO search: p99 TTFT, p99 ITL and p99 E2E at most the given
/// milliseconds, and an error rate at most the given share. Objectives not given are not checked.
public struct SLOCriteria: Sendable, Hashable, Codable {
    public var ttftP99Ms: Double?
    public var itlP99Ms: Double?
    public var e2eP99Ms: Double?
    public var maxErrorRate: Double?

    public init(ttftP99Ms: Double? = nil, itlP99Ms: Double? = nil, e2eP99Ms: Double? = nil, maxErrorRate: Double? = nil)
    {
        self.ttftP99Ms = ttftP99Ms
        self.itlP99Ms = itlP99Ms
        self.e2eP99Ms = e2eP99Ms
        self.maxErrorRate = maxErrorRate
    }

    /// Whether any objective is given.
    public var isEmpty: Bool { ttftP99Ms == nil && itlP99Ms == nil && e2eP99Ms == nil && maxErrorRate == nil }

    /// The objectives a step misses, each as "p99 TTFT 1240 ms > 1000 ms"; a figure the step lacks (no successful
    /// request) misses its objective.
    public func misses(_ m: StepSummary) -> [String] {
        var misses: [String] = []
        for (name, limit, value) in [
            ("p99 TTFT", ttftP99Ms, m.ttftMs.p99), ("p99 ITL", itlP99Ms, m.itlMs.p99),
            ("p99 E2E", e2eP99Ms, m.e2eMs.p99),
        ] {
            guard let limit else { continue }
            guard let value else {
                misses.append("\(name): no successful request")
                continue
            }
            if value > limit { misses.append("\(name) \(Self.format(value)) ms > \(Self.format(limit)) ms") }
        }
        if let limit = maxErrorRate {
            let rate = m.errorRate ?? 1
            if rate > limit { misses.append("error rate \(Self.format(rate * 100)) % > \(Self.format(limit * 100)) %") }
        }
        return misses
    }

    static func format(_ value: Double) -> String {
        value >= 100 ? String(Int(value.rounded())) : String((value * 10).rounded() / 10)
    }

    enum CodingKeys: String, CodingKey {
        case ttftP99Ms = "ttft_p99_ms"
        case itlP99Ms = "itl_p99_ms"
        case e2eP99Ms = "e2e_p99_ms"
        case maxErrorRate = "max_error_rate"
    }
}

/// Finds the highest load (concurrency or rate) that meets the objectives, assuming a load that fails them is
/// not met by any higher one: probe `lower`; double until a load fails or `upper` passes (bracketing); then bisect
/// between the last pass and the first fail until they are within `tolerance` of each other (relative; at least
/// one step apart for whole-number loads).
public enum SLOSearch {
    /// One probed load and whether it met the objectives.
    public struct Probe: Sendable, Hashable {
        public var load: Double
        public var passed: Bool

        public init(load: Double, passed: Bool) {
            self.load = load
            self.passed = passed
        }
    }

    /// The highest passing load found (nil when even `lower` fails), and every probe in the order made.
    public static func run(
        lower: Double, upper: Double, tolerance: Double = 0.1, wholeNumbers: Bool,
        probe: (Double) async throws -> Bool
    ) async rethrows -> (best: Double?, probes: [Probe]) {
        var probes: [Probe] = []
        func check(_ load: Double) async throws -> Bool {
            let passed = try await probe(load)
            probes.append(Probe(load: load, passed: passed))
            return passed
        }
        guard lower > 0, upper >= lower, try await check(lower) else { return (nil, probes) }
        var pass = lower
        var fail: Double?
        while pass < upper {
            let next = min(upper, wholeNumbers ? (pass * 2).rounded() : pass * 2)
            if try await check(next) {
                pass = next
            } else {
                fail = next
                break
            }
        }
        guard var high = fail else { return (pass, probes) }
        while high - pass > max(tolerance * pass, wholeNumbers ? 1 : 0) {
            let middle = wholeNumbers ? ((pass + high) / 2).rounded(.down) : (pass + high) / 2
            guard middle > pass, middle < high else { break }
            if try await check(middle) { pass = middle } else { high = middle }
        }
        return (pass, probes)
    }
}
