import BenchMetrics

/// A pass/fail check of a report for CI: every step must keep its error rate at or under `maxErrorRate` and its
/// goodput share — goodput req/s ÷ req/s, the share of requests meeting every SLO — at or over `minGoodputShare`.
public struct ReportGate: Sendable, Hashable {
    public var maxErrorRate: Double?
    public var minGoodputShare: Double?

    public init(maxErrorRate: Double? = nil, minGoodputShare: Double? = nil) {
        self.maxErrorRate = maxErrorRate
        self.minGoodputShare = minGoodputShare
    }

    /// One line per step that fails, naming the target, step, figure and limit; empty when the report passes. A
    /// step without the figure (no SLO given, no request finished) fails: a gate that cannot be checked is not
    /// passed.
    public func failures(_ report: BenchmarkReport) -> [String] {
        var failures: [String] = []
        for target in report.targets {
            for step in target.steps {
                let m = step.metrics
                let name = "\(target.name) \(step.label)"
                if let limit = maxErrorRate {
                    if let rate = m.errorRate {
                        if rate > limit {
                            failures.append(
                                "\(name): error rate \(NumberFormatting.percent(rate)) is over \(NumberFormatting.percent(limit))"
                            )
                        }
                    } else {
                        failures.append("\(name): no finished request, so no error rate to check")
                    }
                }
                if let limit = minGoodputShare {
                    if let goodput = m.goodputRps, let requests = m.requestRps, requests > 0 {
                        let share = goodput / requests
                        if share < limit {
                            failures.append(
                                "\(name): \(NumberFormatting.percent(share)) of requests met the SLOs, under \(NumberFormatting.percent(limit))"
                            )
                        }
                    } else {
                        failures.append("\(name): no goodput to check (give SLOs with --slo or slo: in the spec)")
                    }
                }
            }
        }
        return failures
    }
}
