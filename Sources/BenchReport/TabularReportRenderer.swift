public import BenchCore
import BenchEval
import BenchMetrics
import Foundation

/// The report as CSV: one row per target and step, full-precision numbers, empty where not available.
public enum TabularReportRenderer {
    /// CSV columns, units in the names.
    public static let csvHeaders = [
        "target", "load", "succeeded", "failed", "cancelled", "ttft_p50_ms", "ttft_p99_ms", "ttfa_p50_ms",
        "itl_p50_ms", "itl_p99_ms", "e2e_p50_ms", "e2e_p99_ms", "decode_tps_p50", "output_tps", "request_rps",
        "goodput_rps", "error_rate", "throttle_rate", "usd_per_1m_output_tokens", "window_s",
    ]

    public static func csv(_ report: BenchmarkReport) -> String {
        var lines = [csvHeaders.joined(separator: ",")]
        for target in report.targets {
            for step in target.steps {
                let m = step.metrics
                let numbers: [Double?] = [
                    m.ttftMs.p50, m.ttftMs.p99, m.ttfaMs.p50, m.itlMs.p50, m.itlMs.p99, m.e2eMs.p50, m.e2eMs.p99,
                    m.decodeTps.p50, m.outputTps, m.requestRps, m.goodputRps, m.errorRate, m.throttleRate,
                    m.cost?.usdPer1mOutputTokens, m.window?.lengthS,
                ]
                let cells =
                    [field(target.name), field(step.label)]
                    + [m.counts.succeeded, m.counts.failed, m.counts.cancelled].map(String.init)
                    + numbers.map { $0.map { String($0) } ?? "" }
                lines.append(cells.joined(separator: ","))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Quality summaries as CSV, one row per target and task: accuracy with its interval, counts, cost.
    public static func qualityCSV(_ report: BenchmarkReport) -> String {
        let headers = [
            "target", "task", "output_type", "method", "items", "accuracy", "accuracy_lower", "accuracy_upper",
            "correct", "incorrect", "unparsed", "failed", "truncated", "censored", "accuracy_if_cut_wrong",
            "accuracy_if_cut_right", "cost_usd", "cost_per_correct_usd", "cost_per_1k_items_usd",
        ]
        var lines = [headers.joined(separator: ",")]
        for target in report.targets {
            for s in target.quality ?? [] {
                let numbers: [Double?] = [s.accuracy, s.interval?.lower, s.interval?.upper]
                let cells =
                    [field(target.name), field(s.task), s.outputType, s.method ?? "", String(s.items)]
                    + numbers.map { $0.map { String($0) } ?? "" }
                    + [s.correct, s.incorrect, s.unparsed, s.failed, s.truncated].map(String.init)
                    + [s.censored.map(String.init) ?? ""]
                    + [
                        s.accuracyBounds?.ifCutWrong, s.accuracyBounds?.ifCutRight, s.costUSD, s.costPerCorrectUSD,
                        s.costPer1KItemsUSD,
                    ].map { $0.map { String($0) } ?? "" }
                lines.append(cells.joined(separator: ","))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Raw records as CSV: identity, outcome, the per-request metrics (empty where undefined) and token counts.
    public static func recordsCSV(_ records: [RequestRecord]) -> String {
        let headers = [
            "id", "target", "step", "segment", "outcome", "error_kind", "http_status", "ttft_ms", "ttfa_ms",
            "itl_ms", "e2e_ms", "output_tokens", "output_token_source", "input_tokens", "finish_reason",
        ]
        var lines = [headers.joined(separator: ",")]
        for r in records {
            let cells: [String] = [
                String(r.id), field(r.target), String(r.step), String(r.segment), r.outcome.rawValue,
                r.error?.kind.rawValue ?? "", r.httpStatus.map(String.init) ?? "",
                r.timeToFirstToken.map { String($0.milliseconds) } ?? "",
                r.timeToFirstAnswer.map { String($0.milliseconds) } ?? "",
                r.interTokenLatency.map { String($0.milliseconds) } ?? "",
                r.endToEndLatency.map { String($0.milliseconds) } ?? "", String(r.outputTokens),
                r.outputTokenSource.rawValue, r.usage?.inputTokens.map(String.init) ?? "",
                r.finishReason?.rawValue ?? "",
            ]
            lines.append(cells.joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A CSV field, quoted when it holds a comma, quote or line break.
    static func field(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Text made safe inside HTML elements and attribute values.
    public static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
