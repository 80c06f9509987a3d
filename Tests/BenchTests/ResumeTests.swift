import BenchEngine
import BenchProviders
import BenchCore
import BenchEval
import BenchMetrics
import BenchReport
import BenchRunner
import BenchSimulator
import Foundation
import Testing

/// A record sink in memory, for runs that a test interrupts and resumes.
actor MemorySink: RunResults {
    private(set) var stored: [RequestRecord]
    private var quality: [String: [EvalItemResult]] = [:]

    init(_ records: [RequestRecord] = []) {
        stored = records
    }

    func append(_ record: RequestRecord) {
        stored.append(record)
    }

    func records(target: String, step: Int) -> [RequestRecord] {
        stored.filter { $0.target == target && $0.step == step }.sorted { $0.id < $1.id }
    }

    func appendQuality(_ result: EvalItemResult, target: String, task: Int) {
        quality["\(target)#\(task)", default: []].append(result)
    }

    func qualityResults(target: String, task: Int) -> [EvalItemResult] {
        quality["\(target)#\(task)"] ?? []
    }
}

@Suite struct ResumePlanTests {
    static func record(_ id: Int, scheduled: Int, ended: Int, segment: Int = 0) -> RequestRecord {
        var record = blankRecord()
        record.id = id
        record.scheduledAt = .seconds(scheduled)
        record.slotAcquiredAt = .seconds(scheduled)
        record.endedAt = .seconds(ended)
        record.segment = segment
        return record
    }

    @Test func aCountedStepSendsOnlyWhatIsNotStored() {
        let step = LoadStep(shape: .concurrency(users: 2), maxRequests: 5)
        let plan = ResumePlan(
            step: step, previous: [Self.record(0, scheduled: 0, ended: 1), Self.record(2, scheduled: 0, ended: 2)],
            segment: 1)
        #expect(plan.stored == [0, 2] && plan.remaining == step && plan.segment == 1)
        let done = ResumePlan(step: step, previous: (0..<5).map { Self.record($0, scheduled: 0, ended: 1) }, segment: 1)
        #expect(done.remaining == nil)
        #expect(ResumePlan(step: step, previous: [], segment: 0).remaining == step)
    }

    @Test func aConversationStepIsCompleteWhenEveryConversationHasATurn() {
        // Ids 100…107: two conversations of four turns; the first failed at its second turn.
        let step = LoadStep(shape: .concurrency(users: 1), maxRequests: 8)
        let firstOnly = [100, 101].map { Self.record($0, scheduled: 0, ended: 1) }
        let partial = ResumePlan(
            step: step, previous: firstOnly, segment: 1, firstRequestID: 100, requestsPerConversation: 4)
        #expect(partial.remaining != nil && partial.stored == [100, 101])
        let both = ResumePlan(
            step: step, previous: firstOnly + [104, 105, 106, 107].map { Self.record($0, scheduled: 1, ended: 2) },
            segment: 1, firstRequestID: 100, requestsPerConversation: 4)
        #expect(both.remaining == nil)
    }

    @Test func aTimedStepRunsForTheTimeItHasLeft() {
        let step = LoadStep(shape: .concurrency(users: 2), maxDuration: .seconds(60))
        // Two earlier segments: 10 s and 15 s (offsets continue across segments).
        let previous = [
            Self.record(0, scheduled: 0, ended: 4), Self.record(1, scheduled: 2, ended: 10),
            Self.record(2, scheduled: 20, ended: 35, segment: 1),
        ]
        #expect(ResumePlan(step: step, previous: previous, segment: 2).remaining?.maxDuration == .seconds(35))
        let spent = [Self.record(0, scheduled: 0, ended: 70)]
        #expect(ResumePlan(step: step, previous: spent, segment: 1).remaining == nil)
    }

    @Test func theWindowOfASegmentedStepLeavesOutTheDowntime() throws {
        let step = LoadStep(shape: .concurrency(users: 1), maxRequests: 4, warmup: .seconds(1))
        let records = [
            Self.record(0, scheduled: 0, ended: 2), Self.record(1, scheduled: 2, ended: 5),
            Self.record(2, scheduled: 100, ended: 103, segment: 1),
            Self.record(3, scheduled: 103, ended: 104, segment: 1),
        ]
        let window = try #require(MeasurementWindow(records: records, step: step))
        // [1, 5] and [101, 104]: 4 s + 3 s, not 103 s.
        #expect(window.segments.count == 2 && window.length == .seconds(7))
        #expect(records.allSatisfy(window.contains))
        let summary = StepSummary(records: records, step: step, objectives: ServiceLevelObjectives())
        #expect(summary.window?.segments == 2 && summary.window?.lengthS == 7)
    }
}

extension LiveTests {
    @Suite struct ResumeLoopbackTests {
        @Test func anInterruptedRunResumesWithoutRedoingOrDuplicatingRequests() async throws {
            let configuration = SimulatorConfiguration(ttft: .milliseconds(2), itl: .zero, outputTokens: 4)
            @Sendable func spec(_ port: Int) -> BenchSpec {
                simulatorSpec(port: port) {
                    $0.shapes = [.concurrency(users: 2), .concurrency(users: 1)]
                    $0.maxRequests = 6
                    $0.outputTokens = 4
                }
            }
            // A full run, of which only the first step's first four records "survive a crash".
            let full = MemorySink()
            try await withSimulator(configuration) { port, _ in
                try await withEngine { engine in
                    try await BenchmarkRun(spec: spec(port), engine: engine, outputDirectory: nil).execute(into: full)
                }
            }
            let survivors = await full.stored.filter { $0.step == 0 && $0.id < 4 }
            #expect(survivors.count == 4)
            let resumed = MemorySink(survivors)
            let (report, sent) = try await withSimulator(configuration) { port, simulator in
                let report = try await withEngine { engine in
                    let run = BenchmarkRun(
                        spec: spec(port), engine: engine, outputDirectory: nil, resumption: .init(after: survivors))
                    try await run.execute(into: resumed)
                    return try await run.report(from: resumed)
                }
                return (report, simulator.statistics.requests)
            }
            // Two requests finish step 0, six make step 1: nothing is sent twice.
            #expect(sent == 2 + 6)
            let stored = await resumed.stored
            #expect(stored.map(\.id).sorted() == Array(0..<12))
            #expect(stored.filter { $0.id >= 4 }.allSatisfy { $0.segment == 1 })
            // The new segment's clock starts after everything the first one stored.
            let lastSurvivor = try #require(survivors.map(\.endedAt).max())
            #expect(stored.filter { $0.segment == 1 }.allSatisfy { $0.scheduledAt > lastSurvivor })
            let first = report.targets[0].steps[0]
            #expect(first.metrics.counts.succeeded == 6 && first.metrics.window?.segments == 2)
            #expect(first.notes.contains { $0.contains("2 segments") })
            #expect(report.targets[0].steps[1].metrics.window?.segments == 1)
        }
    }
}
