import BenchEngine
import BenchCore
import BenchEval
import BenchMetrics
import BenchReport
import BenchStore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

extension BenchAPI {
    /// The spec document of a request body (YAML or JSON).
    /// - Throws: ``Problem`` 400 for text that is neither.
    func specDocument(_ request: Request) async throws -> JSONValue {
        do {
            return try BenchSpec.document(try await body(request))
        } catch let error as SpecError {
            throw Problem(.badRequest, error.problem)
        }
    }

    /// The body as a JSON object.
    /// - Throws: ``Problem`` 400: "not valid JSON at line L, column C: …", or `expected` for valid JSON that is not
    ///   an object.
    func jsonObject(_ request: Request, expected: String) async throws -> [String: JSONValue] {
        let value: JSONValue
        do {
            value = try JSONParser.parse(try await body(request))
        } catch let error as JSONParser.SyntaxError {
            throw Problem(.badRequest, error.description)
        }
        guard case .object(let fields) = value else { throw Problem(.badRequest, expected) }
        return fields
    }

    // MARK: Handlers

    func createRun(_ request: Request) async throws -> Response {
        let document = try await specDocument(request)
        let run = try await Problem.unprocessable { try await service.submit(document) }
        return try Self.json(RunView(run), status: .accepted, headers: [.location: "/v1/runs/\(run.id)"])
    }

    func listRuns(_ request: Request) async throws -> Response {
        let query = request.uri.queryParameters
        let status = try query["status"].map { value in
            guard let status = RunStatus(rawValue: String(value)) else {
                let known = RunStatus.allCases.map(\.rawValue).joined(separator: ", ")
                throw Problem(.badRequest, "unknown status \"\(value)\" (known: \(known))", field: "status")
            }
            return status
        }
        let limit = try Self.integer(query["limit"].map(String.init), field: "limit", range: 1...200) ?? 50
        do {
            let page = try await store.listRuns(
                status: status, target: query["target"].map(String.init), limit: limit,
                after: query["cursor"].map(String.init))
            return try Self.json(RunPage(items: page.items.map(RunView.init), next: page.next))
        } catch StoreError.invalidCursor(let cursor) {
            throw Problem(
                .badRequest, "invalid cursor \"\(cursor)\": use the next value of the previous page", field: "cursor")
        }
    }

    func getRun(_ context: BasicRequestContext) async throws -> Response {
        let run = try await existingRun(context)
        let report = try await store.report(runID: run.id).flatMap {
            try? JSONDecoder().decode(BenchmarkReport.self, from: $0)
        }
        return try Self.json(RunDetail(run: RunView(run), summary: report.map(StepHeadline.rows)))
    }

