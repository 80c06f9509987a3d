import BenchEngine
import BenchProviders
import BenchCore
import BenchMetrics
import BenchReport
import BenchRunner
import BenchSimulator
import Foundation
import Testing

/// The client-capacity certificate: client samples on records, the client-bound verdict and the host's ceiling.
@Suite struct ClientLoadTests {
    /// Ten records 100 ms apart over one second, each carrying `load`.
    static func records(_ load: ClientLoad?) -> [RequestRecord] {
        (0..<10).map { index in
            var made = record(
                id: index, scheduled: Double(index) * 100, dispatched: Double(index) * 100,
                chunks: [Double(index) * 100 + 10, Double(index) * 100 + 20],
                end: Double(index) * 100 + 20)
            made.clientLoad = load
            return made
        }
    }

    static let step = LoadStep(shape: .concurrency(users: 1), maxRequests: 10)

    @Test func anIdleClientIsNotBoundAndABusyOneIsWithItsReasons() throws {
        let idle = StepSummary(
            records: Self.records(ClientLoad(cpuShare: 0.2, timerLagMs: 0.3, eventLoopLagMs: 0.1)), step: Self.step,
            objectives: .init())
        let idleClient = try #require(idle.client)
        #expect(idleClient.samples == 10 && !idleClient.clientBound && idleClient.reasons.isEmpty)
        // 20 chunks over the window from the first dispatch (0 ms) to the last end (920 ms).
        #expect(abs(idleClient.chunksPerS! - 20 / 0.92) < 0.01)

        let busy = StepSummary(
            records: Self.records(ClientLoad(cpuShare: 0.97, timerLagMs: 25, eventLoopLagMs: 12)), step: Self.step,
            objectives: .init())
        let busyClient = try #require(busy.client)
        #expect(busyClient.clientBound)
        #expect(busyClient.reasons.count == 3)
        #expect(busyClient.reasons[0] == "client CPU at 97 % of its cores (median)")
        #expect(busyClient.reasons[1] == "timer lag p99 25.0 ms")
        #expect(busyClient.reasons[2] == "event-loop lag p99 12.0 ms")

        // Records from before sampling carry nothing: the verdict is unavailable, not "fine".
        #expect(StepSummary(records: Self.records(nil), step: Self.step, objectives: .init()).client == nil)
    }

    @Test func aStepNearTheCeilingIsStampedInTheReportWithANote() throws {
        let metrics = StepSummary(
            records: Self.records(ClientLoad(cpuShare: 0.2, timerLagMs: 0.3, eventLoopLagMs: 0.1)), step: Self.step,
            objectives: .init())
        var report = BenchmarkReport(
            llmbenchVersion: "test", generatedAt: "now", seed: 0, temperature: nil, slo: .init(),
            targets: [
                .init(
                    name: "t", baseURL: "http://x", model: "m",
                    steps: [.init(index: 0, step: Self.step, metrics: metrics)])
            ])
        #expect(report.targets[0].steps[0].client?.clientBound == false)
        let ceiling = HarnessCeiling(
            measuredAt: "now", llmbenchVersion: "test", build: "debug", host: "h", cores: 2, streams: 1, chunksPerS: 24,
            ttftOverheadMs: DistributionSummary([1, 2]))
        report.certify(ceiling: ceiling)
        let step = report.targets[0].steps[0]
        #expect(step.client?.clientBound == true)
        #expect(step.client?.reasons == ["reading 91 % of the client ceiling (24 chunks/s)"])
        #expect(step.displayLabel == "c=1 ⚠ client-bound")
        #expect(step.notes.filter { $0.hasPrefix("client-bound: reading 91 %") }.count == 1)
        #expect(report.clientBoundSteps == ["t c=1"])
        let markdown = MarkdownReportRenderer.render(report)
        #expect(markdown.contains("| t | c=1 ⚠ client-bound |"))
        #expect(markdown.contains("client-bound: t c=1."))
        // Certifying again (a report recomputed) does not pile up notes.
        report.certify(ceiling: ceiling)
        #expect(report.targets[0].steps[0].notes.filter { $0.hasPrefix("client-bound") }.count == 1)
        // Records without client samples get no verdict even with a ceiling: unknown, not "fine".
        let unsampled = StepSummary(records: Self.records(nil), step: Self.step, objectives: .init())
        #expect(ClientVerdict(metrics: unsampled, ceiling: ceiling) == nil)
        // A ceiling that measured nothing never divides by zero.
        var empty = ceiling
        empty.chunksPerS = 0
        #expect(empty.reasons(for: metrics).isEmpty)
    }
}

extension LiveTests {
    @Suite struct ClientLoadLiveTests {
        static let configuration = SimulatorConfiguration(
            ttft: .milliseconds(20), itl: .milliseconds(5), outputTokens: 20)

        static func run(port: Int) async throws -> BenchmarkReport {
            try await BenchmarkRun.testRun(
                spec: simulatorSpec(port: port) {
                    $0.shapes = [.concurrency(users: 2)]
                    $0.maxRequests = 20
                    $0.outputTokens = 20
                }, outputDirectory: nil
            )
        }

        @Test func recordsCarryClientSamplesAndAQuietClientIsNotBound() async throws {
            let report = try await withSimulator(Self.configuration) { port, _ in try await Self.run(port: port) }
            let client = try #require(report.onlyStep.client)
            // Ten rounds of about 120 ms: every record after the first 100 ms carries a sample.
            #expect(client.samples >= 16)
            #expect(client.cpuShare.p50! < 0.9)
            #expect(client.eventLoopLagMs.count == client.samples)
            #expect(!client.clientBound, "\(client.reasons)")
        }

        @Test func calibrationMeasuresStreamsChunkRateAndTTFTOverheadAndIsCached() async throws {
            let ceiling = try await withEngine { try await HarnessCalibration.measure(engine: $0, streams: 32) }
            #expect(ceiling.streams == 32)
            #expect(ceiling.chunksPerS > 1000)
            #expect(ceiling.ttftOverheadMs.count == 200)
            // Zero TTFT at the simulator: what remains is loopback HTTP and the client, well under 50 ms.
            #expect(ceiling.ttftOverheadMs.p50! < 50)
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("llmbench-ceiling-\(UUID())")
            defer { try? FileManager.default.removeItem(at: folder) }
            try HarnessCalibration.store(ceiling, in: folder)
            #expect(HarnessCalibration.cached(in: folder) == ceiling)
            var stale = ceiling
            stale.llmbenchVersion = "0.0.0"
            try HarnessCalibration.store(stale, in: folder)
            #expect(HarnessCalibration.cached(in: folder) == nil)
        }

        @Test func aClientWhoseThreadsAreBusyIsStampedClientBound() async throws {
            // Work on the client's own thread pool that holds each thread for 40 ms at a time (as a client parsing
            // too slowly would): request tasks wait that long for a thread.
            let report = try await withThrowingTaskGroup(of: BenchmarkReport?.self) { group in
                for _ in 0..<ProcessInfo.processInfo.activeProcessorCount {
                    group.addTask {
                        while !Task.isCancelled {
                            let until = ContinuousClock.now + .milliseconds(40)
                            while ContinuousClock.now < until {}
                            await Task.yield()
                        }
                        return nil
                    }
                }
                let report = try await withSimulator(Self.configuration) { port, _ in try await Self.run(port: port) }
                group.cancelAll()
                return report
            }
            let client = try #require(report.onlyStep.client)
            #expect(client.clientBound)
            #expect(client.reasons.contains { $0.hasPrefix("timer lag") }, "\(client.reasons)")
        }
    }
}
