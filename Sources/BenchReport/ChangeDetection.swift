public import BenchCore
import BenchMetrics

/// What changed between a scheduled benchmark's latest run and the runs before it.
///
/// For every target and step present in all of them, and each of TTFT p50/p99, E2E p50/p99, output tokens/s and
/// price-adjusted throughput (output tokens/s ÷ USD per 1M output tokens: tokens per second bought per dollar-per-
/// million), the baseline is the median of the previous runs' values. A change is **flagged** when
/// |latest − baseline| ÷ baseline exceeds the threshold *and* the latest value lies outside the range the previous
/// runs spanned, so ordinary run-to-run noise is not an alert.
public struct MetricChange: Sendable, Hashable, Codable {
    /// The target's name and the step's label.
    public var target: String
    public var step: String
    /// The figure's key, as in run summaries (`ttft_p50_ms`, …, `output_tps_per_usd_per_1m_output`).
    public var metric: String
    /// Whether a higher value is better (throughput) or worse (latency).
    public var higherIsBetter: Bool
    /// The median of the previous runs' values, and the newest run's value.
    public var baseline: Double
    public var latest: Double
    /// (latest − baseline) ÷ baseline.
    public var relativeChange: Double
    /// Outside the previous runs' range and beyond the threshold.
    public var flagged: Bool
    /// `regression`, `improvement` or `unchanged`.
    public var verdict: String

    enum CodingKeys: String, CodingKey {
        case target, step, metric, baseline, latest, flagged, verdict
        case higherIsBetter = "higher_is_better"
        case relativeChange = "relative_change"
    }
}

/// Whether the model behind a target name seems to have changed: the answers to the same prompts, compared by
/// their hashes between the latest run and the one before. Meaningful at temperature 0 with a fixed seed (an
/// API alias such as `gpt-5.4-mini` moving to a new snapshot changes most answers; sampling noise changes few).
public struct DriftSignal: Sendable, Hashable, Codable {
    public var target: String
    /// Prompts answered successfully in both runs.
    public var comparedPrompts: Int
    public var changedAnswers: Int
    public var changedShare: Double
    /// At least ``alertShare`` of at least ``minimumPrompts`` prompts changed.
    public var alert: Bool

    public static let alertShare = 0.5
    public static let minimumPrompts = 3

    /// Compares the output hashes of successful requests by (step, prompt index); nil when no prompt is in both.
    public init?(target: String, latest: [RequestRecord], previous: [RequestRecord]) {
        func answers(_ records: [RequestRecord]) -> [String: String] {
            var byPrompt: [String: String] = [:]
            for record in records where record.target == target && record.outcome == .success {
                byPrompt["\(record.step)/\(record.promptIndex)/\(record.turn ?? 0)"] = record.outputHash
            }
            return byPrompt
        }
        let now = answers(latest)
        let before = answers(previous)
        let shared = Set(now.keys).intersection(before.keys)
        guard !shared.isEmpty else { return nil }
        self.target = target
        comparedPrompts = shared.count
        changedAnswers = shared.filter { now[$0] != before[$0] }.count
        changedShare = Double(changedAnswers) / Double(comparedPrompts)
        alert = comparedPrompts >= Self.minimumPrompts && changedShare >= Self.alertShare
    }

    enum CodingKeys: String, CodingKey {
        case target, alert
        case comparedPrompts = "compared_prompts"
        case changedAnswers = "changed_answers"
        case changedShare = "changed_share"
    }
}

/// Compares a scheduled benchmark's newest report with the ones before it (``MetricChange``).
public enum ChangeDetection {
    /// The default threshold: a 20 % move.
    public static let defaultThreshold = 0.2

    /// Changes of the latest report against the previous ones (oldest first or any order); empty without a
    /// previous report.
    public static func changes(latest: BenchmarkReport, previous: [BenchmarkReport], threshold: Double)
        -> [MetricChange]
    {
        guard !previous.isEmpty else { return [] }
        var changes: [MetricChange] = []
        for target in latest.targets {
            for step in target.steps {
                let earlier = previous.compactMap { report in
                    report.targets.first { $0.name == target.name }?.steps.first { $0.label == step.label }?.metrics
                }
                guard !earlier.isEmpty else { continue }
                for metric in metrics {
                    guard let now = metric.value(step.metrics) else { continue }
                    let values = earlier.compactMap(metric.value).sorted()
                    guard let baseline = Percentile.linear(sorted: values, p: 50), baseline != 0,
                        let low = values.first, let high = values.last
                    else { continue }
                    let relative = (now - baseline) / baseline
                    let flagged = abs(relative) > threshold && (now < low || now > high)
                    let better = (relative > 0) == metric.higherIsBetter
                    changes.append(
                        MetricChange(
                            target: target.name, step: step.label, metric: metric.name,
                            higherIsBetter: metric.higherIsBetter, baseline: baseline, latest: now,
                            relativeChange: relative, flagged: flagged,
                            verdict: flagged ? (better ? "improvement" : "regression") : "unchanged"))
                }
            }
        }
        return changes
    }

    struct Metric: Sendable {
        var name: String
        var higherIsBetter: Bool
        var value: @Sendable (StepSummary) -> Double?
    }

    static let metrics: [Metric] = [
        Metric(name: "ttft_p50_ms", higherIsBetter: false) { $0.ttftMs.p50 },
        Metric(name: "ttft_p99_ms", higherIsBetter: false) { $0.ttftMs.p99 },
        Metric(name: "e2e_p50_ms", higherIsBetter: false) { $0.e2eMs.p50 },
        Metric(name: "e2e_p99_ms", higherIsBetter: false) { $0.e2eMs.p99 },
        Metric(name: "output_tps", higherIsBetter: true) { $0.outputTps },
        Metric(name: "output_tps_per_usd_per_1m_output", higherIsBetter: true) { m in
            guard let tps = m.outputTps, let price = m.cost?.usdPer1mOutputTokens, price > 0 else { return nil }
            return tps / price
        },
    ]
}
