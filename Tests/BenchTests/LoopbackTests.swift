import Synchronization
import BenchEngine
import BenchProviders
import BenchCore
import BenchMetrics
import BenchReport
import BenchRunner
import BenchSimulator
import Foundation
import Testing

/// Tests that send real traffic over loopback. They run one at a time, so that timing checks do not compete for
/// the CPU with each other.
@Suite(.serialized) enum LiveTests {}

/// End-to-end over real HTTP on loopback: llmbench's client and runner against the built-in simulator, whose
/// timing and faults are known.
extension LiveTests {
    @Suite struct LoopbackTests {
        @Test(arguments: [(1, 12), (32, 160)])
        func measuredTimingMatchesTheSimulatorsTruth(concurrency: Int, requests: Int) async throws {
            let configuration = SimulatorConfiguration(
                ttft: .milliseconds(150), itl: .milliseconds(10), outputTokens: 24)
            let report = try await withSimulator(configuration) { port, _ in
                try await BenchmarkRun.testRun(
                    spec: simulatorSpec(port: port) {
                        $0.shapes = [.concurrency(users: concurrency)]
                        $0.maxRequests = requests
                        $0.outputTokens = 24
                    },
                    outputDirectory: nil
                )
            }
            let m = report.onlyStep
            #expect(m.counts.succeeded == requests)
            #expect(abs(m.ttftMs.p50! - 150) < 5, "TTFT p50 \(m.ttftMs.p50!)")
            #expect(abs(m.itlMs.p50! - 10) < 1, "ITL p50 \(m.itlMs.p50!)")
            #expect(m.outputTokens.min == 24 && m.outputTokens.max == 24)
            #expect(m.outputTokenSources == ["usage": requests])
            #expect(m.exactOutput.requested == requests && m.exactOutput.honoured == requests)
            #expect(m.maxInFlight == concurrency)
            #expect(m.errorRate == 0)
            // E2E = TTFT + 23 × ITL = 380 ms.
            #expect(abs(m.e2eMs.p50! - 380) < 10, "E2E p50 \(m.e2eMs.p50!)")
        }

        @Test func sixtyFourStreamsReallyOverlap() async throws {
            let configuration = SimulatorConfiguration(ttft: .milliseconds(400), itl: .milliseconds(5), outputTokens: 8)
            let (report, stats) = try await withSimulator(configuration) { port, simulator in
                let report = try await BenchmarkRun.testRun(
                    spec: simulatorSpec(port: port) {
                        $0.shapes = [.concurrency(users: 64)]
                        $0.maxRequests = 64
                        $0.outputTokens = 8
                    },
                    outputDirectory: nil
                )
                return (report, simulator.statistics)
            }
            #expect(stats.peakStreams == 64)
            #expect(report.onlyStep.maxInFlight == 64)
            // All 64 started together: TTFT stays near 400 ms instead of queueing behind 8 connections.
            #expect(report.onlyStep.ttftMs.max! < 500, "TTFT max \(report.onlyStep.ttftMs.max!)")
        }

        @Test func injectedFaultsBecomeTheRightOutcomes() async throws {
            let configuration = SimulatorConfiguration(
                ttft: .milliseconds(5), itl: .milliseconds(1), outputTokens: 20, seed: 3,
                faults: .init(rateLimited: 0.1, serverError: 0.1, cut: 0.1, stall: 0.1, malformed: 0.1),
                stall: .milliseconds(1500)
            )
            let (report, stats) = try await withSimulator(configuration) { port, simulator in
                let report = try await BenchmarkRun.testRun(
                    spec: simulatorSpec(port: port) {
                        $0.shapes = [.concurrency(users: 16)]
                        $0.maxRequests = 120
                        $0.outputTokens = 20
                        $0.readTimeout = .milliseconds(700)
                        $0.retry = .none
                    },
                    outputDirectory: nil
                )
                return (report, simulator.statistics)
            }
            let m = report.onlyStep
            func count(_ kind: ProviderError.Kind) -> Int {
                m.errors.filter { $0.kind == kind }.reduce(0) { $0 + $1.count }
            }
            #expect(stats.requests == 120)
            #expect(stats.rateLimited + stats.serverError + stats.cut + stats.stall + stats.malformed > 30)
            #expect(count(.rateLimited) == stats.rateLimited)
            #expect(m.counts.throttled == stats.rateLimited)
            #expect(count(.server) == stats.serverError)
            #expect(count(.truncated) == stats.cut)
            #expect(count(.timeout) == stats.stall)
            #expect(count(.decoding) == stats.malformed)
            let faults = stats.rateLimited + stats.serverError + stats.cut + stats.stall + stats.malformed
            #expect(m.counts.succeeded == 120 - faults)
            #expect(m.counts.failed == faults)
            #expect(m.errors.first { $0.kind == .rateLimited }?.httpStatus == 429)
        }

