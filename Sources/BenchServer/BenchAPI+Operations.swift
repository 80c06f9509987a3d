import BenchEngine
import BenchCore
import BenchReport
import BenchStore
import BenchMetrics
import Foundation
import Prometheus
import HTTPTypes
import Hummingbird

extension BenchAPI {
    private static let problem = "application/problem+json"
    static func problems(_ statuses: [Int]) -> [Int: APIOperation.ResponseDoc] {
        let descriptions = [
            400: "malformed request", 401: "missing or wrong bearer token", 404: "no such resource",
            409: "the resource is not in a state that allows this", 413: "request too large",
            415: "unsupported media type", 422: "invalid content; `field` names the field at fault",
            503: "not ready", 504: "did not finish in time",
        ]
        return Dictionary(
            uniqueKeysWithValues: statuses.map { ($0, .init(descriptions[$0] ?? "error", [problem: "Problem"])) })
    }

    private static func query(_ name: String, _ description: String, _ schema: [String: JSONSchemaValue])
        -> APIOperation.Parameter
    {
        .init(name: name, location: .query, description: description, schema: schema, required: false)
    }

    private static func path(_ name: String, _ description: String) -> APIOperation.Parameter {
        .init(
            name: name, location: .path, description: description, schema: ["type": .string("string")], required: true)
    }

