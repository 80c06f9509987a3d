import BenchEngine
import BenchProviders
import BenchCore
import BenchMetrics
import BenchSimulator
import Foundation
import Testing

@Suite struct PairedSpeedTests {
    @Test func theOrderOfEachRoundIsASeededPermutationThatVaries() {
        let orders = (0..<40).map { InterleavedRun.order(targets: 3, round: $0, seed: 7) }
        #expect(orders.allSatisfy { $0.sorted() == [0, 1, 2] })
        #expect(Set(orders).count == 6)
        #expect(orders == (0..<40).map { InterleavedRun.order(targets: 3, round: $0, seed: 7) })
        // Each target goes first in roughly a third of the rounds.
        #expect((0..<3).allSatisfy { first in (6...22).contains(orders.filter { $0[0] == first }.count) })
    }

    @Test func pairedDifferencesBetterSharesAndMedians() throws {
        // A is 10 ms slower on every prompt but the prompts themselves differ by up to 300 ms: pairing sees 10.
        let b = [100.0, 250, 400, 180, 320]
        let a = b.map { $0 + 10 }
        let metric = try #require(PairedSpeedMetric(a: a, b: b, lowerIsBetter: true))
        #expect(abs(metric.difference.meanDifference - 10) < 1e-9)
        #expect(metric.difference.standardError == 0)
        #expect(metric.medianDifference == 10)
        #expect(metric.aBetterShare == 0)
        let speeds = try #require(PairedSpeedMetric(a: [50, 60, 55], b: [50, 40, 45], lowerIsBetter: false))
        // One tie (half), two wins for A.
        #expect(abs(speeds.aBetterShare - 2.5 / 3) < 1e-9)
        #expect(PairedSpeedMetric(a: [1], b: [2], lowerIsBetter: true) == nil)
    }

    @Test func aPairedVerdictNeedsTenPairsAndAnIntervalClearOfZero() throws {
        // 5 pairs, A 10 ms slower on each: too few pairs, and a degenerate interval, whatever the mean says.
        let five = try #require(
            PairedSpeedMetric(a: [110, 260, 410, 190, 330], b: [100, 250, 400, 180, 320], lowerIsBetter: true))
        #expect(five.verdict == .cannotTell)
        // 40 pairs, A 10 ± 3 ms faster: A did better.
        let b = (0..<40).map { 100 + Double($0 * 7 % 90) }
        let a = b.enumerated().map { $1 - 10 + Double($0 % 7 - 3) }
        let faster = try #require(PairedSpeedMetric(a: a, b: b, lowerIsBetter: true))
        #expect(faster.verdict == .aBetter && faster.pairsNeeded == nil)
        // The same differences on a speed, where higher is better: B did better.
        #expect(try #require(PairedSpeedMetric(a: a, b: b, lowerIsBetter: false)).verdict == .bBetter)
        // 12 pairs whose differences straddle 0 (mean +0.5, SD about 10.4): cannot tell, and about how many would.
        let noisy = try #require(
            PairedSpeedMetric(
                a: [10, -10, 12, -9, 11, -12, 9, -11, 10, -10, 12, -6], b: Array(repeating: 0, count: 12),
                lowerIsBetter: true))
        #expect(noisy.verdict == .cannotTell)
        let d = noisy.difference
        let expected = Int(
            (12 * pow(NormalDistribution.twoSidedZ(0.95) * d.standardError / d.meanDifference, 2)).rounded(.up))
        #expect(noisy.pairsNeeded == expected && expected > 1000)
    }
}

extension LiveTests {
    @Suite struct InterleavedRunLiveTests {
        @Test func twoSimulatorsWithKnownTimingGiveTheirDifferenceWithAnInterval() async throws {
            let slow = SimulatorConfiguration(ttft: .milliseconds(60), itl: .milliseconds(4), outputTokens: 16)
            let fast = SimulatorConfiguration(ttft: .milliseconds(30), itl: .milliseconds(2), outputTokens: 16)
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("llmbench-paired-\(UUID())")
            defer { try? FileManager.default.removeItem(at: folder) }
            let summary = try await withSimulator(slow) { slowPort, _ in
                try await withSimulator(fast) { fastPort, _ in
                    var spec = simulatorSpec(port: slowPort)
                    spec.targets = [
                        .init(name: "slow", baseURL: "http://127.0.0.1:\(slowPort)/v1", model: "sim"),
                        .init(name: "fast", baseURL: "http://127.0.0.1:\(fastPort)/v1", model: "sim"),
                    ]
                    spec.outputTokens = 16
                    return try await withEngine { engine in
                        try await InterleavedRun(
                            spec: spec, engine: engine, rounds: 12, concurrency: 2, outputDirectory: folder
                        ).run()
                    }
                }
            }
            let pair = try #require(summary.comparisons.first)
            #expect(summary.comparisons.count == 1 && pair.a == "slow" && pair.b == "fast")
            #expect(pair.pairs == 12)
            #expect((1...11).contains(pair.aFirst))
            // TTFT 60 vs 30 ms: +30 ms; E2E adds 15 gaps of 4 vs 2 ms: +60 ms; decode 250 vs 500 tok/s.
            let ttft = try #require(pair.ttftMs)
            #expect(abs(ttft.difference.meanDifference - 30) < 5, "\(ttft.difference)")
            #expect(ttft.difference.interval.lower > 0 && ttft.aBetterShare == 0)
            let e2e = try #require(pair.e2eMs)
            #expect(abs(e2e.difference.meanDifference - 60) < 10, "\(e2e.difference)")
            let decode = try #require(pair.decodeTps)
            #expect(decode.difference.interval.upper < 0 && decode.aBetterShare == 0)
            // The records and the summary are on disk; each round's prompt is the same for both targets.
            let lines = try String(contentsOf: folder.appendingPathComponent("records.jsonl"), encoding: .utf8)
                .split(separator: "\n")
            let records = try lines.map { try JSONDecoder().decode(RequestRecord.self, from: Data($0.utf8)) }
            #expect(records.count == 24)
            for round in 0..<12 {
                let pair = records.filter { $0.id / 2 == round }
                #expect(pair.count == 2 && Set(pair.map(\.promptIndex)).count == 1)
            }
            #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("paired.json").path))
        }
    }
}
