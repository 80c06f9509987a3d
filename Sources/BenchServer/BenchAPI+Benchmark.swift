import BenchEngine
import BenchCore
import BenchMetrics
import BenchReport
import BenchStore
import Foundation
import HTTPTypes
import Hummingbird

extension BenchAPI {
    /// `POST /v1/benchmark`: a small benchmark answered inline. The body names a target (a saved target's name or a
    /// target object), prompts, and optionally `max_tokens`, `concurrency`, `requests`, `temperature` and the
    /// `metrics` to return. It is mapped into a spec and checked by the same validator as every run
    /// (``SyncBenchmarkBody``), runs at once through the process's engine — its HTTP client and its endpoint limits,
    /// shared with every other run — within the size and time limits, and stores nothing.
    func benchmark(_ request: Request) async throws -> Response {
        let fields = try await jsonObject(request, expected: "expected a JSON object with target and prompts")
        let body = try SyncBenchmarkBody(fields, maxRequests: configuration.syncMaxRequests)
        let spec = try await Problem.unprocessable(pointer: SyncBenchmarkBody.bodyPointer) {
            try await service.validated(body.document)
        }
        if let requests = spec.maxRequests, requests > configuration.syncMaxRequests {
            throw Problem(
                .unprocessableContent,
                "POST /v1/benchmark runs at most \(configuration.syncMaxRequests) requests; submit larger jobs to POST /v1/runs",
                field: "/requests")
        }
        let limit = configuration.syncTimeout
        guard let report = try await service.runInline(spec, timeout: limit) else {
            throw Problem(
                .gatewayTimeout,
                "the benchmark did not finish within \(limit.seconds) s; submit it to POST /v1/runs instead")
        }
        return try Self.json(SyncResult(report: report, metrics: body.metrics))
    }

    /// `GET /v1/compare?runs=a,b,…`: the headline figures of several finished runs side by side.
    func compare(_ request: Request) async throws -> Response {
        let ids = (request.uri.queryParameters["runs"].map(String.init) ?? "").split(separator: ",").map(String.init)
        guard (2...10).contains(ids.count) else {
            throw Problem(.badRequest, "give 2 to 10 run ids, comma-separated", field: "runs")
        }
        var rows: [ComparedStep] = []
        for id in ids {
            guard let run = try await store.run(id: id) else { throw Problem.notFound("run \(id)") }
            guard let data = try await store.report(runID: id),
                let report = try? JSONDecoder().decode(BenchmarkReport.self, from: data)
            else {
                throw Problem(.conflict, "run \(id) has no report yet (it is \(run.status.rawValue))", field: "runs")
            }
            rows += StepHeadline.rows(report).map { ComparedStep(run: id, step: $0) }
        }
        return try Self.json(["rows": rows])
    }
}

struct ComparedStep: Encodable {
    var run: String
    var step: StepHeadline

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(run, forKey: .run)
        try step.encode(to: encoder)
    }

    enum Key: String, CodingKey { case run }
}

/// The answer of `POST /v1/benchmark`: the requested headline metrics per step, and the full report.
struct SyncResult: Encodable {
    var report: BenchmarkReport
    var metrics: [String]

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(report, forKey: .report)
        let steps = report.targets.flatMap { target in
            target.steps.map { step -> [String: JSONValue] in
                let m = step.metrics
                var values: [String: JSONValue] = ["target": .string(target.name), "load": .string(step.label)]
                func put(_ name: String, _ value: Double?) { values[name] = value.map(JSONValue.number) ?? .null }
                for name in metrics {
                    switch name {
                    case "ttft": put("ttft_p50_ms", m.ttftMs.p50); put("ttft_p99_ms", m.ttftMs.p99)
                    case "itl": put("itl_p50_ms", m.itlMs.p50); put("itl_p99_ms", m.itlMs.p99)
                    case "e2e": put("e2e_p50_ms", m.e2eMs.p50); put("e2e_p99_ms", m.e2eMs.p99)
                    case "output_tps": put("output_tps", m.outputTps)
                    case "request_rps": put("request_rps", m.requestRps)
                    case "error_rate": put("error_rate", m.errorRate)
                    case "cost": put("usd_per_request", m.cost?.usdPerRequest)
                    default: put("output_tokens_mean", m.outputTokens.mean)
                    }
                }
                return values
            }
        }
        try container.encode(steps, forKey: .metrics)
    }

    enum Key: String, CodingKey { case report, metrics }
}
