public import BenchCore
import BenchEval
import BenchMetrics
import Foundation

/// The report as one self-contained HTML page (inline CSS and SVG, no scripts, nothing fetched): the summary table
/// with units, charts drawn by llmbench — latency CDFs from the raw records, throughput, p99 TTFT and goodput
/// against load with the saturation knee, USD per 1M output tokens, accuracy per task with intervals, quality
/// against cost and speed with the Pareto front — the quality tables, and a "how to read" line for every metric.
public enum HTMLReportRenderer {
    /// - Parameter records: the run's raw records (`records.jsonl`), for the latency CDFs; without them the CDFs
    ///   are left out and the page says so.
    public static func render(_ report: BenchmarkReport, records: [RequestRecord] = [], title: String) -> String {
        """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(escape(title))</title>
        <style>\(style)</style></head>
        <body>
        <h1>\(escape(title))</h1>
        \(sections(report, records: records))
        </body></html>

        """
    }

    /// The report's content without the page around it (the dashboard puts it in its own pages).
    /// - Parameter provenance: the version, date, seed and temperature line (a comparison lists each run's instead).
    public static func sections(_ report: BenchmarkReport, records: [RequestRecord] = [], provenance: Bool = true)
        -> String
    {
        var body: [String] = [
            provenance
                ? "<p class=\"meta\">llmbench \(escape(report.llmbenchVersion)) · generated \(escape(report.generatedAt)) · seed \(report.seed)"
                    + (report.temperature.map { " · temperature \(NumberFormatting.value($0))" } ?? "") + "</p>" : "",
            "<h2>At a glance</h2>",
            glance(report),
            "<h2>Speed</h2>",
            summaryTable(report),
        ]
        if let client = MarkdownReportRenderer.clientCeiling(report) {
            body.append("<p class=\"meta\" id=\"client\">\(escape(client))</p>")
        }
        body += [guide(MetricGuide.speed), "<div class=\"charts\">"]
        body += latencyCharts(report, records: records)
        body += loadCharts(report)
        body.append("</div>")
        if report.targets.contains(where: { !($0.quality ?? []).isEmpty }) {
            body += ["<h2>Quality</h2>", qualityTable(report), guide(MetricGuide.quality), "<div class=\"charts\">"]
            body += qualityCharts(report)
            body.append("</div>")
            body += qualityDetails(report)
        }
        body += notes(report)
        return body.joined(separator: "\n")
    }

    /// The width every chart is drawn at, in CSS pixels: the same in every layout, so type never scales.
    public static let chartWidth = XYChart.width

    static let style = """
        body{font:14px/1.45 system-ui,sans-serif;margin:0 auto;padding:1rem 1.25rem;max-width:1240px;color:#1d1d1d}
        h1{font-size:1.5rem;margin:.2rem 0}h2{margin-top:2rem;border-bottom:1px solid #ddd}.meta{color:#555}
        .scroll{overflow-x:auto}table{border-collapse:collapse;margin:.5rem 0}
        th,td{padding:.3rem .55rem;border-bottom:1px solid #e3e3e3;white-space:nowrap}
        th{text-align:left;background:#f3f3f3}td.n{text-align:right;font-variant-numeric:tabular-nums}
        .guide td{white-space:normal;color:#333}.guide td:first-child{white-space:nowrap;font-weight:600}
        .charts{display:flex;flex-wrap:wrap;gap:1rem}
        .charts figure{margin:0;border:1px solid #e3e3e3;border-radius:6px;padding:.5rem;box-sizing:border-box;
        width:\(Int(XYChart.width) + 18)px;max-width:100%;overflow-x:auto}
        .charts figcaption{color:#444;font-size:.9rem}
        svg.chart{display:block;width:\(Int(XYChart.width))px;height:auto}
        details{margin:.5rem 0}pre{white-space:pre-wrap}
        @media (max-width:600px){body{padding:.5rem}
        .guide tr{display:block;padding:.3rem 0;border-bottom:1px solid #e3e3e3}.guide td{display:inline;border:0;padding:0 .3rem 0 0}}
        """

    static func escape(_ text: String) -> String { TabularReportRenderer.escape(text) }

    /// The columns of the at-a-glance table.
    public static let glanceHeaders = [
        "target", "model", "peak out tok/s", "at load", "TTFT p99 ms there", "knee at", "mean accuracy",
        "USD per 1M out tok", "run cost USD",
    ]