        @Test func rejectedKeyIsReportedWithoutLeakingIt() async throws {
            let secret = "sk-llmbench-test-9f8e7d6c5b4a39281706"
            let configuration = SimulatorConfiguration(
                ttft: .milliseconds(1), itl: .zero, outputTokens: 4, requiredAPIKey: "sk-the-right-one")
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("llmbench-auth-\(UUID())")
            defer { try? FileManager.default.removeItem(at: directory) }
            let lines = LineCollector()
            let report = try await withSimulator(configuration) { port, _ in
                var spec = simulatorSpec(port: port) { $0.maxRequests = 5 }
                spec.targets[0].apiKeyEnv = "LLMBENCH_TEST_KEY"
                return try await BenchmarkRun.testRun(
                    spec: spec, outputDirectory: directory, environment: ["LLMBENCH_TEST_KEY": secret],
                    log: { lines.append($0) }
                )
            }
            let m = report.onlyStep
            #expect(m.counts.failed == 5)
            #expect(m.errors.first?.kind == .authentication)
            #expect(m.errors.first?.message.contains("Incorrect API key provided") == true)
            var everything = lines.text
            for file in try FileManager.default.contentsOfDirectory(atPath: directory.path) {
                everything += try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
            }
            #expect(everything.contains("authentication"))
            #expect(!everything.contains(secret))
            #expect(!everything.contains(String(secret.suffix(10))))
        }

        @Test func unreachableEndpointGivesFailedRecordsThatSayWhy() async throws {
            var spec = BenchSpec()
            spec.targets = [BenchSpec.Target(baseURL: "http://127.0.0.1:9/v1", model: "m")]
            spec.maxRequests = 3
            let report = try await BenchmarkRun.testRun(spec: spec, outputDirectory: nil)
            let m = report.onlyStep
            #expect(m.counts.failed == 3 && m.counts.succeeded == 0)
            #expect(m.errors.first?.kind == .connection)
            #expect(report.targets[0].steps[0].notes.contains("every request in the window failed"))
        }

        @Test func openLoopRateKeepsItsSchedule() async throws {
            let configuration = SimulatorConfiguration(ttft: .milliseconds(20), itl: .milliseconds(2), outputTokens: 5)
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("llmbench-rate-\(UUID())")
            defer { try? FileManager.default.removeItem(at: directory) }
            let report = try await withSimulator(configuration) { port, _ in
                try await BenchmarkRun.testRun(
                    spec: simulatorSpec(port: port) {
                        $0.shapes = [.rate(perSecond: 25, arrival: .constant, maxInFlight: nil)]
                        $0.maxRequests = 50
                        $0.outputTokens = 5
                    },
                    outputDirectory: directory
                )
            }
            let records = try String(contentsOf: directory.appendingPathComponent("records.jsonl"), encoding: .utf8)
                .split(separator: "\n").map { try JSONDecoder().decode(RequestRecord.self, from: Data($0.utf8)) }
                .sorted { $0.scheduledAt < $1.scheduledAt }
            #expect(records.count == 50)
            // Scheduled starts are exact multiples of 40 ms; dispatches follow them closely.
            let first = records[0].scheduledAt
            for (i, record) in records.enumerated() {
                #expect(record.scheduledAt - first == .milliseconds(40 * i))
            }
            let m = report.onlyStep
            #expect(m.schedulerLagMs.p50! < 5, "lag p50 \(m.schedulerLagMs.p50!)")
            #expect(m.queueMs.max == 0)
            #expect(m.counts.succeeded == 50)
        }

        @Test func timedStepCancelsWhatIsStillRunning() async throws {
            let configuration = SimulatorConfiguration(
                ttft: .milliseconds(100), itl: .milliseconds(100), outputTokens: 8)
            let report = try await withSimulator(configuration) { port, _ in
                try await BenchmarkRun.testRun(
                    spec: simulatorSpec(port: port) {
                        $0.shapes = [.concurrency(users: 2)]
                        $0.maxRequests = nil
                        $0.maxDuration = .milliseconds(1200)
                        $0.outputTokens = 8
                    },
                    outputDirectory: nil
                )
            }
            let m = report.onlyStep
            // Each request takes 800 ms: two finish at 0.8 s, the next two are cut at 1.2 s.
            #expect(m.counts.succeeded == 2)
            #expect(m.counts.cancelled == 2)
            #expect(m.errorRate == 0)
            #expect(abs(m.window!.lengthS - 1.2) < 0.05)
        }
    }

}

/// Collects log lines from a run, for checking what it printed.
final class LineCollector: Sendable {
    private let lines = Mutex<[String]>([])
    func append(_ line: String) { lines.withLock { $0.append(line) } }
    var text: String { lines.withLock { $0.joined(separator: "\n") } }
}
