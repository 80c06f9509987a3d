import Foundation
import BenchEval
import BenchMetrics

/// Renders a ``BenchmarkReport`` as Markdown: a summary table, then per-step distributions and notes.
public enum MarkdownReportRenderer {
    public static func render(_ report: BenchmarkReport) -> String {
        var out = "# llmbench report\n\n"
        out += "Generated \(report.generatedAt) by llmbench \(report.llmbenchVersion). Seed \(report.seed)"
        out += report.temperature.map { ", temperature \($0)" } ?? ""
        out += ". Schema `\(report.schema)`.\n\n"
        out += "Times are milliseconds from request dispatch (t0). TTFT counts the first chunk with generated text; "
        out += "ITL = (t_last − t_first) / (output tokens − 1); rates divide by the measurement window.\n\n"
        out += "## Summary\n\n"
        out += table(
            [StepTable.headers]
                + report.targets.flatMap { target in
                    target.steps.map { StepTable.row(target: target.name, step: $0) }
                }
        )
        out += clientCeiling(report).map { "\n\($0)\n" } ?? ""
        out += quality(report)
        for target in report.targets {
            out += "\n## \(target.name)\n\n`\(target.model)` at `\(target.baseURL)`\n"
            if let total = target.usdTotal {
                out +=
                    "\nRun cost at list price: $\(String(format: "%.4f", total)) (every successful request, warm-up included)\n"
            }
            if !target.notes.isEmpty {
                out += "\n" + target.notes.map { "- \($0)" }.joined(separator: "\n") + "\n"
            }
            for step in target.steps {
                out += "\n### \(step.label)\n\n"
                let m = step.metrics
                let rows: [(String, DistributionRow)] = [
                    ("TTFT ms", .init(m.ttftMs)), ("TTFA ms", .init(m.ttfaMs)), ("ITL ms", .init(m.itlMs)),
                    ("max chunk gap ms", .init(m.maxGapMs)), ("E2E ms", .init(m.e2eMs)),
                    ("decode tok/s", .init(m.decodeTps)), ("output tokens", .init(m.outputTokens)),
                    ("input tokens", .init(m.inputTokens)), ("scheduler lag ms", .init(m.schedulerLagMs)),
                    ("queue ms", .init(m.queueMs)),
                ]
                out += table(
                    [["metric", "count", "mean", "stdev", "min", "p50", "p90", "p95", "p99", "max"]]
                        + rows.map { [$0.0] + $0.1.cells }
                )
                out +=
                    "\nOutput \(NumberFormatting.value(m.outputTps)) tok/s, \(NumberFormatting.value(m.requestRps)) req/s"
                out += ", goodput \(NumberFormatting.value(m.goodputRps)) req/s"
                out +=
                    ", errors \(NumberFormatting.percent(m.errorRate)), throttled \(NumberFormatting.percent(m.throttleRate))"
                out += ", max in flight \(m.maxInFlight)"
                if let window = m.window {
                    out += ", window \(NumberFormatting.value(window.lengthS)) s"
                }
                out += ".\n"
                out += "\n" + serverSplit(m.serverTimings) + "\n"
                out += "\n" + cost(m.cost) + "\n"
                if let determinism = m.determinism {
                    out += "\nDeterminism (temperature \(report.temperature.map { String($0) } ?? "server default")): "
                    out +=
                        "\(determinism.identical) of \(determinism.repeatedPrompts) repeated prompts gave identical text every time.\n"
                }
                if let turns = m.turns {
                    out += "\nBy conversation turn (each turn is sent with the history so far):\n\n"
                    out += table(
                        [["turn", "ok", "failed", "TTFT p50", "TTFT p99", "E2E p50", "input tokens p50"]]
                            + turns.map {
                                [
                                    String($0.turn + 1), String($0.succeeded), String($0.failed),
                                    NumberFormatting.value($0.ttftMs.p50), NumberFormatting.value($0.ttftMs.p99),
                                    NumberFormatting.value($0.e2eMs.p50), NumberFormatting.value($0.inputTokens.p50),
                                ]
                            })
                }
                if !step.notes.isEmpty {
                    out += "\n" + step.notes.map { "- \($0)" }.joined(separator: "\n") + "\n"
                }
            }
        }
        out += aliases(report)
        let hasQuality = report.targets.contains { !($0.quality ?? []).isEmpty }
        out += "\n## How to read these figures\n\n"
        out += table(
            [["metric", "better", "how to read it"]]
                + (MetricGuide.speed + (hasQuality ? MetricGuide.quality : [])).map {
                    [$0.metric, $0.better, $0.reading]
                })
        return out
    }