    /// The columns of the quality table.
    public static let qualityHeaders = [
        "target", "task", "accuracy (95 % CI)", "items", "unparsed", "cut", "failed", "cost (USD)", "per correct (USD)",
    ]

    /// One row per target, side by side: its highest measured throughput and the latency at that load, its
    /// saturation knee, mean accuracy over the quality tasks, and what a million output tokens cost.
    static func glance(_ report: BenchmarkReport) -> String {
        let headers = glanceHeaders
        let rows = report.targets.map { target -> [(String, Bool)] in
            let best = bestStep(target)
            let loads = target.steps.map { $0.load.concurrency.map(Double.init) ?? $0.load.ratePerS ?? .nan }
            let knee = LoadCurve.knee(loads: loads, throughput: target.steps.map { $0.metrics.outputTps ?? .nan })
            let scores = (target.quality ?? []).compactMap(\.accuracy)
            let mean = scores.isEmpty ? nil : scores.reduce(0, +) / Double(scores.count)
            return [
                (target.name, false), (target.model, false),
                (NumberFormatting.value(best?.metrics.outputTps), true), (best?.label ?? "–", false),
                (NumberFormatting.value(best?.metrics.ttftMs.p99), true),
                (knee.map { target.steps[$0].label } ?? "–", false),
                (mean.map { NumberFormatting.percent($0) + " over \(scores.count) tasks" } ?? "–", true),
                (NumberFormatting.value(best?.metrics.cost?.usdPer1mOutputTokens), true),
                (NumberFormatting.value(target.usdTotal), true),
            ]
        }
        let head = headers.map { "<th>\(escape($0))</th>" }.joined()
        let body = rows.map { row in
            "<tr>" + row.map { "<td\($0.1 ? " class=\"n\"" : "")>\(escape($0.0))</td>" }.joined() + "</tr>"
        }.joined(separator: "\n")
        return
            "<div class=\"scroll\"><table id=\"glance\"><thead><tr>\(head)</tr></thead><tbody>\(body)</tbody></table></div>"
            + "<p class=\"meta\">Peak = the step with the highest output throughput; the knee is the first load after which more load adds under 10 % throughput; mean accuracy is unweighted over tasks (see each task's interval below).</p>"
    }

    static func summaryTable(_ report: BenchmarkReport) -> String {
        let keys = [
            "target", "load", "ok", "fail", "ttft_p50", "ttft_p99", "itl_p50", "itl_p99", "e2e_p50", "e2e_p99",
            "output_tps", "request_rps", "goodput_rps", "error_rate",
        ]
        var rows: [String] = []
        for target in report.targets {
            for step in target.steps {
                let cells = StepTable.row(target: target.name, step: step)
                rows.append(
                    "<tr>"
                        + cells.enumerated().map { index, cell in
                            let kind = index < 2 ? "" : " class=\"n\""
                            return "<td\(kind) data-metric=\"\(keys[index])\">\(escape(cell))</td>"
                        }.joined() + "</tr>")
            }
        }
        let head = StepTable.headers.map { "<th>\(escape($0))</th>" }.joined()
        return "<div class=\"scroll\"><table id=\"summary\"><thead><tr>\(head)</tr></thead><tbody>"
            + rows.joined(separator: "\n") + "</tbody></table></div>"
    }

    static func guide(_ entries: [MetricGuide.Entry]) -> String {
        "<details class=\"guide\" open><summary>How to read these figures</summary><table>"
            + entries.map {
                "<tr><td>\(escape($0.metric))</td><td>\($0.better == "—" ? "—" : escape($0.better) + " is better")</td><td>\(escape($0.reading))</td></tr>"
            }.joined() + "</table></details>"
    }

    static func figure(_ svg: String, caption: String) -> String {
        "<figure>\(svg)<figcaption>\(escape(caption))</figcaption></figure>"
    }

