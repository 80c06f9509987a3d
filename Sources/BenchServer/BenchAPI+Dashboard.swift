import BenchEngine
import BenchCore
import BenchReport
import BenchStore
import Foundation
import Hummingbird

/// The dashboard's pages: server-rendered HTML that works offline (docs/service.md).
extension BenchAPI {
    var dashboardOperations: [APIOperation] {
        let html = "text/html"
        return [
            APIOperation(
                method: .get, path: "/", operationID: "dashboard",
                summary: "The dashboard: every run with its status and progress; pick runs to compare.",
                requiresAuth: false, parameters: [], requestBody: [:],
                responses: [200: .init("the runs page", [html: "Text"])]
            ) { _, _ in
                try await dashboardRuns()
            },
            APIOperation(
                method: .get, path: "/runs/{id}", operationID: "dashboardRun",
                summary: "A run's page: live progress while it runs, its report with charts once finished.",
                requiresAuth: false,
                parameters: [
                    .init(
                        name: "id", location: .path, description: "the run's id", schema: ["type": .string("string")],
                        required: true)
                ],
                requestBody: [:],
                responses: [200: .init("the run's page", [html: "Text"])].merging(Self.problems([404])) { own, _ in own
                }
            ) { _, context in
                try await dashboardRun(context)
            },
            APIOperation(
                method: .get, path: "/compare", operationID: "dashboardCompare",
                summary: "Several finished runs side by side: speed, quality with intervals, cost, and the charts.",
                requiresAuth: false,
                parameters: [
                    .init(
                        name: "runs", location: .query,
                        description: "run ids, comma-separated or the parameter repeated",
                        schema: ["type": .string("string")], required: false)
                ],
                requestBody: [:],
                responses: [200: .init("the comparison page", [html: "Text"])].merging(Self.problems([404])) {
                    own, _ in own
                }
            ) { request, _ in
                try await dashboardCompare(request)
            },
        ]
    }

    static func dashboardRow(_ run: StoredRun) -> DashboardPages.Run {
        DashboardPages.Run(
            id: run.id, status: run.status.rawValue, isActive: run.status.isActive, targets: run.targets,
            createdAt: ISO8601DateFormatter().string(from: run.createdAt), done: run.done, total: run.total,
            error: run.error)
    }

    func dashboardRuns() async throws -> Response {
        let page = try await store.listRuns(status: nil, target: nil, limit: 200, after: nil)
        return try Self.text(
            DashboardPages.runsList(page.items.map(Self.dashboardRow)), type: "text/html; charset=utf-8")
    }

    func dashboardRun(_ context: BasicRequestContext) async throws -> Response {
        let run = try await existingRun(context)
        var report: String?
        if let stored = try await finishedReport(run) {
            report = HTMLReportRenderer.sections(stored, records: try await storedRecords(run, stored))
        }
        return try Self.text(
            DashboardPages.runPage(Self.dashboardRow(run), reportHTML: report), type: "text/html; charset=utf-8")
    }

    func dashboardCompare(_ request: Request) async throws -> Response {
        let ids = request.uri.queryParameters.getAll("runs").flatMap { $0.split(separator: ",") }.map {
            $0.trimmingCharacters(in: .whitespaces)
        }.filter { !$0.isEmpty }
        var runs: [(name: String, report: BenchmarkReport, records: [RequestRecord])] = []
        for id in ids {
            guard let run = try await store.run(id: id) else { throw Problem.notFound("run \(id)") }
            guard let report = try await finishedReport(run) else {
                throw Problem(.notFound, "run \(id) has no report yet (it is \(run.status.rawValue))")
            }
            runs.append((id, report, try await storedRecords(run, report)))
        }
        return try Self.text(DashboardPages.comparison(runs), type: "text/html; charset=utf-8")
    }

    /// The run's stored report, nil until it has one.
    func finishedReport(_ run: StoredRun) async throws -> BenchmarkReport? {
        try await store.report(runID: run.id).flatMap { try? JSONDecoder().decode(BenchmarkReport.self, from: $0) }
    }

    /// Every stored record of the report's targets and steps (for the latency distributions).
    func storedRecords(_ run: StoredRun, _ report: BenchmarkReport) async throws -> [RequestRecord] {
        var records: [RequestRecord] = []
        for target in report.targets {
            for step in target.steps {
                records += try await store.records(runID: run.id, target: target.name, step: step.index)
            }
        }
        return records
    }
}
