import BenchCore
import BenchMetrics
import BenchReport
import BenchSimulator
import Foundation
import NIOHTTP1
import Testing

@Suite struct ChangeDetectionTests {
    /// A report with one target and step whose requests all have this TTFT (ms) and take 100 ms in all.
    static func report(ttft: Double) -> BenchmarkReport {
        let records = (0..<10).map { (index: Int) -> RequestRecord in
            let start = Double(index) * 100
            return record(
                id: index, scheduled: start, dispatched: start, chunks: [start + ttft, start + ttft + 5],
                end: start + ttft + 5)
        }
        let step = LoadStep(shape: .concurrency(users: 1), maxRequests: 10)
        let metrics = StepSummary(records: records, step: step, objectives: .init())
        return BenchmarkReport(
            llmbenchVersion: "t", generatedAt: "t", seed: 0, temperature: 0, slo: .init(),
            targets: [
                .init(
                    name: "api", baseURL: "http://x", model: "m", steps: [.init(index: 0, step: step, metrics: metrics)]
                )
            ])
    }

    static func ttftChange(latest: Double, previous: [Double]) throws -> MetricChange {
        try #require(
            ChangeDetection.changes(
                latest: report(ttft: latest), previous: previous.map { report(ttft: $0) }, threshold: 0.2
            ).first { $0.metric == "ttft_p50_ms" })
    }

    @Test func aMoveBeyondTheThresholdAndThePreviousRangeIsFlagged() throws {
        let regression = try Self.ttftChange(latest: 160, previous: [100, 110, 105])
        #expect(abs(regression.baseline - 105) < 1e-6 && regression.flagged && regression.verdict == "regression")
        #expect(abs(regression.relativeChange - 55.0 / 105) < 1e-6)
        // Inside the threshold, or beyond it but inside what the previous runs already spanned: not an alert.
        #expect(try Self.ttftChange(latest: 112, previous: [100, 110, 105]).flagged == false)
        #expect(try Self.ttftChange(latest: 70, previous: [60, 100, 105]).flagged == false)
        let improvement = try Self.ttftChange(latest: 50, previous: [100, 110, 105])
        #expect(improvement.flagged && improvement.verdict == "improvement")
        #expect(ChangeDetection.changes(latest: Self.report(ttft: 50), previous: [], threshold: 0.2).isEmpty)
    }

    @Test func answersThatChangeForMostFixedPromptsRaiseADriftAlert() throws {
        func records(_ hashes: [String]) -> [RequestRecord] {
            hashes.enumerated().map { index, hash in
                var made = record(id: index, chunks: [1], end: 2)
                made.target = "api"
                made.promptIndex = index
                made.outputHash = hash
                return made
            }
        }
        let before = records(["a", "b", "c", "d"])
        let same = try #require(DriftSignal(target: "api", latest: records(["a", "b", "c", "x"]), previous: before))
        #expect(same.comparedPrompts == 4 && same.changedAnswers == 1 && !same.alert)
        let moved = try #require(DriftSignal(target: "api", latest: records(["w", "x", "y", "d"]), previous: before))
        #expect(moved.changedAnswers == 3 && moved.alert)
        #expect(DriftSignal(target: "other", latest: before, previous: before) == nil)
    }
}

extension LiveTests {
    @Suite struct MonitoringLiveTests {
        @Test func aScheduleRunsRepeatedlyAndReportsChangesAndDrift() async throws {
            let configuration = SimulatorConfiguration(ttft: .milliseconds(20), itl: .milliseconds(2), outputTokens: 8)
            try await withSimulator(configuration) { port, _ in
                try await TestServer.with(minScheduleInterval: 0.5) { server in
                    let spec =
                        #"{"targets": [{"name": "sim", "base_url": "http://127.0.0.1:\#(port)/v1", "model": "sim"}], "load": {"requests": 4}, "prompts": {"output_tokens": 8}}"#
                    for (body, status, field) in [
                        (#"{"name": "bad name!", "spec": \#(spec), "every_s": 1}"#, 422, "/name"),
                        (#"{"name": "x", "spec": \#(spec), "every_s": 0.1}"#, 422, "/every_s"),
                        (#"{"name": "x", "every_s": 1}"#, 422, "/spec"),
                        (#"{"name": "x", "spec": {"targets": []}, "every_s": 1}"#, 422, "/spec/targets"),
                        ("[]", 400, nil),
                    ] {
                        let reply = try await server.request(.POST, "/v1/schedules", body: body, auth: true)
                        #expect(reply.status == status, "\(body): \(reply.body)")
                        #expect(reply.json?["field"]?.string == field, "\(reply.body)")
                    }
                    // Files on the server are never read for an API client.
                    for (key, body) in [
                        (
                            "/load/trace",
                            #"{"targets": [{"base_url": "http://127.0.0.1:\#(port)/v1", "model": "sim"}], "load": {"trace": "/etc/hostname"}}"#
                        ),
                        (
                            "/prompts/conversations",
                            #"{"targets": [{"base_url": "http://127.0.0.1:\#(port)/v1", "model": "sim"}], "prompts": {"conversations": "/etc/hostname"}}"#
                        ),
                    ] {
                        let refused = try await server.request(.POST, "/v1/runs", body: body, auth: true)
                        #expect(refused.status == 422 && refused.json?["field"]?.string == key, "\(refused.body)")
                    }
                    let created = try await server.request(
                        .POST, "/v1/schedules", body: #"{"name": "sim-watch", "spec": \#(spec), "every_s": 1}"#,
                        auth: true)
                    #expect(created.status == 201, "\(created.body)")
                    let again = try await server.request(
                        .POST, "/v1/schedules", body: #"{"name": "sim-watch", "spec": \#(spec), "every_s": 1}"#,
                        auth: true)
                    #expect(again.status == 409)
                    // Fires at once, then every second: wait for three finished runs.
                    var detail: JSONValue?
                    for _ in 0..<100 {
                        let reply = try await server.request(.GET, "/v1/schedules/sim-watch")
                        detail = reply.json
                        if (detail?["baseline_runs"]?.number ?? 0) >= 2 { break }
                        try await Task.sleep(for: .milliseconds(200))
                    }
                    let schedule = try #require(detail)
                    #expect(schedule["baseline_runs"]?.number ?? 0 >= 2, "\(schedule)")
                    guard case .array(let changes)? = schedule["changes"], case .array(let drift)? = schedule["drift"]
                    else {
                        Issue.record("no changes or drift in \(schedule)")
                        return
                    }
                    let metrics = Set(changes.compactMap { $0["metric"]?.string })
                    #expect(
                        metrics.isSuperset(of: ["ttft_p50_ms", "ttft_p99_ms", "e2e_p50_ms", "e2e_p99_ms", "output_tps"])
                    )
                    #expect(changes.allSatisfy { $0["target"]?.string == "sim" && $0["step"]?.string == "c=1" })
                    // The same simulator and seed every time: the same answers to the same prompts.
                    #expect(drift.first?["compared_prompts"]?.number == 4)
                    #expect(drift.first?["changed_answers"]?.number == 0 && drift.first?["alert"] == .bool(false))
                    let list = try await server.request(.GET, "/v1/schedules")
                    guard case .array(let items)? = list.json?["items"] else {
                        Issue.record("no items in \(list.body)")
                        return
                    }
                    #expect(items.compactMap { $0["name"]?.string } == ["sim-watch"])
                    #expect(try await server.request(.DELETE, "/v1/schedules/sim-watch", auth: true).status == 204)
                    #expect(try await server.request(.GET, "/v1/schedules/sim-watch").status == 404)
                }
            }
        }
    }
}