    /// TTFT and E2E CDFs of successful requests, one line per target and step (each target's last step when there
    /// would be more than six lines).
    static func latencyCharts(_ report: BenchmarkReport, records: [RequestRecord]) -> [String] {
        guard !records.isEmpty else {
            return [
                "<p>Latency distributions need the raw records (records.jsonl beside report.json): not drawn.</p>"
            ]
        }
        // Successful requests that ended inside their step's measurement window, as the summary table counts them.
        var windows: [String: StepSummary.Window] = [:]
        for target in report.targets {
            for step in target.steps { windows["\(target.name)#\(step.index)"] = step.metrics.window }
        }
        let successes = records.filter { record in
            guard record.outcome == .success, let window = windows["\(record.target)#\(record.step)"] else {
                return false
            }
            return (window.startS...window.endS).contains(record.endedAt.seconds)
        }
        var groups: [(name: String, records: [RequestRecord])] = []
        let perStep = report.targets.reduce(0) { $0 + $1.steps.count } <= 6
        for target in report.targets {
            let mine = successes.filter { $0.target == target.name }
            if perStep && target.steps.count > 1 {
                for step in target.steps {
                    groups.append(("\(target.name) \(step.label)", mine.filter { $0.step == step.index }))
                }
            } else if let last = target.steps.last {
                groups.append(("\(target.name) \(last.label)", mine.filter { $0.step == last.index }))
            }
        }
        groups = groups.filter { !$0.records.isEmpty }
        guard !groups.isEmpty else { return ["<p>No successful request to draw latencies from.</p>"] }
        func cdf(_ title: String, axis: String, _ value: (RequestRecord) -> Duration?) -> String {
            let series = groups.map { group in
                let sorted = group.records.compactMap(value).map(\.milliseconds).sorted()
                // The empirical CDF: 0 up to the fastest request, then a step of 1/n at each one.
                let points =
                    sorted.prefix(1).map { XYChart.Point(x: $0, y: 0) }
                    + sorted.enumerated().map { index, ms in
                        XYChart.Point(x: ms, y: Double(index + 1) / Double(sorted.count))
                    }
                return XYChart.Series(name: group.name, points: points, style: .step)
            }
            let all = series.flatMap { $0.points.map(\.x) }
            let spread = (all.max() ?? 1) / max(all.min() ?? 1, 1e-3)
            let chart = XYChart(
                title: title, x: ChartAxis(title: axis, covering: all, logarithmic: spread > 50),
                y: ChartAxis(title: "share of requests", lower: 0, upper: 1, ticks: [0, 0.25, 0.5, 0.75, 1]),
                series: series)
            return figure(
                chart.svg(),
                caption:
                    "\(title): the share of successful requests at or below each latency. Further left is faster; a long flat tail is the p99 users feel."
            )
        }
        return [
            cdf("TTFT distribution", axis: "TTFT (ms)", \.timeToFirstToken),
            cdf("E2E latency distribution", axis: "E2E latency (ms)", \.endToEndLatency),
        ]
    }

    /// Throughput, p99 TTFT and goodput against load per target (the knee marked), and USD per 1M output tokens.
    static func loadCharts(_ report: BenchmarkReport) -> [String] {
        let rateLoads = report.targets.allSatisfy { $0.steps.allSatisfy { $0.load.kind == "rate" } }
        let axisTitle = rateLoads ? "offered rate (req/s)" : "concurrency (requests in flight)"
        func load(_ step: BenchmarkReport.Step) -> Double? {
            rateLoads ? step.load.ratePerS : step.load.concurrency.map(Double.init)
        }
        guard report.targets.contains(where: { $0.steps.count > 1 }) else { return costChart(report) }
        func chart(_ title: String, yTitle: String, caption: String, knee: Bool, _ value: (StepSummary) -> Double?)
            -> String?
        {
            var series: [XYChart.Series] = []
            var markers: [XYChart.Marker] = []
            for target in report.targets {
                let points = target.steps.compactMap { step in
                    load(step).flatMap { x in value(step.metrics).map { XYChart.Point(x: x, y: $0) } }
                }
                guard !points.isEmpty else { continue }
                series.append(XYChart.Series(name: target.name, points: points, style: .line))
                if knee,
                    let at = LoadCurve.knee(loads: points.map(\.x), throughput: points.map(\.y))
                {
                    markers.append(XYChart.Marker(x: points[at].x, label: "knee", series: series.count - 1))
                }
            }
            guard !series.isEmpty else { return nil }
            var xy = XYChart(
                title: title, x: ChartAxis(title: axisTitle, covering: series.flatMap { $0.points.map(\.x) }),
                y: ChartAxis(title: yTitle, covering: series.flatMap { $0.points.map(\.y) }, include: [0]),
                series: series)
            xy.markers = markers
            return figure(xy.svg(), caption: caption)
        }
        return [
            chart(
                "Throughput against load", yTitle: "output tokens/s",
                caption:
                    "Higher is better. The knee (dashed) is the first load after which more load adds under 10 % throughput.",
                knee: true, \.outputTps),
            chart(
                "p99 TTFT against load", yTitle: "p99 TTFT (ms)",
                caption: "Lower is better. It climbs once requests queue at the server: past the throughput knee.",
                knee: false, \.ttftMs.p99),
            chart(
                "Goodput against load", yTitle: "goodput (req/s)",
                caption:
                    "Requests per second that met every SLO. Higher is better; it falls when latency breaks the SLO.",
                knee: false, \.goodputRps),
        ].compactMap { $0 } + costChart(report)
    }

