import ArgumentParser
import BenchEngine
import BenchReport
import Foundation

struct Report: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Render a run's report again: one self-contained HTML page with charts, Markdown, CSV or JSON.",
        discussion: """
            Reads report.json and records.jsonl from a `llmbench bench` output folder. The HTML page has inline \
            CSS and SVG charts drawn by llmbench (latency CDFs, throughput, p99 TTFT and goodput against load with \
            the saturation knee, cost, accuracy with intervals, quality against cost and speed with the Pareto \
            front) and nothing to fetch: it can be mailed or attached to a ticket.
            """
    )

    @Argument(help: "A `llmbench bench` output folder, or a run id with --server.")
    var run: String
    @Option(help: "Fetch the report of run RUN from this `llmbench serve` (e.g. http://127.0.0.1:8088).")
    var server: String?
    @Option(help: "html, md, csv (one row per target and step), quality-csv (one per target and task) or json.")
    var format = "html"
    @Option(help: "Write here instead of standard output.")
    var out: String?
    @Flag(
        help: """
            Recompute each step's client-bound verdict from its stored records under this version's rule, \
            instead of the verdict stored when the run ended.
            """)
    var recomputeVerdicts = false

    func run() async throws {
        do {
            let text: String
            if let server {
                guard !recomputeVerdicts else {
                    throw SpecError(
                        "--recompute-verdicts", "works on a run folder; the service's reports are computed by it")
                }
                guard ["html", "md", "csv", "json"].contains(format) else {
                    throw SpecError("--format", "the service renders html, md, csv or json")
                }
                let (run, format) = (self.run, self.format)
                text = try await Engine.withRunning(.init(connectionsPerHost: 1)) { engine in
                    try await RemoteReport.fetch(server: server, run: run, format: format, engine: engine)
                }
            } else {
                text = try render()
            }
            if let out {
                try Data(text.utf8).write(to: URL(fileURLWithPath: out))
                Console.info("wrote \(out)")
            } else {
                print(text, terminator: text.hasSuffix("\n") ? "" : "\n")
            }
        } catch let error as SpecError {
            Console.error("invalid input: \(error)")
            throw ExitCode(64)
        }
    }

    /// The report of the run folder in `format`.
    private func render() throws -> String {
        let folder = RunFolder(URL(fileURLWithPath: run))
        var report = try folder.report()
        if recomputeVerdicts {
            let steps = report.recomputeClientVerdicts(records: try folder.records())
            Console.status("recomputed the client-bound verdict of \(steps) steps from their records")
        }
        switch format {
        case "html":
            return HTMLReportRenderer.render(
                report, records: try folder.records(),
                title: "llmbench report: \(URL(fileURLWithPath: run).lastPathComponent)")
        case "md": return MarkdownReportRenderer.render(report)
        case "csv": return TabularReportRenderer.csv(report)
        case "quality-csv": return TabularReportRenderer.qualityCSV(report)
        case "json": return try Console.json(report)
        default: throw SpecError("--format", "expected html, md, csv, quality-csv or json")
        }
    }
}