    private static func serverSplit(_ split: ServerTimingSummary?) -> String {
        guard let split else { return "Client/server split: not available (the endpoint reports no server timings)." }
        return "Client/server split over \(split.requests) requests: server decode p50 "
            + "\(NumberFormatting.value(split.serverDecodeTps.p50)) tok/s; client ÷ server decode speed p50 "
            + "\(NumberFormatting.value(split.clientToServerDecodeRatio.p50)); TTFT outside server prompt time p50 "
            + "\(NumberFormatting.value(split.ttftOutsideServerMs.p50)) ms (network, slot queue, HTTP, client); "
            + "usage equals the server's token count for \(split.usageMatchesServer) of \(split.requests)."
    }

    private static func cost(_ cost: StepCost?) -> String {
        guard let cost else {
            return "Cost: not available (no price row for this model and no machine price; see docs/spec.md)."
        }
        let perMillion = cost.usdPer1mOutputTokens.map { "$" + NumberFormatting.value($0) } ?? "–"
        if let machine = cost.machineUSDPerHour {
            return
                "Cost: \(perMillion) per 1M output tokens at the measured throughput and $\(NumberFormatting.value(machine))/hour."
        }
        guard let price = cost.price else { return "Cost: not available." }
        var text = "Cost: \(perMillion) per 1M output tokens"
        if let total = cost.usdTotal, let perRequest = cost.usdPerRequest {
            text +=
                ", $\(String(format: "%.6f", perRequest)) per request, $\(String(format: "%.4f", total)) for \(cost.pricedRequests) requests"
        }
        text += " — price row `\(price.model)`: $\(NumberFormatting.value(price.input)) in / "
        text += "$\(NumberFormatting.value(price.output)) out per 1M"
        if let date = price.date { text += ", dated \(date)" }
        if let source = price.source { text += ", from \(source)" }
        return text + "."
    }

    /// The quality tasks: one row per target and task, each target's full figures, then the paired comparisons.
    private static func quality(_ report: BenchmarkReport) -> String {
        let scored = report.targets.filter { !($0.quality ?? []).isEmpty }
        guard !scored.isEmpty else { return "" }
        var out = "\n## Quality\n\n"
        out += "Scores with their 95 % intervals (Wilson for right/wrong scores). Unparsed answers and answers cut at "
        out += "the token limit are counted apart; failed requests are left out of the score.\n\n"
        var rows = [["task", "target", "scored by", "score", "95 % CI", "items", "unparsed", "truncated", "failed"]]
        for target in scored {
            for summary in target.quality ?? [] {
                let score: String
                let interval: String
                if let ppl = summary.perplexity {
                    score = "perplexity " + NumberFormatting.value(ppl.tokenPerplexity)
                    interval =
                        ppl.interval.map { "\(NumberFormatting.value($0.lower))–\(NumberFormatting.value($0.upper))" }
                        ?? "–"
                } else {
                    score = summary.accuracy.map { String(format: "%.1f %%", $0 * 100) } ?? "–"
                    interval =
                        summary.interval.map { String(format: "%.1f–%.1f %%", $0.lower * 100, $0.upper * 100) } ?? "–"
                }
                rows.append([
                    summary.task, target.name, summary.method ?? summary.outputType, score, interval,
                    String(summary.items), String(summary.unparsed), String(summary.truncated), String(summary.failed),
                ])
            }
        }
        out += table(rows)
        for target in scored {
            for summary in target.quality ?? [] {
                out += "\n**\(summary.task) on \(target.name)**\n\n"
                out +=
                    QualityLines.summary(summary).map { "- " + $0.trimmingCharacters(in: .whitespaces) }
                    .joined(separator: "\n") + "\n"
            }
        }
        if let comparisons = report.qualityComparisons, !comparisons.isEmpty {
            out += "\n### Paired comparisons\n\n"
            for comparison in comparisons {
                out += "\n**\(comparison.a) vs \(comparison.b)**\n\n"
                out += QualityLines.comparison(comparison).map { "- " + $0 }.joined(separator: "\n") + "\n"
            }
        }
        return out
    }