    /// Every operation of the API, in the order the document lists them.
    public var operations: [APIOperation] {
        let json = "application/json"
        let runID = Self.path("id", "the run's id")
        let targetName = Self.path("name", "the saved target's name")
        let scheduleName = Self.path("name", "the schedule's name")
        func op(
            _ method: HTTPRequest.Method, _ path: String, _ id: String, _ summary: String, auth: Bool = false,
            parameters: [APIOperation.Parameter] = [], body: [String: String] = [:],
            responses: [Int: APIOperation.ResponseDoc], errors: [Int] = [],
            _ handler: @escaping @Sendable (Request, BasicRequestContext) async throws -> Response
        ) -> APIOperation {
            var all = responses.merging(Self.problems(errors + (auth ? [401] : []))) { own, _ in own }
            if !body.isEmpty { all.merge(Self.problems([413, 415])) { own, _ in own } }
            return APIOperation(
                method: method, path: path, operationID: id, summary: summary, requiresAuth: auth,
                parameters: parameters, requestBody: body, responses: all, handler: handler)
        }
        return [
            op(
                .post, "/v1/runs", "createRun",
                "Submit a benchmark run: a spec (the CLI's spec file, as JSON or YAML); it is queued and runs in the background.",
                auth: true, body: [json: "Spec", "application/yaml": "Spec"],
                responses: [202: .init("queued", [json: "Run"])], errors: [400, 422]
            ) { request, _ in
                try await createRun(request)
            },
            op(
                .get, "/v1/runs", "listRuns", "List runs, newest first, a page at a time.",
                parameters: [
                    Self.query(
                        "status", "only runs with this status",
                        ["type": .string("string"), "enum": .strings(RunStatus.allCases.map(\.rawValue))]),
                    Self.query("target", "only runs with a target of this name", ["type": .string("string")]),
                    Self.query(
                        "limit", "runs per page (1–200, default 50)",
                        ["type": .string("integer"), "minimum": .integer(1), "maximum": .integer(200)]),
                    Self.query("cursor", "the `next` value of the previous page", ["type": .string("string")]),
                ],
                responses: [200: .init("a page of runs", [json: "RunPage"])], errors: [400]
            ) { request, _ in
                try await listRuns(request)
            },
            op(
                .get, "/v1/runs/{id}", "getRun", "A run: status, progress and, once finished, its summary.",
                parameters: [runID], responses: [200: .init("the run", [json: "RunDetail"])], errors: [404]
            ) { _, context in
                try await getRun(context)
            },
            op(
                .get, "/v1/runs/{id}/records", "getRunRecords",
                "The run's raw request records in request-id order: JSON lines, or CSV with `Accept: text/csv`. A full page sets `X-Next-After`.",
                parameters: [
                    runID,
                    Self.query(
                        "after", "return records with a larger request id",
                        ["type": .string("integer"), "minimum": .integer(-1)]),
                    Self.query(
                        "limit", "records per page (1–10000, default 1000)",
                        ["type": .string("integer"), "minimum": .integer(1), "maximum": .integer(10_000)]),
                ],
                responses: [200: .init("records", ["application/x-ndjson": "RecordLines", "text/csv": "CSV"])],
                errors: [400, 404]
            ) { request, context in
                try await runRecords(request, context)
            },
            op(
                .get, "/v1/runs/{id}/report", "getRunReport",
                "The finished run's report as JSON, Markdown, CSV or HTML.",
                parameters: [
                    runID,
                    Self.query(
                        "format", "json (default), md, csv or html",
                        ["type": .string("string"), "enum": .strings(["json", "md", "csv", "html"])]),
                ],
                responses: [
                    200: .init(
                        "the report", [json: "Report", "text/markdown": "Text", "text/csv": "CSV", "text/html": "Text"])
                ],
                errors: [400, 404]
            ) { request, context in
                try await runReport(request, context)
            },
            op(
                .get, "/v1/runs/{id}/events", "getRunEvents",
                "Server-sent events: every stored record as `request` (its id is its storage position: send it back as `Last-Event-ID` to resume), `step` per finished step, `status` on every change, and a last `succeeded`, `failed` or `cancelled`.",
                parameters: [runID], responses: [200: .init("the event stream", ["text/event-stream": "Text"])],
                errors: [404]
            ) { request, context in
                try await runEvents(request, context)
            },
            op(
                .post, "/v1/runs/{id}/cancel", "cancelRun",
                "Stop a queued or running run; its finished records are kept.",
                auth: true, parameters: [runID], responses: [202: .init("cancelling", [json: "Run"])],
                errors: [404, 409]
            ) { _, context in
                try await cancelRun(context)
            },
            op(
                .delete, "/v1/runs/{id}", "deleteRun", "Delete a finished run with its records and report.",
                auth: true, parameters: [runID], responses: [204: .init("deleted")], errors: [404, 409]
            ) { _, context in
                try await deleteRun(context)
            },
            op(
                .get, "/v1/targets", "listTargets", "Saved model endpoints.",
                responses: [200: .init("saved targets", [json: "TargetList"])]
            ) { _, _ in
                try await listTargets()
            },
            op(
                .post, "/v1/targets", "createTarget",
                "Save a model endpoint (a spec target object with a name); keys are referenced by environment-variable name only.",
                auth: true, body: [json: "TargetDefinition"], responses: [201: .init("saved", [json: "Target"])],
                errors: [400, 409, 422]
            ) { request, _ in
                try await createTarget(request)
            },
            op(
                .get, "/v1/targets/{name}", "getTarget", "A saved model endpoint.", parameters: [targetName],
                responses: [200: .init("the target", [json: "Target"])], errors: [404]
            ) { _, context in
                try await getTarget(context)
            },
            op(
                .put, "/v1/targets/{name}", "replaceTarget", "Create or replace a saved model endpoint.", auth: true,
                parameters: [targetName], body: [json: "TargetDefinition"],
                responses: [200: .init("replaced", [json: "Target"]), 201: .init("created", [json: "Target"])],
                errors: [400, 422]
            ) { request, context in
                try await replaceTarget(request, context)
            },
            op(
                .delete, "/v1/targets/{name}", "deleteTarget", "Delete a saved model endpoint.", auth: true,
                parameters: [targetName], responses: [204: .init("deleted")], errors: [404]
            ) { _, context in
                try await deleteTarget(context)
            },
            op(
                .get, "/v1/schedules", "listSchedules", "Scheduled benchmarks (monitoring).",
                responses: [200: .init("schedules", [json: "ScheduleList"])]
            ) { _, _ in
                try await listSchedules()
            },
            op(
                .post, "/v1/schedules", "createSchedule",
                "Run a spec every `every_s` seconds (at least \(NumberFormatting.value(configuration.minScheduleInterval)) s; the first run starts at once) and compare each run with the runs before it.",
                auth: true, body: [json: "ScheduleDefinition"], responses: [201: .init("created", [json: "Schedule"])],
                errors: [400, 409, 422]
            ) { request, _ in
                try await createSchedule(request)
            },
            op(
                .get, "/v1/schedules/{name}", "getSchedule",
                "A schedule, its recent runs, the changes of its latest finished run against the median of up to five before it (p50/p99 TTFT and E2E, throughput, price-adjusted throughput), answer drift and alerts.",
                parameters: [scheduleName], responses: [200: .init("the schedule", [json: "ScheduleDetail"])],
                errors: [404]
            ) { _, context in
                try await getSchedule(context)
            },
            op(
                .delete, "/v1/schedules/{name}", "deleteSchedule", "Stop and delete a schedule (its runs stay).",
                auth: true, parameters: [scheduleName], responses: [204: .init("deleted")], errors: [404]
            ) { _, context in
                try await deleteSchedule(context)
            },
            op(
                .post, "/v1/benchmark", "benchmark",
                "Run a small benchmark and answer inline (at most \(configuration.syncMaxRequests) requests, \(Int(configuration.syncTimeout.seconds)) s); nothing is stored.",
                auth: true, body: [json: "BenchmarkRequest"],
                responses: [200: .init("the result", [json: "BenchmarkResult"])], errors: [400, 422, 504]
            ) { request, _ in
                try await benchmark(request)
            },
            op(
                .get, "/v1/compare", "compareRuns", "Headline figures of 2–10 finished runs side by side.",
                parameters: [Self.query("runs", "comma-separated run ids", ["type": .string("string")])],
                responses: [200: .init("the comparison", [json: "Comparison"])], errors: [400, 404, 409]
            ) { request, _ in
                try await compare(request)
            },
            op(.get, "/healthz", "health", "The process is up.", responses: [200: .init("up", [json: "Health"])]) {
                _, _ in
                try Self.json(["status": "ok"])
            },
            op(
                .get, "/readyz", "ready", "The store answers.", responses: [200: .init("ready", [json: "Health"])],
                errors: [503]
            ) { _, _ in
                do {
                    _ = try await store.countRuns()
                } catch {
                    throw Problem(.serviceUnavailable, "the store does not answer: \(error)")
                }
                return try Self.json(["status": "ready"])
            },
            op(
                .get, "/metrics", "metrics",
                "Prometheus metrics: runs by status, requests, provider errors, queue depth.",
                responses: [200: .init("metrics", ["text/plain": "Text"])]
            ) { _, _ in
                try Self.text(try await prometheusText(), type: "text/plain; version=0.0.4")
            },
            op(
                .get, "/openapi.json", "openAPIJSON", "This document, as JSON.",
                responses: [200: .init("the document", [json: "Document"])]
            ) { _, _ in
                try Self.text(try OpenAPIDocument.json(self), type: json)
            },
            op(
                .get, "/openapi.yaml", "openAPIYAML", "This document, as YAML.",
                responses: [200: .init("the document", ["application/yaml": "Document"])]
            ) { _, _ in
                try Self.text(try OpenAPIDocument.yaml(self), type: "application/yaml")
            },
            op(
                .get, "/docs", "docs", "A readable reference of this API.",
                responses: [200: .init("the reference page", ["text/html": "Text"])]
            ) { _, _ in
                try Self.text(OpenAPIDocument.html(self), type: "text/html; charset=utf-8")
            },
        ] + dashboardOperations
    }

    static var runsMetric: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "llmbench", metricName: "runs", unitName: "", helpText: "Runs in the store by status.")
    }
    static var queueMetric: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "llmbench", metricName: "queue", unitName: "depth", helpText: "Runs waiting for a worker.")
    }

    /// The Prometheus exposition of the registry: the coordinator's counters (requests, provider errors by kind,
    /// units in progress), the HTTP server's own request metrics, and the runs by status read from the store now.
    func prometheusText() async throws -> String {
        let counts = try await store.countRuns()
        let registry = configuration.metrics
        for status in RunStatus.allCases {
            registry.makeGauge(descriptor: Self.runsMetric, labels: [("status", status.rawValue)])
                .set(Double(counts[status] ?? 0))
        }
        registry.makeGauge(descriptor: Self.queueMetric).set(Double(counts[.queued] ?? 0))
        let process = configuration.processMetrics.map { $0 === registry ? "" : $0.emitToString() } ?? ""
        return registry.emitToString() + process
    }
}
