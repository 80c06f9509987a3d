public import BenchMetrics

/// The per-step table shared by the console and Markdown renderers.
public enum StepTable {
    /// Column headers, with units.
    public static let headers = [
        "target", "load", "ok", "fail", "TTFT p50 ms", "TTFT p99 ms", "ITL p50 ms", "ITL p99 ms",
        "E2E p50 ms", "E2E p99 ms", "out tok/s", "req/s", "goodput req/s", "errors",
    ]

    /// The row of a report's step, its label marked when the step is client-bound.
    public static func row(target: String, step: BenchmarkReport.Step) -> [String] {
        row(target: target, label: step.displayLabel, metrics: step.metrics)
    }

    /// One row of the table.
    public static func row(target: String, label: String, metrics m: StepSummary) -> [String] {
        [
            target, label, String(m.counts.succeeded), String(m.counts.failed),
            NumberFormatting.value(m.ttftMs.p50), NumberFormatting.value(m.ttftMs.p99),
            NumberFormatting.value(m.itlMs.p50), NumberFormatting.value(m.itlMs.p99),
            NumberFormatting.value(m.e2eMs.p50), NumberFormatting.value(m.e2eMs.p99),
            NumberFormatting.value(m.outputTps), NumberFormatting.value(m.requestRps),
            NumberFormatting.value(m.goodputRps), NumberFormatting.percent(m.errorRate),
        ]
    }

    /// Rows aligned in columns: text left, numbers right.
    public static func aligned(_ rows: [[String]]) -> String {
        guard let first = rows.first else { return "" }
        let widths = (0..<first.count).map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { column, cell in
                let pad = String(repeating: " ", count: widths[column] - cell.count)
                return column < 2 ? cell + pad : pad + cell
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }
}
