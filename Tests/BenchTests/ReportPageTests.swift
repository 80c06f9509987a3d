import BenchEngine
import BenchProviders
import BenchCore
import BenchEval
import BenchReport
import Foundation
import Testing

/// The HTML report of a real run (two simulator targets, four concurrency steps, a quality suite; stored in
/// Tests/Golden/sample-run): its golden file, and the page opened in a real headless Chromium.
@Suite struct ReportPageTests {
    static let golden = Fixtures.repositoryRoot.appendingPathComponent("Tests/Golden")
    static let run = RunFolder(golden.appendingPathComponent("sample-run"))

    static func page() throws -> String {
        HTMLReportRenderer.render(try run.report(), records: try run.records(), title: "llmbench report: sample-run")
    }

    /// Regenerate with LLMBENCH_UPDATE_GOLDEN=1 after a deliberate change, and read the diff.
    @Test func theHTMLReportMatchesItsGoldenFile() throws {
        let file = Self.golden.appendingPathComponent("report.html")
        let rendered = try Self.page()
        if ProcessInfo.processInfo.environment["LLMBENCH_UPDATE_GOLDEN"] == "1" {
            try rendered.write(to: file, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOf: file, encoding: .utf8)
        #expect(rendered == expected, "the rendered report differs from Tests/Golden/report.html")
    }

    @Test func thePageCarriesEveryChartTableAndReadingGuide() throws {
        let page = try Self.page()
        let report = try Self.run.report()
        for title in [
            "TTFT distribution", "E2E latency distribution", "Throughput against load", "p99 TTFT against load",
            "Accuracy per task", "Quality against speed",
        ] {
            #expect(page.contains("<title>\(title)</title>"), "missing chart \(title)")
        }
        #expect(page.contains(">knee</text>"))
        // At a glance: the local model peaks at c=8 (5.1 s p99 TTFT there) though its knee is at c=1.
        #expect(
            page.contains("<table id=\"glance\">") && page.contains("<td>c=8</td><td class=\"n\">5108</td><td>c=1</td>")
        )
        #expect(page.contains("How to read these figures") && page.contains("lower is better"))
        // Nothing to fetch: no scripts, links, images or stylesheets from elsewhere.
        for external in ["<script", "src=", "href=\"http", "<link", "url(", "@import"] {
            #expect(!page.contains(external), "the page refers to something outside: \(external)")
        }
        for target in report.targets {
            for step in target.steps {
                let row = StepTable.row(target: target.name, label: step.label, metrics: step.metrics)
                #expect(page.contains("<td class=\"n\" data-metric=\"output_tps\">\(row[10])</td>"))
            }
        }
    }

    @Test func hostileNamesAreEscapedEverywhere() throws {
        var report = try Self.run.report()
        let hostile = "<img src=x onerror=alert(1)>"
        report.targets[0].name = hostile
        report.targets[0].quality?[0].task = hostile
        let records = try Self.run.records().map { record in
            var renamed = record
            if renamed.target == "smollm2-local" { renamed.target = hostile }
            return renamed
        }
        let page = HTMLReportRenderer.render(report, records: records, title: hostile)
        #expect(!page.contains("<img") && page.contains("&lt;img src=x onerror=alert(1)&gt;"))
        let dashboard = DashboardPages.comparison([(hostile, report, records)])
        #expect(!dashboard.contains("<img"))
    }
}

/// The report opened in a real headless Chromium; with the live tests, so the browser never competes for the CPU
/// with timing checks.
extension LiveTests {
    @Suite struct ReportBrowserTests {
        @Test(.enabled(if: HeadlessChromium.shouldRun, "chromium is not installed"))
        func theReportOpensInARealBrowserWithoutErrors() throws {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("llmbench-page-\(UUID())")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            let html = folder.appendingPathComponent("report.html")
            // The browser writes each chart's rendered width and its title's font size into the DOM it dumps.
            let measure = """
                <script>for (const svg of document.querySelectorAll('svg.chart')) {
                svg.setAttribute('data-rendered', svg.getBoundingClientRect().width.toFixed(1) + ' ' +
                parseFloat(getComputedStyle(svg.querySelector('text')).fontSize).toFixed(1) + ' ' +
                svg.querySelector('text').getBoundingClientRect().height.toFixed(1)) }</script></body>
                """
            try ReportPageTests.page().replacingOccurrences(of: "</body>", with: measure)
                .write(to: html, atomically: true, encoding: .utf8)
            let report = try ReportPageTests.run.report()
            let keep = ProcessInfo.processInfo.environment["LLMBENCH_UPDATE_SCREENSHOTS"] == "1"
            let screenshots = Fixtures.repositoryRoot.appendingPathComponent("docs/screenshots")
            var renderedTitleHeights: [Double] = []
            for (width, name) in [(1280, "report-1280.png"), (390, "report-phone.png")] {
                let shot = (keep ? screenshots : folder).appendingPathComponent(name)
                let page = try HeadlessChromium.open(html.absoluteString, width: width, height: 3200, screenshot: shot)
                #expect(page.problems.isEmpty, "the browser reported: \(page.problems)")
                let attributes = try FileManager.default.attributesOfItem(atPath: shot.path)
                #expect((attributes[.size] as? Int ?? 0) > 20_000, "the screenshot is blank")
                #expect(page.dom.components(separatedBy: "<svg class=\"chart\"").count - 1 >= 6)
                // Every chart is drawn at its own size in every layout, so its type is the same size everywhere:
                // a chart alone in its row does not stretch, and a phone scrolls a chart rather than shrinking it.
                let rendered = page.dom.components(separatedBy: "data-rendered=\"").dropFirst().map {
                    $0.prefix { $0 != "\"" }.split(separator: " ").compactMap { Double($0) }
                }
                #expect(rendered.count >= 6)
                let titles = Set(rendered.map { $0[2] })
                #expect(rendered.allSatisfy { $0[0] == HTMLReportRenderer.chartWidth }, "\(width) px: \(rendered)")
                #expect(titles.count == 1, "chart titles of different sizes at \(width) px: \(titles)")
                renderedTitleHeights.append(contentsOf: titles)
                for target in report.targets {
                    let last = try #require(target.steps.last)
                    let row = StepTable.row(target: target.name, label: last.label, metrics: last.metrics)
                    #expect(page.dom.contains(">\(row[4])</td>") && page.dom.contains(">\(row[10])</td>"))
                }
            }
            #expect(Set(renderedTitleHeights).count == 1, "type size differs between 1280 and 390 px")
        }
    }
}