    /// Each target's step with the highest output throughput, where cost per token is lowest for self-hosting.
    static func bestStep(_ target: BenchmarkReport.Target) -> BenchmarkReport.Step? {
        target.steps.max { ($0.metrics.outputTps ?? 0) < ($1.metrics.outputTps ?? 0) }
    }

    static func costChart(_ report: BenchmarkReport) -> [String] {
        let costs = report.targets.map { bestStep($0)?.metrics.cost?.usdPer1mOutputTokens }
        guard costs.contains(where: { $0 != nil }) else { return [] }
        let chart = CategoryChart(
            title: "USD per 1M output tokens", categories: report.targets.map(\.name), seriesNames: ["USD"],
            values: [costs.map { $0.map { CategoryChart.Value($0) } }],
            axis: ChartAxis(title: "USD per 1M output tokens", covering: costs.compactMap { $0 }, include: [0]),
            style: .bars)
        return [
            figure(
                chart.svg(),
                caption:
                    "Lower is better. API targets at list price; self-hosted targets at their machine cost per hour ÷ the output tokens measured per hour at their highest-throughput step."
            )
        ]
    }

    static func qualityTable(_ report: BenchmarkReport) -> String {
        var rows: [String] = []
        for target in report.targets {
            for summary in target.quality ?? [] {
                let interval = summary.interval.map {
                    " (\(NumberFormatting.percent($0.lower))–\(NumberFormatting.percent($0.upper)))"
                }
                let cells: [(String, Bool)] = [
                    (target.name, false), (summary.task, false),
                    (NumberFormatting.percent(summary.accuracy) + (interval ?? ""), true),
                    (String(summary.items), true),
                    (String(summary.unparsed), true), (String(summary.truncated), true), (String(summary.failed), true),
                    (summary.costUSD.map { "$" + NumberFormatting.value($0) } ?? "–", true),
                    (summary.costPerCorrectUSD.map { "$" + NumberFormatting.value($0) } ?? "–", true),
                ]
                rows.append(
                    "<tr>"
                        + cells.map { cell, numeric in
                            "<td\(numeric ? " class=\"n\"" : "")>\(escape(cell))</td>"
                        }.joined() + "</tr>")
            }
        }
        let head = qualityHeaders.map { "<th>\(escape($0))</th>" }.joined()
        return "<div class=\"scroll\"><table id=\"quality\"><thead><tr>\(head)</tr></thead><tbody>"
            + rows.joined(separator: "\n") + "</tbody></table></div>"
    }

    /// Σ cost of a target's quality answers ÷ its correct answers, over every task; nil when a task has no cost or no
    /// answer was correct.
    static func usdPerCorrectAnswer(_ target: BenchmarkReport.Target) -> Double? {
        let summaries = target.quality ?? []
        guard !summaries.isEmpty, summaries.allSatisfy({ $0.costUSD != nil }) else { return nil }
        let correct = summaries.reduce(0) { $0 + $1.correct }
        guard correct > 0 else { return nil }
        return summaries.compactMap(\.costUSD).reduce(0, +) / Double(correct)
    }

    /// Accuracy per task with whiskers; mean accuracy against cost and against speed with the Pareto front.
    static func qualityCharts(_ report: BenchmarkReport) -> [String] {
        let tasks = Array(Set(report.targets.flatMap { ($0.quality ?? []).map(\.task) })).sorted()
        let values = report.targets.map { target in
            tasks.map { task -> CategoryChart.Value? in
                guard let summary = target.quality?.first(where: { $0.task == task }), let accuracy = summary.accuracy
                else { return nil }
                return CategoryChart.Value(
                    accuracy * 100, lower: summary.interval.map { $0.lower * 100 },
                    upper: summary.interval.map { $0.upper * 100 })
            }
        }
        let accuracy = CategoryChart(
            title: "Accuracy per task", categories: tasks, seriesNames: report.targets.map(\.name), values: values,
            axis: ChartAxis(title: "accuracy (%)", lower: 0, upper: 100, ticks: [0, 25, 50, 75, 100]), style: .dots)
        var charts = [
            figure(
                accuracy.svg(),
                caption:
                    "Higher is better. Whiskers are 95 % intervals; overlapping whiskers do not settle a difference (see the paired comparisons)."
            )
        ]
        let means = report.targets.map { target -> Double? in
            let scores = (target.quality ?? []).compactMap(\.accuracy)
            return scores.isEmpty ? nil : scores.reduce(0, +) / Double(scores.count) * 100
        }
        func tradeOff(
            _ title: String, xTitle: String, lowerXIsBetter: Bool, caption: String,
            _ x: (BenchmarkReport.Target) -> Double?
        )
            -> String?
        {
            let pairs = report.targets.indices.compactMap { index -> (String, Double, Double)? in
                guard let y = means[index], let value = x(report.targets[index]) else { return nil }
                return (report.targets[index].name, value, y)
            }
            guard pairs.count >= 2 else { return nil }
            let points = pairs.map { XYChart.Point(x: $0.1, y: $0.2, label: $0.0) }
            var chart = XYChart(
                title: title, x: ChartAxis(title: xTitle, covering: points.map(\.x), include: [0]),
                y: ChartAxis(title: "mean accuracy over tasks (%)", lower: 0, upper: 100, ticks: [0, 25, 50, 75, 100]),
                series: [XYChart.Series(name: "targets", points: points, style: .points)])
            chart.frontier = LoadCurve.paretoFront(
                x: points.map(\.x), y: points.map(\.y), lowerXIsBetter: lowerXIsBetter
            ).map { points[$0] }
            return figure(chart.svg(), caption: caption)
        }
        // Cost per correct answer when every target with quality results priced its answers; else the price of
        // output tokens at each target's best step (self-hosted targets are priced per hour, not per answer).
        let perCorrect = report.targets.filter { !($0.quality ?? []).isEmpty }.allSatisfy {
            Self.usdPerCorrectAnswer($0) != nil
        }
        charts += [
            perCorrect
                ? tradeOff(
                    "Quality against cost", xTitle: "USD per correct answer (all tasks)", lowerXIsBetter: true,
                    caption:
                        "Up and to the left is better; the dashed Pareto front joins the targets nothing beats on both. Cost per correct answer: every answer's cost over the tasks ÷ the correct answers.",
                    Self.usdPerCorrectAnswer)
                : tradeOff(
                    "Quality against cost", xTitle: "USD per 1M output tokens", lowerXIsBetter: true,
                    caption:
                        "Up and to the left is better; the dashed Pareto front joins the targets nothing beats on both.",
                    { bestStep($0)?.metrics.cost?.usdPer1mOutputTokens }),
            tradeOff(
                "Quality against speed", xTitle: "output tokens/s (highest measured)", lowerXIsBetter: false,
                caption:
                    "Up and to the right is better; the dashed Pareto front joins the targets nothing beats on both.",
                { bestStep($0)?.metrics.outputTps }),
        ].compactMap { $0 }
        return charts
    }

    static func qualityDetails(_ report: BenchmarkReport) -> [String] {
        var parts: [String] = []
        for target in report.targets where !(target.quality ?? []).isEmpty {
            let lines = (target.quality ?? []).flatMap(QualityLines.summary)
            parts.append(
                "<details><summary>\(escape(target.name)): every figure</summary><pre>"
                    + escape(lines.joined(separator: "\n")) + "</pre></details>")
        }
        if let comparisons = report.qualityComparisons, !comparisons.isEmpty {
            let lines = comparisons.flatMap { ["\($0.a) vs \($0.b):"] + QualityLines.comparison($0).map { "  " + $0 } }
            parts.append(
                "<details open><summary>Paired comparisons between targets</summary><pre>"
                    + escape(lines.joined(separator: "\n")) + "</pre></details>")
        }
        return parts
    }

    static func notes(_ report: BenchmarkReport) -> [String] {
        let notes = report.targets.flatMap { target in
            target.notes.map { "\(target.name): \($0)" }
                + target.steps.flatMap { step in step.notes.map { "\(target.name) \(step.label): \($0)" } }
        }
        guard !notes.isEmpty else { return [] }
        return ["<h2>Notes</h2>", "<ul>" + notes.map { "<li>\(escape($0))</li>" }.joined() + "</ul>"]
    }
}
