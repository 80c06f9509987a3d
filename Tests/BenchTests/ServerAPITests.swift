import BenchCore
import BenchEngine
import BenchServer
import BenchSimulator
import BenchStore
import Foundation
import Hummingbird
import NIOHTTP1
import Testing

extension LiveTests {
    @Suite struct ServerAPITests {
        static let fastSimulator = SimulatorConfiguration(
            ttft: .milliseconds(2), itl: .milliseconds(1), outputTokens: 8)

        @Test func aRunGoesFromSubmissionToReportRecordsAndDeletion() async throws {
            try await withSimulator(Self.fastSimulator) { simPort, _ in
                try await TestServer.with { server in
                    let submitted = try await server.request(
                        .POST, "/v1/runs", body: simulatorRunSpec(port: simPort), auth: true)
                    #expect(submitted.status == 202)
                    let id = try #require(submitted.json?["id"]?.string)
                    #expect(submitted.header("Location") == "/v1/runs/\(id)")
                    #expect(submitted.json?["progress"]?["total"] == .number(4))
                    let run = try await server.waitForEnd(id)
                    #expect(run["status"] == .string("succeeded"), "\(run)")
                    #expect(run["progress"]?["done"] == .number(4))
                    #expect(run["summary"]?.array?.first?["succeeded"] == .number(4))
                    #expect(run["report_url"] == .string("/v1/runs/\(id)/report"))

                    let lines = try await server.request(.GET, "/v1/runs/\(id)/records")
                    #expect(lines.header("Content-Type") == "application/x-ndjson")
                    let records = try lines.body.split(separator: "\n").map {
                        try JSONDecoder().decode(RequestRecord.self, from: Data($0.utf8))
                    }
                    #expect(records.map(\.id) == [0, 1, 2, 3] && records.allSatisfy { $0.outcome == .success })
                    let page = try await server.request(.GET, "/v1/runs/\(id)/records?after=1&limit=1")
                    #expect(page.body.split(separator: "\n").count == 1 && page.header("X-Next-After") == "2")
                    let csv = try await server.request(
                        .GET, "/v1/runs/\(id)/records", headers: [("Accept", "text/csv")])
                    #expect(csv.body.split(separator: "\n").count == 5 && csv.body.hasPrefix("id,target,step"))

                    for (format, expected) in [
                        ("json", "\"llmbench.report/1\""), ("md", "| sim | c=2 |"), ("csv", "sim,c=2,4,0,0"),
                        ("html", "<td data-metric=\"target\">sim</td>"),
                    ] {
                        let report = try await server.request(.GET, "/v1/runs/\(id)/report?format=\(format)")
                        #expect(
                            report.status == 200 && report.body.contains(expected),
                            "\(format): \(report.body.prefix(300))")
                    }
                    // A finished run's stream replays its records and steps, then ends with its final state.
                    let events = try await server.request(.GET, "/v1/runs/\(id)/events")
                    #expect(events.header("Content-Type") == "text/event-stream")
                    let eventLines = events.body.split(separator: "\n")
                    #expect(eventLines.filter { $0 == "event: request" }.count == 4)
                    #expect(eventLines.filter { $0 == "event: step" }.count == 1)
                    #expect(eventLines.last { $0.hasPrefix("event: ") } == "event: succeeded")
                    let ids = eventLines.filter { $0.hasPrefix("id: ") }.map { String($0.dropFirst(4)) }
                    #expect(ids.count == 4)
                    let resumed = try await server.request(
                        .GET, "/v1/runs/\(id)/events", headers: [("Last-Event-ID", ids[1])])
                    #expect(resumed.body.split(separator: "\n").filter { $0 == "event: request" }.count == 2)

                    let listed = try await server.request(.GET, "/v1/runs?status=succeeded&target=sim")
                    #expect(listed.json?["items"]?.array?.map { $0["id"] } == [.string(id)])
                    #expect(try await server.request(.DELETE, "/v1/runs/\(id)", auth: true).status == 204)
                    let gone = try await server.request(.GET, "/v1/runs/\(id)")
                    #expect(gone.status == 404 && gone.header("Content-Type") == "application/problem+json")
                }
            }
        }