    private static func table(_ rows: [[String]]) -> String {
        guard let header = rows.first else { return "" }
        var lines = ["| " + header.joined(separator: " | ") + " |"]
        lines.append("|" + header.map { _ in "---" }.joined(separator: "|") + "|")
        lines += rows.dropFirst().map { "| " + $0.joined(separator: " | ") + " |" }
        return lines.joined(separator: "\n") + "\n"
    }

    private struct DistributionRow {
        var cells: [String]

        init(_ d: DistributionSummary) {
            cells =
                [String(d.count)]
                + [d.mean, d.stdev, d.min, d.p50, d.p90, d.p95, d.p99, d.max].map(NumberFormatting.value)
        }
    }

    /// The client ceiling on the host and what marks a step client-bound; nil when the report has none.
    static func clientCeiling(_ report: BenchmarkReport) -> String? {
        guard let ceiling = report.clientCeiling else { return nil }
        let bound = report.clientBoundSteps
        let limits = ClientLoadSummary.Thresholds.self
        let rule =
            "A step is marked ⚠ client-bound when the latency the client added before the first byte (head latency "
            + "above the step's fastest head) passes \(NumberFormatting.value(limits.margin * limits.addedP50Ms)) ms or "
            + "\(NumberFormatting.value(limits.margin * limits.addedP50Share * 100)) % of the TTFT at p50, or "
            + "\(NumberFormatting.value(limits.margin * limits.addedP95Ms)) ms or "
            + "\(NumberFormatting.value(limits.margin * limits.addedP95Share * 100)) % at p95, while the client shows "
            + "load; when a closed loop's users spent over \(Int(limits.dispatchLagShareOfE2E * 100)) % of their time "
            + "waiting for it; or when the client kept \(Int(limits.saturatedCPUShare * 100)) % of its cores busy "
            + "(median). Fewer than \(limits.minimumRequests) requests give no verdict"
        return "The \(HarnessCeilingText.describe(ceiling)). \(rule)"
            + (bound.isEmpty ? "; no step was." : "; client-bound: \(bound.joined(separator: ", ")).")
    }

    /// Each step's figures under `vllm bench serve`'s result keys, and where the tools' definitions differ
    /// (GuideLLM's and AIPerf's names are in report.json, `aliases`).
    static func aliases(_ report: BenchmarkReport) -> String {
        let steps = report.targets.flatMap { target in target.steps.map { (target.name, $0) } }
        guard let notes = steps.first?.1.aliases?.notes else { return "" }
        let keys = Array(Set(steps.flatMap { $0.1.aliases?.vllmBenchServe.keys.map { $0 } ?? [] })).sorted()
        var out = "\n## Under other tools' names\n\n"
        out += "The same figures as `vllm bench serve` names them in its result JSON (GuideLLM's and AIPerf's names "
        out += "are in report.json, `aliases`):\n\n"
        out += table(
            [["key"] + steps.map { "\($0.0) \($0.1.label)" }]
                + keys.map { key in
                    [key] + steps.map { NumberFormatting.value($0.1.aliases?.vllmBenchServe[key]) }
                })
        out += "\n" + notes.map { "- \($0)" }.joined(separator: "\n") + "\n"
        return out
    }
}
