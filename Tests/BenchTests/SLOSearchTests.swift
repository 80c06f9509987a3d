import BenchEngine
import BenchProviders
import BenchCore
import BenchMetrics
import BenchReport
import BenchSimulator
import Foundation
import Testing

@Suite struct SLOSearchTests {
    /// A probe that records what it was asked and passes up to `limit`.
    actor Prober {
        var asked: [Double] = []
        let limit: Double
        init(limit: Double) { self.limit = limit }
        func probe(_ load: Double) -> Bool {
            asked.append(load)
            return load <= limit
        }
    }

    @Test func bracketingThenBisectionFindsTheLastWholeLoadThatPasses() async {
        let prober = Prober(limit: 11)
        let (best, probes) = await SLOSearch.run(lower: 1, upper: 64, wholeNumbers: true) { await prober.probe($0) }
        #expect(best == 11)
        #expect(probes.map(\.load) == [1, 2, 4, 8, 16, 12, 10, 11])
        #expect(probes.map(\.passed) == [true, true, true, true, false, false, true, true])
    }

    @Test func ratesAreBisectedToTheTolerance() async {
        let prober = Prober(limit: 7.3)
        let (best, probes) = await SLOSearch.run(lower: 1, upper: 100, tolerance: 0.1, wholeNumbers: false) {
            await prober.probe($0)
        }
        // 7 passes, 7.5 fails: within 10 % of 7, the answer.
        #expect(best == 7 && probes.map(\.load) == [1, 2, 4, 8, 6, 7, 7.5])
    }

    @Test func theBoundsDecideWhenEverythingPassesOrNothingDoes() async {
        let none = await SLOSearch.run(lower: 2, upper: 8, wholeNumbers: true) { _ in false }
        #expect(none.best == nil && none.probes.count == 1)
        let all = await SLOSearch.run(lower: 2, upper: 20, wholeNumbers: true) { _ in true }
        #expect(all.best == 20 && all.probes.map(\.load) == [2, 4, 8, 16, 20])
    }

    @Test func objectivesNameWhatAStepMisses() throws {
        let report = try ReportPageTests.run.report()
        let slow = try #require(report.targets.first?.steps.last?.metrics)  // SmolLM2 at c=8: p99 TTFT 5108 ms
        let criteria = SLOCriteria(ttftP99Ms: 1000, maxErrorRate: 0.01)
        #expect(criteria.misses(slow) == ["p99 TTFT 5108 ms > 1000 ms"])
        #expect(SLOCriteria(ttftP99Ms: 6000).misses(slow).isEmpty && SLOCriteria().isEmpty)
    }
}

extension LiveTests {
    @Suite struct SLOSearchLoopbackTests {
        @Test func theSearchFindsWhereTheSimulatorsCapacityBreaksTheITLObjective() async throws {
            // Four streams at full speed (10 ms between tokens), then every stream slows in proportion: at
            // concurrency c > 4 the ITL is 10·c/4 ms — 15 ms at 6, 17.5 ms at 7 — so an objective of 17 ms is met up
            // to 6.
            let configuration = SimulatorConfiguration(
                ttft: .milliseconds(5), itl: .milliseconds(10), outputTokens: 20, capacity: 4)
            let result = try await withSimulator(configuration) { port, _ in
                var spec = BenchSpec()
                spec.targets = [BenchSpec.Target(name: "sim", baseURL: "http://127.0.0.1:\(port)/v1", model: "sim")]
                spec.maxRequests = 24
                spec.inputTokens = 16
                spec.outputTokens = 20
                return try await withEngine { engine in
                    try await SLOSearchRun(
                        spec: spec, engine: engine, criteria: SLOCriteria(itlP99Ms: 17), dimension: .concurrency,
                        lower: 1, upper: 32
                    ).run()
                }
            }
            #expect(result.maxLoad == 6, "curve: \(result.curve.map { ($0.load, $0.itlP99Ms ?? 0) })")
            #expect(result.curve.map(\.load) == [1, 2, 4, 6, 7, 8])
            #expect(result.curve.first { $0.load == 7 }?.misses.first?.hasPrefix("p99 ITL") == true)
            #expect((result.maxGoodputRps ?? 0) > 0)
        }
    }
}
