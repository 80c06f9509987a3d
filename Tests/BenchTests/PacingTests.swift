import BenchEngine
import BenchProviders
import BenchCore
import BenchMetrics
import BenchReport
import BenchRunner
import BenchSimulator
import Foundation
import Testing

@Suite struct PacingScheduleTests {
    @Test func requestsPerMinuteSpacesStartsEvenly() {
        var schedule = PacingSchedule(budget: RateBudget(requestsPerMinute: 60))
        #expect(schedule.reserve(tokens: 1, now: .zero) == .zero)
        #expect(schedule.reserve(tokens: 1, now: .zero) == .seconds(1))
        #expect(schedule.reserve(tokens: 1, now: .milliseconds(500)) == .seconds(2))
        // After an idle spell the next request starts at once, with no burst credit saved up.
        #expect(schedule.reserve(tokens: 1, now: .seconds(10)) == .seconds(10))
        #expect(schedule.reserve(tokens: 1, now: .seconds(10)) == .seconds(11))
    }

    @Test func tokensPerMinuteSpacesByEachRequestsCost() {
        // 600 tokens per minute = 10 per second: 100 tokens hold the next start back 10 s, 20 tokens 2 s.
        var schedule = PacingSchedule(budget: RateBudget(tokensPerMinute: 600))
        #expect(schedule.reserve(tokens: 100, now: .zero) == .zero)
        #expect(schedule.reserve(tokens: 20, now: .seconds(1)) == .seconds(10))
        #expect(schedule.reserve(tokens: 5, now: .seconds(1)) == .seconds(12))
    }

    @Test func theTighterOfBothLimitsWins() {
        var schedule = PacingSchedule(budget: RateBudget(requestsPerMinute: 120, tokensPerMinute: 6_000))
        #expect(schedule.reserve(tokens: 50, now: .zero) == .zero)  // next: requests 0.5 s, tokens 0.5 s
        #expect(schedule.reserve(tokens: 300, now: .zero) == .milliseconds(500))  // tokens: 0.5 + 3 s
        #expect(schedule.reserve(tokens: 1, now: .zero) == .milliseconds(3_500))
    }

    @Test func tokenEstimateIsPromptCharactersOverFourPlusMaxTokens() {
        let request = GenerationRequest(
            model: "m", messages: [.init(role: "system", content: "abcde"), .init(role: "user", content: "fghi")],
            maxOutputTokens: 5
        )
        #expect(RateBudget.estimatedTokens(request) == 3 + 5)  // ⌈9 ÷ 4⌉ + 5
    }

    @Test func theBudgetIsReadFromTheSpecWithFieldNamedErrors() throws {
        let spec = try BenchSpec.parse(
            "targets: [{base_url: 'http://h/v1', model: m, rate_limit: {requests_per_minute: 500, tokens_per_minute: 3e4}}]"
        )
        #expect(spec.targets[0].rateLimit == RateBudget(requestsPerMinute: 500, tokensPerMinute: 30_000))
        #expect {
            try BenchSpec.parse("targets: [{base_url: 'http://h/v1', model: m, rate_limit: {requests_per_minute: 0}}]")
        } throws: {
            ($0 as? SpecError)?.field == "targets[0].rate_limit.requests_per_minute"
        }
    }
}

extension LiveTests {
    @Suite struct PacingLoopbackTests {
        @Test func aRequestBudgetSpacesDispatchesAndStaysOutOfLatencyAndSchedulerLag() async throws {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("llmbench-pacing-\(UUID())")
            defer { try? FileManager.default.removeItem(at: directory) }
            let configuration = SimulatorConfiguration(ttft: .milliseconds(2), itl: .zero, outputTokens: 4)
            let report = try await withSimulator(configuration) { port, _ in
                try await BenchmarkRun.testRun(
                    spec: simulatorSpec(port: port) {
                        $0.shapes = [.concurrency(users: 8)]
                        $0.maxRequests = 8
                        $0.outputTokens = 4
                        $0.targets[0].rateLimit = RateBudget(requestsPerMinute: 600)
                    },
                    outputDirectory: directory
                )
            }
            let records = try String(contentsOf: directory.appendingPathComponent("records.jsonl"), encoding: .utf8)
                .split(separator: "\n").map { try JSONDecoder().decode(RequestRecord.self, from: Data($0.utf8)) }
            #expect(records.count == 8 && records.allSatisfy { $0.outcome == .success })
            // 600 per minute: one dispatch every 100 ms although all 8 users are ready at once.
            let dispatches = records.compactMap(\.dispatchedAt).sorted()
            for (earlier, later) in zip(dispatches, dispatches.dropFirst()) {
                #expect(later - earlier >= .milliseconds(95), "dispatches \(earlier) → \(later)")
            }
            let metrics = report.onlyStep
            let pacing = try #require(metrics.pacingMs)
            #expect((pacing.max ?? 0) >= 650)
            // The wait is neither latency nor scheduler lag.
            #expect((metrics.ttftMs.p50 ?? .infinity) < 100)
            #expect((metrics.schedulerLagMs.max ?? .infinity) < 50)
            #expect(report.targets[0].steps[0].notes.contains { $0.contains("rate budget held requests back") })
        }

        @Test func anEndpointLimitCapsRequestsInFlightAcrossRuns() async throws {
            let configuration = SimulatorConfiguration(ttft: .milliseconds(20), itl: .milliseconds(2), outputTokens: 5)
            let (peak, pacing) = try await withSimulator(configuration) { port, simulator in
                let spec = simulatorSpec(port: port) {
                    $0.shapes = [.concurrency(users: 4)]
                    $0.maxRequests = 12
                    $0.outputTokens = 5
                }
                let reports = try await withEngine(maxInFlightPerEndpoint: 2) { engine in
                    try await withThrowingTaskGroup(of: BenchmarkReport.self) { group in
                        for _ in 0..<2 {
                            group.addTask {
                                try await BenchmarkRun(spec: spec, engine: engine, outputDirectory: nil).run()
                            }
                        }
                        return try await group.reduce(into: []) { $0.append($1) }
                    }
                }
                #expect(reports.allSatisfy { $0.onlyStep.counts.succeeded == 12 })
                return (simulator.statistics.peakStreams, reports.compactMap { $0.onlyStep.pacingMs?.max }.max() ?? 0)
            }
            // Two runs of 4 users each, yet never more than 2 streams at once; the wait shows as pacing.
            #expect(peak <= 2, "peak \(peak)")
            #expect(pacing > 10)
        }
    }
}