        @Test func liveEventsCarryEveryRequestEachStepAndTheEnd() async throws {
            let slow = SimulatorConfiguration(ttft: .milliseconds(20), itl: .milliseconds(5), outputTokens: 8)
            try await withSimulator(slow) { simPort, _ in
                try await TestServer.with { server in
                    let id = try await server.submit(
                        simulatorRunSpec(port: simPort, requests: 6, concurrency: [1, 2]))
                    let stream = try await server.request(.GET, "/v1/runs/\(id)/events")
                    let names = stream.body.split(separator: "\n").filter { $0.hasPrefix("event: ") }.map {
                        String($0.dropFirst(7))
                    }
                    #expect(names.first == "status" || names.first == "request")
                    #expect(names.filter { $0 == "request" }.count == 12, "\(names)")
                    #expect(names.filter { $0 == "step" }.count == 2)
                    #expect(names.last == "succeeded")
                }
            }
        }

        @Test func cancellingARunStopsItAndKeepsWhatFinished() async throws {
            let slow = SimulatorConfiguration(ttft: .milliseconds(50), itl: .milliseconds(10), outputTokens: 20)
            try await withSimulator(slow) { simPort, _ in
                try await TestServer.with { server in
                    let id = try await server.submit(simulatorRunSpec(port: simPort, requests: 200, concurrency: [1]))
                    try await Task.sleep(for: .milliseconds(800))
                    let cancel = try await server.request(.POST, "/v1/runs/\(id)/cancel", auth: true)
                    #expect(cancel.status == 202, "\(cancel.body)")
                    let run = try await server.waitForEnd(id)
                    #expect(run["status"] == .string("cancelled"))
                    let done = try #require(run["progress"]?["done"]?.integer)
                    #expect(done > 0 && done < 200)
                    let records = try await server.request(.GET, "/v1/runs/\(id)/records")
                    #expect(records.body.split(separator: "\n").count == done)
                    #expect(try await server.request(.POST, "/v1/runs/\(id)/cancel", auth: true).status == 409)
                }
            }
        }

