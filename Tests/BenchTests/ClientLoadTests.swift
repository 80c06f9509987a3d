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
    /// `count` records 100 ms apart, the n-th with head latency `heads(n)` ms, dispatched `lags(n)` ms after its
    /// slot, a 20 ms TTFT and a 40 ms E2E, each carrying `load(n)` (sample number n).
    static func records(
        _ count: Int = 20, heads: (Int) -> Double = { _ in 1 }, lags: (Int) -> Double = { _ in 0 },
        load: (Int) -> ClientLoad?
    ) -> [RequestRecord] {
        (0..<count).map { index in
            let start = Double(index) * 100
            let dispatched = start + lags(index)
            var made = record(
                id: index, scheduled: start, dispatched: dispatched, chunks: [dispatched + 20, dispatched + 30],
                end: dispatched + 40)
            made.responseHeadAt = .microseconds(Int64((dispatched + heads(index)) * 1000))
            made.clientLoad = load(index)
            made.clientLoad?.sample = index
            return made
        }
    }

    static func client(_ records: [RequestRecord], users: Int = 1) throws -> ClientLoadSummary {
        let step = LoadStep(shape: .concurrency(users: users), maxRequests: records.count)
        return try #require(StepSummary(records: records, step: step, objectives: .init()).client)
    }

    static let quiet = ClientLoad(cpuShare: 0.03, timerLagMs: 0.2, eventLoopLagMs: 0.1)
    static let loaded = ClientLoad(cpuShare: 0.3, timerLagMs: 2, eventLoopLagMs: 1)

    @Test func oneLagSpikeInAQuietStepIsNotAVerdict() throws {
        // The case: concurrency 1, 40 requests, 3 % CPU, one 25.8 ms event-loop lag sample.
        let spiked = Self.records(40, heads: { 1 + Double($0 % 3) * 0.1 }) { index in
            index == 17 ? ClientLoad(cpuShare: 0.03, timerLagMs: 0.2, eventLoopLagMs: 25.8) : Self.quiet
        }
        let client = try Self.client(spiked)
        #expect(client.samples == 40)
        #expect(client.clientBound == false, "\(client.reasons)")
        #expect(client.reasons.isEmpty)
        #expect(abs(client.addedLatencyMs!.p50! - 0.1) < 1e-9)
        // 80 chunks over the window from the first dispatch (0 ms) to the last end (3,940 ms).
        #expect(abs(client.chunksPerS! - 80 / 3.94) < 0.01)
    }

    @Test func latencyTheClientAddedBeforeTheFirstByteStampsALoadedClient() throws {
        // Heads from 1 to 20.5 ms: the client held requests up to 19.5 ms, p50 about 9.75 ms above the fastest.
        let slow = Self.records(heads: { 1 + Double($0) }) { _ in Self.loaded }
        let client = try Self.client(slow)
        #expect(client.clientBound == true)
        #expect(client.reasons == ["the client added about 9.5 ms before the first byte at p50 (limit 2.2 ms)"])
        // The same heads with a quiet client: a server that holds its head back, not the client.
        #expect(try Self.client(Self.records(heads: { 1 + Double($0) }) { _ in Self.quiet }).clientBound == false)
        // Only the tail slow (p95 above 5.5 ms) with a loaded client.
        let tail = Self.records(heads: { $0 >= 18 ? 30 : 1 }) { _ in Self.loaded }
        #expect(
            try Self.client(tail).reasons == [
                "the client added about 29.0 ms before the first byte at p95 (limit 5.5 ms)"
            ])
    }

    @Test func aClosedLoopWhoseUsersWaitForTheClientAndASaturatedClientAreBound() throws {
        // Four users; after the start burst every request was dispatched 10 ms after its slot, 25 % of a 40 ms E2E.
        let waiting = Self.records(lags: { $0 < 4 ? 30 : 10 }) { _ in Self.quiet }
        let client = try Self.client(waiting, users: 4)
        #expect(client.dispatchLagMs?.p50 == 10)
        #expect(client.clientBound == true)
        #expect(client.reasons == ["dispatch lag p50 10.0 ms is 25 % of the E2E p50: the users waited for the client"])
        // The start burst alone (all four due at once) is not saturation.
        #expect(
            try Self.client(Self.records(lags: { $0 < 4 ? 30 : 0.1 }) { _ in Self.quiet }, users: 4).clientBound
                == false)
        // A client busy on most of its cores, though the heads do not show it.
        let busy = try Self.client(
            Self.records { _ in ClientLoad(cpuShare: 0.7, timerLagMs: 0.5, eventLoopLagMs: 0.2) })
        #expect(busy.clientBound == true)
        #expect(busy.reasons == ["the client process kept 70 % of its usable cores busy at the median sample"])
    }

    @Test func fewRequestsOrNoSamplesGiveNoVerdict() throws {
        let few = try Self.client(
            Self.records(9) { _ in ClientLoad(cpuShare: 0.9, timerLagMs: 30, eventLoopLagMs: 30) })
        #expect(few.clientBound == nil)
        #expect(few.reasons == ["no verdict: 9 requests with a response head, fewer than the 10 needed"])
        // Records from before sampling carry nothing: the verdict is unavailable, not "fine".
        let step = LoadStep(shape: .concurrency(users: 1), maxRequests: 20)
        #expect(StepSummary(records: Self.records { _ in nil }, step: step, objectives: .init()).client == nil)
        // Records sharing one sample count it once.
        let shared = Self.records { _ in Self.quiet }.map { record in
            var record = record
            record.clientLoad?.sample = record.id / 5
            return record
        }
        #expect(try Self.client(shared).samples == 4)
    }

    @Test func aStepNearTheCeilingGetsANoteButNotTheVerdict() throws {
        let step = LoadStep(shape: .concurrency(users: 1), maxRequests: 20)
        let metrics = StepSummary(records: Self.records { _ in Self.quiet }, step: step, objectives: .init())
        var report = BenchmarkReport(
            llmbenchVersion: "test", generatedAt: "now", seed: 0, temperature: nil, slo: .init(),
            targets: [
                .init(
                    name: "t", baseURL: "http://x", model: "m", steps: [.init(index: 0, step: step, metrics: metrics)])
            ])
        let ceiling = HarnessCeiling(
            measuredAt: "now", llmbenchVersion: "test", build: "debug", host: "h", cores: 2, streams: 1, chunksPerS: 20,
            ttftOverheadMs: DistributionSummary([1, 2]))
        report.certify(ceiling: ceiling)
        let certified = report.targets[0].steps[0]
        #expect(certified.client?.clientBound == false)
        #expect(certified.client?.ceiling == ["reading 103 % of the client ceiling (20 chunks/s)"])
        #expect(certified.notes.contains("client ceiling: reading 103 % of the client ceiling (20 chunks/s)"))
        #expect(report.clientBoundSteps.isEmpty)
        var busy = report
        busy.targets[0].steps[0].metrics = StepSummary(
            records: Self.records { _ in ClientLoad(cpuShare: 0.8, timerLagMs: 5, eventLoopLagMs: 2) }, step: step,
            objectives: .init())
        busy.certify(ceiling: ceiling)
        #expect(busy.targets[0].steps[0].displayLabel == "c=1 ⚠ client-bound")
        #expect(busy.clientBoundSteps == ["t c=1"])
        let markdown = MarkdownReportRenderer.render(busy)
        #expect(markdown.contains("| t | c=1 ⚠ client-bound |"))
        #expect(markdown.contains("client-bound: t c=1."))
        // Certifying again (a report recomputed) does not pile up notes.
        busy.certify(ceiling: ceiling)
        #expect(busy.targets[0].steps[0].notes.filter { $0.hasPrefix("client-bound") }.count == 1)
        // A ceiling that measured nothing never divides by zero.
        var empty = ceiling
        empty.chunksPerS = 0
        #expect(empty.comparisons(for: metrics).isEmpty)
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
            // Ten rounds of about 120 ms, a sample every 100 ms, each counted once however many records carry it.
            #expect((8...14).contains(client.samples), "\(client.samples)")
            #expect(client.cpuShare.p50! < 0.9)
            #expect(client.eventLoopLagMs.count == client.samples)
            #expect(client.clientBound == false, "\(client.reasons)")
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
            #expect(client.clientBound == true, "\(client.reasons)")
        }
    }
}
