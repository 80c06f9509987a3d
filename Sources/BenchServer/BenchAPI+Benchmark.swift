import BenchApp
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
    /// `metrics` to return; it runs at once, within the size and time limits, and stores nothing.
    func benchmark(_ request: Request) async throws -> Response {
        guard case .object(let fields) = try? JSONParser.parse(try await body(request)) else {
            throw Problem(.badRequest, "expected a JSON object with target and prompts")
        }
        let allowed: Set<String> = [
            "target", "prompts", "max_tokens", "concurrency", "requests", "temperature", "metrics",
        ]
        if let unknown = fields.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw Problem(
                .unprocessableContent, "unknown field (known: \(allowed.sorted().joined(separator: ", ")))",
                field: unknown)
        }
        let target: JSONValue
        switch fields["target"] {
        case .string(let name)?: target = .object(["target": .string(name)])
        case .object(let object)?: target = .object(object)
        default: throw Problem(.unprocessableContent, "give a saved target's name or a target object", field: "target")
        }
        guard case .array(let prompts)? = fields["prompts"], !prompts.isEmpty else {
            throw Problem(.unprocessableContent, "give at least one prompt", field: "prompts")
        }
        let requests = fields["requests"]?.integer ?? prompts.count
        guard requests >= 1, requests <= configuration.syncMaxRequests, prompts.count <= configuration.syncMaxRequests
        else {
            throw Problem(
                .contentTooLarge,
                "POST /v1/benchmark runs at most \(configuration.syncMaxRequests) requests; submit larger jobs to POST /v1/runs",
                field: prompts.count > configuration.syncMaxRequests ? "prompts" : "requests")
        }
        let metricNames = try Self.metricNames(fields["metrics"])
        var document: [String: JSONValue] = [
            "targets": .array([target]),
            "prompts": .object([
                "items": .array(prompts), "output_tokens": fields["max_tokens"] ?? .number(64),
            ]),
            "load": .object([
                "concurrency": .array([fields["concurrency"] ?? .number(1)]), "requests": .number(Double(requests)),
            ]),
        ]
        if let temperature = fields["temperature"] { document["request"] = .object(["temperature": temperature]) }
        let spec = try validated(try await resolveSavedTargets(.object(document)))
        let environment = coordinator.environment
        let limit = configuration.syncTimeout
        let report = try await withThrowingTaskGroup(of: BenchmarkReport?.self) { group in
            group.addTask { try await BenchmarkRun(spec: spec, outputDirectory: nil, environment: environment).run() }
            group.addTask {
                try await Task.sleep(for: limit)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let report = first else {
                throw Problem(
                    .gatewayTimeout,
                    "the benchmark did not finish within \(limit.seconds) s; submit it to POST /v1/runs instead")
            }
            return report
        }
        return try Self.json(SyncResult(report: report, metrics: metricNames))
    }

    /// The headline metrics `POST /v1/benchmark` can return by name.
    static let syncMetrics = [
        "ttft", "itl", "e2e", "output_tps", "request_rps", "error_rate", "cost", "output_tokens",
    ]

    static func metricNames(_ value: JSONValue?) throws -> [String] {
        guard let value else { return syncMetrics }
        guard case .array(let items) = value else {
            throw Problem(.unprocessableContent, "expected a list of metric names", field: "metrics")
        }
        return try items.enumerated().map { index, item in
            guard let name = item.string, syncMetrics.contains(name) else {
                throw Problem(
                    .unprocessableContent, "unknown metric (known: \(syncMetrics.joined(separator: ", ")))",
                    field: "metrics[\(index)]")
            }
            return name
        }
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
