import BenchEngine
import BenchProviders
import BenchCore
import BenchMetrics
import BenchReport
import Foundation
import Testing

@Suite struct ChartTests {
    @Test func axesGetRoundTicksThatCoverTheData() {
        let axis = ChartAxis(title: "TTFT (ms)", covering: [12, 87], include: [0])
        #expect(axis.lower == 0 && axis.upper == 100 && axis.ticks == [0, 20, 40, 60, 80, 100])
        let log = ChartAxis(title: "E2E (ms)", covering: [3, 700], logarithmic: true)
        #expect(log.ticks.first == 5 && log.lower == 3 && log.ticks.last == 1000 && log.ticks.contains(100))
        #expect(abs(log.fraction(log.upper) - 1) < 1e-12 && log.fraction(log.lower) == 0)
        #expect(ChartAxis.label(12_500) == "12.5k" && ChartAxis.label(0.25) == "0.25" && ChartAxis.label(40) == "40")
        let flat = ChartAxis(title: "x", covering: [5, 5])
        #expect(flat.lower < 5 && flat.upper > 5)
    }

    @Test func theKneeIsTheFirstLoadAfterWhichThroughputStopsGrowing() {
        // 1 → 2 → 4 → 8 → 16 users: +90 %, +80 %, +5 %, +1 %: the knee is at 4 users (index 2).
        #expect(LoadCurve.knee(loads: [1, 2, 4, 8, 16], throughput: [100, 190, 342, 359, 362]) == 2)
        #expect(LoadCurve.knee(loads: [16, 1, 4, 2, 8], throughput: [362, 100, 342, 190, 359]) == 2)
        #expect(LoadCurve.knee(loads: [1, 2, 4], throughput: [100, 200, 400]) == nil)
        #expect(LoadCurve.knee(loads: [1], throughput: [100]) == nil)
    }

    @Test func theParetoFrontKeepsWhatNothingBeatsOnBothAxes() {
        // (cost, accuracy): A cheap and weak, B dear and strong, C dearer than B and weaker: dominated.
        let cost = [0.2, 3.0, 5.0, 0.2]
        let accuracy = [40.0, 80.0, 70.0, 30.0]
        #expect(LoadCurve.paretoFront(x: cost, y: accuracy, lowerXIsBetter: true) == [0, 1])
        #expect(LoadCurve.paretoFront(x: [100, 50], y: [60, 70], lowerXIsBetter: false) == [1, 0])
    }

    @Test func chartsAreSelfContainedSVGWithEscapedText() throws {
        var chart = XYChart(
            title: "Throughput <against> load",
            x: ChartAxis(title: "concurrency", covering: [1, 4]),
            y: ChartAxis(title: "output tokens/s", covering: [0, 400]),
            series: [
                XYChart.Series(
                    name: "vllm & co", points: [.init(x: 1, y: 100), .init(x: 2, y: 300), .init(x: 4, y: 400)],
                    style: .line),
                XYChart.Series(name: "api", points: [.init(x: 1, y: 50), .init(x: 4, y: 60)], style: .line),
            ])
        chart.markers = [XYChart.Marker(x: 2, label: "knee", series: 0)]
        let svg = chart.svg()
        #expect(svg.hasPrefix("<svg") && svg.hasSuffix("</svg>"))
        #expect(svg.contains("<title>Throughput &lt;against&gt; load</title>") && svg.contains("vllm &amp; co"))
        #expect(!svg.contains("<script") && !svg.contains("href"))
        #expect(svg.contains(ChartPalette.colour(0)) && svg.contains(ChartPalette.colour(1)))
        #expect(svg.contains(">knee</text>") && svg.components(separatedBy: "<polyline").count - 1 == 3)
        let bars = CategoryChart(
            title: "USD per 1M output tokens", categories: ["a", "b"], seriesNames: ["USD"],
            values: [[.init(2.5), nil]], axis: ChartAxis(title: "USD", covering: [2.5], include: [0]), style: .bars)
        #expect(bars.svg().components(separatedBy: "<rect").count - 1 == 1 && bars.svg().contains(">2.5</text>"))
    }
}