    func runRecords(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let run = try await existingRun(context)
        let query = request.uri.queryParameters
        let after = try Self.integer(query["after"].map(String.init), field: "after", range: -1...Int.max)
        let limit = try Self.integer(query["limit"].map(String.init), field: "limit", range: 1...10_000) ?? 1_000
        let records = try await store.records(runID: run.id, afterRequestID: after, limit: limit)
        var headers: HTTPFields = [:]
        if records.count == limit, let last = records.last {
            headers[HTTPField.Name("X-Next-After")!] = String(last.id)
        }
        if (request.headers[.accept] ?? "").contains("text/csv") {
            return try Self.text(TabularReportRenderer.recordsCSV(records), type: "text/csv", headers: headers)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let lines = try records.map { String(decoding: try encoder.encode($0), as: UTF8.self) + "\n" }.joined()
        return try Self.text(lines, type: "application/x-ndjson", headers: headers)
    }

    func runReport(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let run = try await existingRun(context)
        let format = request.uri.queryParameters["format"].map(String.init) ?? "json"
        guard ["json", "md", "csv", "html"].contains(format) else {
            throw Problem(.badRequest, "format must be json, md, csv or html", field: "format")
        }
        guard let data = try await store.report(runID: run.id) else {
            throw Problem(.notFound, "run \(run.id) has no report yet (it is \(run.status.rawValue))")
        }
        if format == "json" { return try Self.text(String(decoding: data, as: UTF8.self), type: "application/json") }
        let report = try JSONDecoder().decode(BenchmarkReport.self, from: data)
        switch format {
        case "md": return try Self.text(MarkdownReportRenderer.render(report), type: "text/markdown; charset=utf-8")
        case "csv": return try Self.text(TabularReportRenderer.csv(report), type: "text/csv")
        default:
            return try Self.text(
                HTMLReportRenderer.render(
                    report, records: try await storedRecords(run, report), title: "llmbench run \(run.id)"),
                type: "text/html; charset=utf-8")
        }
    }

    func runEvents(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let run = try await existingRun(context)
        let follower = RunEventsFollower(service: service, runID: run.id)
        let after = request.headers[HTTPField.Name("Last-Event-ID")!].flatMap { Int64($0) } ?? 0
        return Response(
            status: .ok,
            headers: [.contentType: "text/event-stream", .cacheControl: "no-store"],
            body: ResponseBody { writer in
                try await follower.follow(after: after) { event in
                    try await writer.write(ByteBuffer(string: try event.serverSentEvent()))
                }
                try await writer.finish(nil)
            }
        )
    }

    func cancelRun(_ context: BasicRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        guard let before = try await store.run(id: id) else { throw Problem.notFound("run \(id)") }
        guard before.status.isActive, try await store.cancelRun(id: id, at: Date()) != nil else {
            throw Problem(.conflict, "run \(id) has already ended (\(before.status.rawValue))")
        }
        await service.cancelLocally(runID: id)
        try await store.updateProgress(runID: id, done: try await store.recordCount(runID: id))
        guard let run = try await store.run(id: id) else { throw Problem.notFound("run \(id)") }
        return try Self.json(RunView(run), status: .accepted)
    }

    func deleteRun(_ context: BasicRequestContext) async throws -> Response {
        let run = try await existingRun(context)
        guard !run.status.isActive else {
            throw Problem(.conflict, "run \(run.id) is \(run.status.rawValue): cancel it first")
        }
        _ = try await store.deleteRun(id: run.id)
        return Response(status: .noContent)
    }

    func existingRun(_ context: BasicRequestContext) async throws -> StoredRun {
        let id = try context.parameters.require("id")
        guard let run = try await store.run(id: id) else { throw Problem.notFound("run \(id)") }
        return run
    }

    /// An optional integer query parameter within `range`.
    static func integer(_ text: String?, field: String, range: ClosedRange<Int>) throws -> Int? {
        guard let text else { return nil }
        guard let value = Int(text), range.contains(value) else {
            throw Problem(
                .badRequest, "expected a whole number from \(range.lowerBound) to \(range.upperBound)", field: field)
        }
        return value
    }
}

struct RunPage: Encodable {
    var items: [RunView]
    var next: String?
}

struct RunDetail: Encodable {
    var run: RunView
    var summary: [StepHeadline]?

    func encode(to encoder: any Encoder) throws {
        try run.encode(to: encoder)
        var container = encoder.container(keyedBy: Key.self)
        try container.encodeIfPresent(summary, forKey: .summary)
        try container.encodeIfPresent(summary == nil ? nil : "\(run.url)/report", forKey: .reportURL)
    }

    enum Key: String, CodingKey {
        case summary
        case reportURL = "report_url"
    }
}

/// The headline figures of one step, for run pages and comparisons.
struct StepHeadline: Encodable {
    var target: String
    var model: String
    var load: String
    var succeeded: Int
    var failed: Int
    var ttftP50Ms: Double?
    var ttftP99Ms: Double?
    var itlP50Ms: Double?
    var e2eP50Ms: Double?
    var e2eP99Ms: Double?
    var outputTps: Double?
    var requestRps: Double?
    var errorRate: Double?
    var usdPer1MOutputTokens: Double?
    /// Whether the step's figures may describe llmbench rather than the endpoint (null when unknown).
    var clientBound: Bool?

    static func rows(_ report: BenchmarkReport) -> [StepHeadline] {
        report.targets.flatMap { target in
            target.steps.map { step in
                let m = step.metrics
                return StepHeadline(
                    target: target.name, model: target.model, load: step.label, succeeded: m.counts.succeeded,
                    failed: m.counts.failed, ttftP50Ms: m.ttftMs.p50, ttftP99Ms: m.ttftMs.p99, itlP50Ms: m.itlMs.p50,
                    e2eP50Ms: m.e2eMs.p50, e2eP99Ms: m.e2eMs.p99, outputTps: m.outputTps, requestRps: m.requestRps,
                    errorRate: m.errorRate, usdPer1MOutputTokens: m.cost?.usdPer1mOutputTokens,
                    clientBound: step.client?.clientBound)
            }
        }
    }

    enum CodingKeys: String, CodingKey {
        case target, model, load, succeeded, failed
        case ttftP50Ms = "ttft_p50_ms"
        case ttftP99Ms = "ttft_p99_ms"
        case itlP50Ms = "itl_p50_ms"
        case e2eP50Ms = "e2e_p50_ms"
        case e2eP99Ms = "e2e_p99_ms"
        case outputTps = "output_tps"
        case requestRps = "request_rps"
        case errorRate = "error_rate"
        case usdPer1MOutputTokens = "usd_per_1m_output_tokens"
        case clientBound = "client_bound"
    }
}