        @Test func errorsAreProblemsThatNameTheField() async throws {
            try await TestServer.with(maxBodyBytes: 4096) { server in
                func problem(_ reply: TestServer.Reply, _ status: Int, field: String? = nil) {
                    #expect(reply.status == status, "\(reply.body)")
                    #expect(reply.header("Content-Type") == "application/problem+json")
                    #expect(reply.json?["status"] == .number(Double(status)))
                    if let field { #expect(reply.json?["field"] == .string(field), "\(reply.body)") }
                }
                let spec = #"{"targets":[{"base_url":"http://127.0.0.1:9/v1","model":"m"}]}"#
                problem(try await server.request(.POST, "/v1/runs", body: spec), 401)
                var wrong = try await server.request(
                    .POST, "/v1/runs", body: spec, headers: [("Authorization", "Bearer nope")])
                problem(wrong, 401)
                #expect(wrong.header("WWW-Authenticate")?.hasPrefix("Bearer") == true)
                problem(
                    try await server.request(.POST, "/v1/runs", body: spec, auth: true, contentType: "text/plain"), 415)
                problem(try await server.request(.POST, "/v1/runs", body: "targets: [", auth: true), 400)
                problem(
                    try await server.request(
                        .POST, "/v1/runs",
                        body:
                            #"{"targets":[{"base_url":"http://127.0.0.1:9/v1","model":"m"}],"load":{"concurrency":[0]}}"#,
                        auth: true), 422, field: "/load/concurrency/0")
                problem(
                    try await server.request(
                        .POST, "/v1/runs",
                        body:
                            #"{"targets":[{"base_url":"http://127.0.0.1:9/v1","model":"m"}],"prompts":{"file":"/etc/passwd"}}"#,
                        auth: true), 422, field: "/prompts/file")
                problem(
                    try await server.request(
                        .POST, "/v1/runs",
                        body:
                            #"{"targets":[{"base_url":"http://127.0.0.1:9/v1","model":"m"}],"quality":[{"task":"/etc/t.yaml"}]}"#,
                        auth: true), 422, field: "/quality/0/task")
                problem(
                    try await server.request(
                        .POST, "/v1/runs",
                        body:
                            #"{"targets":[{"base_url":"http://127.0.0.1:9/v1","model":"m"}],"quality":[{"task":{"dataset":{"items":[{"text":"a b c"}]},"output_type":"rolling_loglikelihood","prompt":"{{text}}"}}]}"#,
                        auth: true), 422, field: "/quality/0")
                problem(
                    try await server.request(
                        .POST, "/v1/runs",
                        body:
                            #"{"targets":[{"base_url":"http://127.0.0.1:9/v1","model":"m","headers":{"Authorization":"Bearer sk-x"}}]}"#,
                        auth: true), 422, field: "/targets/0/headers/Authorization")
                problem(
                    try await server.request(
                        .POST, "/v1/runs",
                        body:
                            #"{"targets":[{"base_url":"http://127.0.0.1:9/v1","model":"m","api_key_env":"LLMBENCH_UNSET_KEY"}]}"#,
                        auth: true), 422, field: "/targets/0/api_key_env")
                problem(
                    try await server.request(
                        .POST, "/v1/runs", body: #"{"targets":[{"base_url":"http://[fe80::1]:80/v1","model":"m"}]}"#,
                        auth: true), 422, field: "/targets/0/base_url")
                problem(
                    try await server.request(
                        .POST, "/v1/runs",
                        body:
                            #"{"targets":[{"base_url":"http://127.0.0.1:9/v1","model":"m","tokenizer":"/etc/passwd"}]}"#,
                        auth: true), 422, field: "/targets/0/tokenizer")
                problem(
                    try await server.request(
                        .POST, "/v1/runs", body: String(repeating: " ", count: 5000) + spec, auth: true),
                    413)
                wrong = try await server.request(.PATCH, "/v1/runs/run_x")
                problem(wrong, 405)
                #expect(wrong.header("Allow") == "DELETE, GET")
                problem(try await server.request(.GET, "/v2/nothing"), 404)
                problem(try await server.request(.GET, "/v1/runs?limit=0"), 400, field: "limit")
                problem(try await server.request(.GET, "/v1/runs?cursor=zzz"), 400, field: "cursor")
                problem(try await server.request(.GET, "/v1/runs?status=done"), 400, field: "status")
                problem(try await server.request(.GET, "/v1/runs/run_missing/report"), 404)
                problem(try await server.request(.GET, "/v1/compare?runs=a"), 400, field: "runs")
            }
        }

        @Test func qualityTasksRunAsUnitsAndTheReportComparesTheTargets() async throws {
            try await withSimulator(Self.fastSimulator) { simPort, _ in
                try await TestServer.with { server in
                    let spec = """
                        {"targets": [
                           {"name": "a", "base_url": "http://127.0.0.1:\(simPort)/v1", "model": "sim"},
                           {"name": "b", "base_url": "http://127.0.0.1:\(simPort)/v1", "model": "sim"}],
                         "load": {"requests": 2},
                         "quality": [
                           {"suite": "arithmetic", "limit": 3},
                           {"task": {"name": "echo", "dataset": {"items": [{"q": "Say 7", "a": "7"}, {"q": "Say 8", "a": "8"}]},
                                     "prompt": "{{q}}", "reference": "{{a}}", "filters": ["number"], "scorer": "numeric"}}]}
                        """
                    let submitted = try await server.request(.POST, "/v1/runs", body: spec, auth: true)
                    #expect(submitted.status == 202, "\(submitted.body)")
                    let id = try #require(submitted.json?["id"]?.string)
                    let run = try await server.waitForEnd(id)
                    #expect(run["status"] == .string("succeeded"), "\(run)")
                    let report = try #require(try await server.request(.GET, "/v1/runs/\(id)/report").json)
                    for target in report["targets"]?.array ?? [] {
                        let quality = target["quality"]?.array ?? []
                        #expect(quality.map { $0["task"]?.string } == ["smoke/arithmetic", "echo"])
                        #expect(quality.first?["results"] == .number(3) && quality.last?["results"] == .number(2))
                    }
                    #expect(report["quality_comparisons"]?.array?.count == 2)
                    let markdown = try await server.request(.GET, "/v1/runs/\(id)/report?format=md")
                    #expect(markdown.body.contains("## Quality"))
                }
            }
        }

        @Test func savedTargetsAreCreatedUsedReplacedAndDeleted() async throws {
            try await withSimulator(Self.fastSimulator) { simPort, _ in
                try await TestServer.with { server in
                    let definition = #"{"name":"local-sim","base_url":"http://127.0.0.1:\#(simPort)/v1","model":"sim"}"#
                    #expect(try await server.request(.POST, "/v1/targets", body: definition, auth: true).status == 201)
                    #expect(try await server.request(.POST, "/v1/targets", body: definition, auth: true).status == 409)
                    let bad = try await server.request(
                        .POST, "/v1/targets", body: #"{"name":"x","base_url":"nope","model":"m"}"#, auth: true)
                    #expect(bad.status == 422 && bad.json?["field"] == .string("/base_url"), "\(bad.body)")
                    let id = try await server.submit(
                        #"{"targets":[{"target":"local-sim"}],"load":{"concurrency":[1],"requests":2},"prompts":{"output_tokens":4}}"#
                    )
                    let run = try await server.waitForEnd(id)
                    #expect(run["status"] == .string("succeeded") && run["targets"] == .array([.string("local-sim")]))
                    let replaced = try await server.request(
                        .PUT, "/v1/targets/local-sim",
                        body: #"{"base_url":"http://127.0.0.1:\#(simPort)/v1","model":"sim-2"}"#, auth: true)
                    #expect(replaced.status == 200 && replaced.json?["definition"]?["model"] == .string("sim-2"))
                    let listed = try await server.request(.GET, "/v1/targets")
                    #expect(listed.json?["items"]?.array?.count == 1)
                    #expect(try await server.request(.DELETE, "/v1/targets/local-sim", auth: true).status == 204)
                    #expect(try await server.request(.GET, "/v1/targets/local-sim").status == 404)
                    let missing = try await server.request(
                        .POST, "/v1/runs", body: #"{"targets":[{"target":"local-sim"}]}"#, auth: true)
                    #expect(missing.status == 422 && missing.json?["field"] == .string("/targets/0/target"))
                }
            }
        }

        @Test func theSynchronousBenchmarkAnswersInlineWithinItsLimits() async throws {
            try await withSimulator(Self.fastSimulator) { simPort, _ in
                try await TestServer.with { server in
                    let body = """
                        {"target": {"base_url": "http://127.0.0.1:\(simPort)/v1", "model": "sim"},
                         "prompts": ["Hello", {"prompt": "Count to three", "max_tokens": 4}], "max_tokens": 6,
                         "concurrency": 2, "metrics": ["ttft", "e2e"]}
                        """
                    let reply = try await server.request(.POST, "/v1/benchmark", body: body, auth: true)
                    #expect(reply.status == 200, "\(reply.body)")
                    let metrics = try #require(reply.json?["metrics"]?.array?.first)
                    #expect(metrics["ttft_p50_ms"]?.number != nil && metrics["e2e_p99_ms"]?.number != nil)
                    #expect(metrics["output_tps"] == nil)
                    #expect(reply.json?["report"]?["targets"]?.array?.first?["steps"]?.array?.count == 1)
                    let tooMany = try await server.request(
                        .POST, "/v1/benchmark",
                        body:
                            #"{"target":{"base_url":"http://127.0.0.1:1/v1","model":"m"},"prompts":["a"],"requests":1000}"#,
                        auth: true)
                    #expect(tooMany.status == 422 && tooMany.json?["field"] == .string("/requests"), "\(tooMany.body)")
                    let unknownMetric = try await server.request(
                        .POST, "/v1/benchmark",
                        body:
                            #"{"target":{"base_url":"http://127.0.0.1:1/v1","model":"m"},"prompts":["a"],"metrics":["speed"]}"#,
                        auth: true)
                    #expect(unknownMetric.status == 422 && unknownMetric.json?["field"] == .string("/metrics/0"))
                }
            }
        }

        @Test func comparisonHealthAndMetrics() async throws {
            try await withSimulator(Self.fastSimulator) { simPort, _ in
                try await TestServer.with { server in
                    let first = try await server.submit(simulatorRunSpec(port: simPort, requests: 2))
                    let second = try await server.submit(
                        simulatorRunSpec(port: simPort, requests: 2, concurrency: [1, 2]))
                    _ = try await server.waitForEnd(first)
                    _ = try await server.waitForEnd(second)
                    let compared = try await server.request(.GET, "/v1/compare?runs=\(first),\(second)")
                    let rows = try #require(compared.json?["rows"]?.array)
                    #expect(rows.map { $0["run"]?.string } == [first, second, second])
                    #expect(rows.allSatisfy { $0["ttft_p50_ms"]?.number != nil })
                    #expect(try await server.request(.GET, "/healthz").json?["status"] == .string("ok"))
                    #expect(try await server.request(.GET, "/readyz").status == 200)
                    let metrics = try await server.request(.GET, "/metrics").body
                    #expect(metrics.contains("llmbench_runs{status=\"succeeded\"} 2.0"))
                    #expect(metrics.contains("llmbench_requests_total 6\n"))
                    #expect(metrics.contains("llmbench_queue_depth 0.0"))
                    #expect(metrics.contains("# HELP llmbench_runs Runs in the store by status."))
                    #expect(metrics.contains("llmbench_provider_errors_total{kind=\"timeout\"} 0"))
                    // Hummingbird's own request metrics, through the same registry.
                    #expect(metrics.contains("hb_requests"), "\(metrics)")
                }
            }
        }
    }

    @Suite struct OpenAPIDocumentTests {
        @Test func theDocumentAndTheRouterListTheSameRoutes() async throws {
            try await withEngine { engine in
                let store = InMemoryRunStore()
                let queue = RunQueue(store: store, engine: engine, maxConcurrency: 64)
                let api = BenchAPI(
                    configuration: .init(token: "t"),
                    service: ServiceEngine(
                        engine: engine, queue: queue, coordinator: nil,
                        schedules: ScheduledRuns(queue: queue, tick: .seconds(1))))
                let routed = Set(
                    api.router().routes.map { route in
                        let path = route.path.description.split(separator: "/").map { segment in
                            segment.hasPrefix(":") ? "{\(segment.dropFirst())}" : String(segment)
                        }.joined(separator: "/")
                        return "\(route.method.rawValue) /\(path)"
                    })
                let document = OpenAPIDocument.document(api)
                guard case .object(let paths)? = document["paths"] else {
                    Issue.record("no paths")
                    return
                }
                var documented: Set<String> = []
                for (path, item) in paths {
                    guard case .object(let methods) = item else { continue }
                    for (method, operation) in methods {
                        documented.insert("\(method.uppercased()) \(path)")
                        #expect(operation["responses"] != nil && operation["operationId"] != nil, "\(method) \(path)")
                    }
                }
                #expect(
                    routed == documented,
                    "only routed: \(routed.subtracting(documented)); only documented: \(documented.subtracting(routed))"
                )
                #expect(routed.count == api.operations.count)
            }
        }

        @Test func theServerServesItsDocumentAndReferencePage() async throws {
            try await TestServer.with { server in
                let json = try await server.request(.GET, "/openapi.json")
                #expect(json.json?["openapi"] == .string("3.1.0"))
                let yaml = try await server.request(.GET, "/openapi.yaml")
                #expect(yaml.body.contains("openapi: 3.1.0") && yaml.header("Content-Type") == "application/yaml")
                let docs = try await server.request(.GET, "/docs")
                #expect(docs.body.contains("/v1/runs/{id}/events") && docs.body.contains("bearer token"))
                #expect(!docs.body.contains("<script"))
            }
        }
    }
}
