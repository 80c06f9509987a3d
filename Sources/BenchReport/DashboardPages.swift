public import BenchCore
import Foundation

/// The service's dashboard, rendered on the server as plain HTML that works offline (inline CSS, SVG charts, one
/// small inline script for live progress): the runs list, a run's page, and the comparison of several runs.
public enum DashboardPages {
    /// What a page shows of a run.
    public struct Run: Sendable, Hashable {
        public var id: String
        public var status: String
        public var isActive: Bool
        public var targets: [String]
        public var createdAt: String
        public var done: Int
        public var total: Int?
        public var error: String?

        public init(
            id: String, status: String, isActive: Bool, targets: [String], createdAt: String, done: Int,
            total: Int?, error: String?
        ) {
            self.id = id
            self.status = status
            self.isActive = isActive
            self.targets = targets
            self.createdAt = createdAt
            self.done = done
            self.total = total
            self.error = error
        }

        /// "done of total" with a percentage, or the count alone while the total is unknown.
        var progress: String {
            guard let total, total > 0 else { return "\(done)" }
            return "\(done) of \(total) (\(Int((Double(done) / Double(total) * 100).rounded())) %)"
        }
    }

    static func escape(_ text: String) -> String { TabularReportRenderer.escape(text) }

    /// A path segment percent-encoded (run ids are the server's own, but links never trust that).
    static func path(_ segment: String) -> String {
        segment.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-_.~")))
            ?? segment
    }

    static func page(title: String, body: String) -> String {
        """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(escape(title))</title>
        <style>\(HTMLReportRenderer.style)
        nav{margin-bottom:1rem}nav a{margin-right:1rem}.status{font-weight:600}
        .running,.queued{color:#0072B2}.succeeded{color:#009E73}.failed,.cancelled{color:#D55E00}
        progress{width:min(420px,100%)}</style></head>
        <body><nav><a href="/">Runs</a><a href="/docs">API</a></nav>
        \(body)
        </body></html>

        """
    }

    /// The runs, newest first, with their status and progress; a form picks runs to compare.
    public static func runsList(_ runs: [Run]) -> String {
        let rows = runs.map { run in
            """
            <tr><td><input type="checkbox" name="runs" value="\(escape(run.id))" aria-label="compare \(escape(run.id))"></td>\
            <td><a href="/runs/\(escape(path(run.id)))">\(escape(run.id))</a></td>\
            <td class="status \(escape(run.status))">\(escape(run.status))</td>\
            <td>\(escape(run.targets.joined(separator: ", ")))</td><td class="n">\(escape(run.progress))</td>\
            <td>\(escape(run.createdAt))</td></tr>
            """
        }
        let table =
            runs.isEmpty
            ? "<p>No runs yet: start one with <code>POST /v1/runs</code> (see <a href=\"/docs\">the API</a>).</p>"
            : """
            <form action="/compare" method="get"><div class="scroll"><table id="runs"><thead><tr><th>compare</th>\
            <th>run</th><th>status</th><th>targets</th><th>requests done</th><th>created (UTC)</th></tr></thead>
            <tbody>\(rows.joined(separator: "\n"))</tbody></table></div>
            <button type="submit">Compare the selected runs</button></form>
            """
        return page(title: "llmbench runs", body: "<h1>Runs</h1>\n" + table)
    }

    /// A run: its status and live progress while it runs (server-sent events), its report once finished.
    public static func runPage(_ run: Run, reportHTML: String?) -> String {
        var body = """
            <h1>\(escape(run.id))</h1>
            <p>Run <code>\(escape(run.id))</code> · targets \(escape(run.targets.joined(separator: ", "))) · created \(escape(run.createdAt))</p>
            <p>Status <span id="status" class="status \(escape(run.status))">\(escape(run.status))</span> ·
            requests done <span id="done">\(escape(run.progress))</span></p>
            """
        if let total = run.total, total > 0 {
            body += "<progress id=\"progress\" max=\"\(total)\" value=\"\(run.done)\"></progress>\n"
        }
        if let error = run.error { body += "<p class=\"failed\">\(escape(error))</p>\n" }
        if run.isActive {
            body += """
                <p id="live" data-events="/v1/runs/\(escape(path(run.id)))/events">Requests seen live: \
                <span id="requests">0</span> · last step finished: <span id="step">–</span></p>
                <script>
                const events = new EventSource(document.getElementById("live").dataset.events);
                let requests = 0;
                events.addEventListener("status", e => {
                  const run = JSON.parse(e.data);
                  document.getElementById("status").textContent = run.status;
                  const p = run.progress;
                  document.getElementById("done").textContent = p.total ? p.done + " of " + p.total : String(p.done);
                  const bar = document.getElementById("progress");
                  if (bar && p.total) { bar.max = p.total; bar.value = p.done; }
                });
                events.addEventListener("request", () => {
                  document.getElementById("requests").textContent = String(++requests);
                });
                events.addEventListener("step", e => {
                  const step = JSON.parse(e.data);
                  document.getElementById("step").textContent = step.target + " " + step.step.label;
                });
                for (const end of ["succeeded", "failed", "cancelled"]) {
                  events.addEventListener(end, () => { events.close(); location.reload(); });
                }
                </script>
                """
        }
        if let reportHTML { body += reportHTML }
        return page(title: "llmbench run \(run.id)", body: body)
    }

    /// Several runs side by side: their targets (named `run: target`) in one report — the speed table and charts,
    /// quality with intervals, cost. Paired quality comparisons need the items and stay on each run's page.
    public static func comparison(_ runs: [(name: String, report: BenchmarkReport, records: [RequestRecord])])
        -> String
    {
        guard var merged = runs.first?.report else {
            return page(title: "llmbench comparison", body: "<h1>Comparison</h1><p>Select runs on the runs list.</p>")
        }
        merged.targets = runs.flatMap { run in
            run.report.targets.map { target in
                var renamed = target
                renamed.name = "\(run.name): \(target.name)"
                return renamed
            }
        }
        merged.qualityComparisons = nil
        let records = runs.flatMap { run in
            run.records.map { record in
                var renamed = record
                renamed.target = "\(run.name): \(record.target)"
                return renamed
            }
        }
        let names = runs.map(\.name).joined(separator: ", ")
        let provenance = runs.map { run in
            "<li>\(escape(run.name)): llmbench \(escape(run.report.llmbenchVersion)), generated \(escape(run.report.generatedAt)), seed \(run.report.seed)"
                + (run.report.temperature.map { ", temperature \(NumberFormatting.value($0))" } ?? "") + "</li>"
        }.joined()
        return page(
            title: "llmbench comparison",
            body: "<h1>Comparison of \(escape(names))</h1>\n<ul class=\"meta\">\(provenance)</ul>\n"
                + HTMLReportRenderer.sections(merged, records: records, provenance: false))
    }
}