@Suite struct ReportGateTests {
    @Test func theGateNamesEveryStepThatFailsItAndPassesTheRest() throws {
        let report = try ReportPageTests.run.report()
        // The sample run: the local model never met its 400 ms TTFT objective, the simulator always did.
        let failures = ReportGate(minGoodputShare: 0.5).failures(report)
        #expect(failures.count == 4 && failures.allSatisfy { $0.hasPrefix("smollm2-local c=") })
        #expect(failures[0].contains("0.0% of requests met the SLOs, under 50.0%"))
        #expect(ReportGate(maxErrorRate: 0).failures(report).isEmpty)
        #expect(ReportGate().failures(report).isEmpty)
    }
}

@Suite struct ProgressBarTests {
    @Test func theBarShowsTheShareDoneAndTheTimeLeft() {
        let progress = BenchmarkRun.StepProgress(
            target: "sim", label: "c=4", step: 2, steps: 8, done: 4, failed: 1, expected: 16, duration: nil,
            elapsed: .seconds(2))
        // 4 of 16 done in 2 s: 12 more at 2 per second is 6 s.
        #expect(
            progress.bar(width: 8) == "  sim c=4 [██░░░░░░] 4/16 · 1 failed · about 6 s left · step 2 of 8")
        var timed = progress
        timed.expected = nil
        timed.duration = .seconds(10)
        timed.failed = 0
        #expect(timed.bar(width: 10) == "  sim c=4 [██░░░░░░░░] 4 · about 8 s left · step 2 of 8")
    }
}

@Suite struct LoadChartTests {
    @Test func theKneeTakesTheColourOfTheTargetWhoseCurveItMarks() throws {
        var report = try ReportPageTests.run.report()
        // The first target without throughput figures draws no line; the knee belongs to the second line drawn.
        for index in report.targets[0].steps.indices { report.targets[0].steps[index].metrics.outputTps = nil }
        for index in report.targets[1].steps.indices {
            report.targets[1].steps[index].metrics.outputTps = [100, 190, 200, 201][index]
        }
        let page = HTMLReportRenderer.render(report, title: "knee")
        let chart = try #require(page.components(separatedBy: "<title>Throughput against load</title>").last)
        let knee = try #require(
            chart.components(separatedBy: ">knee</text>").first?.components(separatedBy: "<text").last)
        #expect(knee.contains(ChartPalette.colour(0)), "the only line drawn has the first colour: \(knee)")
    }
}

@Suite struct ToolAliasTests {
    @Test func figuresAppearUnderTheOtherToolsNamesOnlyWhereTheDefinitionsMatch() throws {
        let sample = try ReportPageTests.run.report()
        let metrics = try #require(sample.targets.last?.steps.last?.metrics)
        let aliases = ToolAliases(metrics)
        // vLLM's TPOT is llmbench's ITL; vLLM's ITL is llmbench's chunk gaps.
        #expect(aliases.vllmBenchServe["median_tpot_ms"] == metrics.itlMs.p50)
        #expect(aliases.vllmBenchServe["p99_itl_ms"] == metrics.chunkGapMs.p99)
        #expect(aliases.vllmBenchServe["mean_e2el_ms"] == metrics.e2eMs.mean)
        #expect(aliases.vllmBenchServe["output_throughput"] == metrics.outputTps)
        #expect(aliases.vllmBenchServe["request_goodput"] == metrics.goodputRps)
        // GuideLLM's request latency is in seconds; its TPOT (which includes the first token) is not given.
        #expect(aliases.guidellm["request_latency.median"] == metrics.e2eMs.p50.map { $0 * 0.001 })
        #expect(aliases.guidellm["inter_token_latency_ms.p99"] == metrics.itlMs.p99)
        #expect(!aliases.guidellm.keys.contains { $0.hasPrefix("time_per_output_token") })
        #expect(aliases.aiperf["time_to_first_output_token.p50"] == metrics.ttfaMs.p50)
        #expect(aliases.aiperf["inter_chunk_latency.avg"] == metrics.chunkGapMs.mean)
        #expect(aliases.notes.contains { $0.contains("time_per_output_token_ms includes the first token") })
        // Every step of a new report carries them, and the Markdown report lists vLLM's keys.
        var report = sample
        report.targets = [report.targets[1]]
        report.targets[0].steps = [
            BenchmarkReport.Step(index: 0, step: LoadStep(shape: .concurrency(users: 1)), metrics: metrics)
        ]
        let markdown = MarkdownReportRenderer.render(report)
        #expect(markdown.contains("## Under other tools' names") && markdown.contains("| median_tpot_ms |"))
    }
}
