import BenchEngine
import BenchReport
import Foundation
import Testing

/// Every metric a report shows has its line in the reading guide: the tables' columns and rows as rendered, and the
/// quality lines' figures.
@Suite struct MetricGuideTests {
    /// Identity columns, not metrics.
    static let identity: Set<String> = ["target", "model", "task", "metric", "count", "stdev", "min", "max"]

    /// The first cells of the Markdown report's per-step distribution tables.
    static func markdownRows() throws -> [String] {
        let markdown = MarkdownReportRenderer.render(try ReportPageTests.run.report())
        var rows: [String] = []
        var inTable = false
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("| metric | count") {
                inTable = true
            } else if inTable, line.hasPrefix("| "), !line.hasPrefix("| --") {
                rows.append(line.dropFirst(2).prefix { $0 != "|" }.trimmingCharacters(in: .whitespaces))
            } else if !line.hasPrefix("|") {
                inTable = false
            }
        }
        return rows
    }

    /// Figures the quality lines and the step sentence name.
    static let named = [
        "throttled", "max in flight", "window", "server decode tok/s", "client-bound", "dispatch lag", "acc_norm",
        "MC2", "ECE", "Brier", "IFEval prompt-level", "instruction-level", "over-refusal", "under-refusal",
        "expected maximum", "toxicity probability", "perplexity", "word perplexity", "byte perplexity", "bits per byte",
        "pass@k", "pass^k", "agreement", "identical text", "Cohen's κ", "Krippendorff's α", "per correct (USD)",
        "per 1K items",
    ]

    @Test func everyMetricShownHasAReadingLine() throws {
        let rows = try Self.markdownRows()
        #expect(rows.contains("TTFA ms") && rows.contains("decode tok/s") && rows.contains("scheduler lag ms"))
        let shown =
            StepTable.headers + HTMLReportRenderer.glanceHeaders + HTMLReportRenderer.qualityHeaders + rows
            + Self.named
        let missing = shown.filter { !Self.identity.contains($0) && MetricGuide.entry(for: $0) == nil }
        #expect(missing.isEmpty, "no reading line for \(missing)")
    }

    @Test func theGuideMatchesNamesNotWordsInsideThem() {
        #expect(MetricGuide.entry(for: "TTFT p99 ms")?.metric == "TTFT (ms)")
        #expect(MetricGuide.entry(for: "TTFA ms")?.metric == "TTFA (ms)")
        #expect(MetricGuide.entry(for: "bits per byte")?.metric.contains("bits per byte") == true)
        #expect(MetricGuide.entry(for: "colour") == nil)
        #expect(MetricGuide.entry(for: "lag") == nil)
    }
}
