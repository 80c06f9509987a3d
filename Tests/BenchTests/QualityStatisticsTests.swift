import BenchMetrics
import Foundation
import Testing

/// The statistics quality scores are reported with, against values computed by hand.
@Suite struct QualityStatisticsTests {
    @Test func normalQuantilesAreExact() {
        #expect(abs(NormalDistribution.twoSidedZ(0.95) - 1.959963984540054) < 1e-9)
        #expect(abs(NormalDistribution.quantile(0.8) - 0.8416212335729143) < 1e-9)
        #expect(abs(NormalDistribution.quantile(0.001) + 3.090232306167813) < 1e-9)
        #expect(abs(NormalDistribution.cdf(1.959963984540054) - 0.975) < 1e-12)
    }

    @Test func wilsonIntervalByHand() throws {
        // 8 of 10: centre (0.8 + 1.92073/10)/(1.38415) = 0.71674, half 1.41601·√(0.016 + 0.0096037) = 0.22657.
        let interval = try #require(ProportionInterval.wilson(successes: 8, trials: 10))
        #expect(abs(interval.lower - 0.49016) < 1e-4 && abs(interval.upper - 0.94331) < 1e-4)
        // It does not collapse at the edges, unlike p ± z·SE.
        let none = try #require(ProportionInterval.wilson(successes: 0, trials: 20))
        #expect(none.lower == 0 && none.upper > 0.13 && none.upper < 0.17)
        #expect(ProportionInterval.wilson(successes: 1, trials: 0) == nil)
        // Rule of three: 0 of 450 → below 1 − 0.05^(1/450) ≈ 0.66 %.
        let bound = try #require(ProportionInterval.upperBoundWithNoEvents(trials: 450))
        #expect(abs(bound - 0.0066351) < 1e-6 && bound < 3.0 / 450)
    }

    @Test func clusteredStandardErrorIsWiderWhenClustersAgreeInside() throws {
        let scores: [Double] = [1, 1, 0, 0]
        let plain = try #require(ScoreEstimate(scores: scores))
        // Σr² / (n(n−1)) = 1/12.
        #expect(abs(plain.standardError - (1.0 / 12).squareRoot()) < 1e-12)
        let clustered = try #require(ScoreEstimate(scores: scores, clusters: ["a", "a", "b", "b"]))
        // + (1/16)·[(0.5+0.5)² − 0.5] · 2 clusters = 1/12 + 1/16.
        #expect(abs(clustered.standardError - (1.0 / 12 + 1.0 / 16).squareRoot()) < 1e-12)
        #expect(clustered.clusters == 2 && clustered.interval.contains(0.5))
    }

    @Test func mcnemarExactAndChiSquareByHand() throws {
        // b = 1, c = 9: 2·(C(10,0) + C(10,1))/2¹⁰ = 22/1024.
        #expect(abs(McNemar.exactPValue(b: 1, c: 9) - 22.0 / 1024) < 1e-12)
        #expect(McNemar.exactPValue(b: 5, c: 5) == 1)
        #expect(McNemar.exactPValue(b: 0, c: 0) == 1)
        let test = try #require(McNemar.chiSquare(b: 10, c: 20))
        #expect(abs(test.statistic - 2.7) < 1e-12)  // (|10 − 20| − 1)² / 30
        #expect(abs(test.pValue - 0.10034824) < 1e-6)
        // Large counts stay finite.
        #expect(McNemar.exactPValue(b: 400, c: 600) < 1e-9)
    }

    @Test func pairedComparisonOfRightWrongScores() throws {
        // A is right on 8 items where B is wrong, B on 2 where A is wrong, both right on 10 (n = 20).
        let a = Array(repeating: 1.0, count: 8) + Array(repeating: 0.0, count: 2) + Array(repeating: 1.0, count: 10)
        let b = Array(repeating: 0.0, count: 8) + Array(repeating: 1.0, count: 2) + Array(repeating: 1.0, count: 10)
        let comparison = try #require(PairedComparison(a: a, b: b, seed: 7))
        #expect(abs(comparison.meanDifference - 0.3) < 1e-12)
        #expect(comparison.onlyA == 8 && comparison.onlyB == 2)
        #expect(abs((comparison.mcnemarP ?? 0) - McNemar.exactPValue(b: 8, c: 2)) < 1e-15)
        #expect(comparison.bootstrapInterval.contains(0.3) && comparison.interval.contains(0.3))
        // The same seed gives the same bootstrap interval.
        #expect(PairedComparison(a: a, b: b, seed: 7)?.bootstrapInterval == comparison.bootstrapInterval)
        #expect(PairedComparison(a: [1], b: [1]) == nil)
    }

    @Test func plannerReproducesTheReferenceTable() {
        // N = 100 at 15 % discordance: 2.8016·√0.0015 = 10.85 points; 2,943 items to detect 2 points.
        #expect(abs(SamplePlanner.pairedMinimumDetectableDifference(items: 100, discordance: 0.15) - 0.10851) < 1e-4)
        #expect(abs(SamplePlanner.unpairedMinimumDetectableDifference(items: 1_000, accuracy: 0.5) - 0.06265) < 1e-4)
        #expect(SamplePlanner.pairedItemsNeeded(difference: 0.02, discordance: 0.15) == 2_944)
        // Unpaired at p = 0.7 to detect 2 points: 2.8016² · 0.42 / 0.0004 → 8,242 per model; and it round-trips.
        let unpaired = SamplePlanner.unpairedItemsNeeded(difference: 0.02, accuracy: 0.7)
        #expect(unpaired == 8_242)
        #expect(SamplePlanner.unpairedMinimumDetectableDifference(items: unpaired, accuracy: 0.7) <= 0.02)
        #expect(SamplePlanner.unpairedMinimumDetectableDifference(items: unpaired - 1, accuracy: 0.7) > 0.02)
    }

    @Test func multipleComparisonAdjustmentsByHand() {
        #expect(MultipleComparisons.holm([0.01, 0.04, 0.03]) == [0.03, 0.06, 0.06])
        let bh = MultipleComparisons.benjaminiHochberg([0.01, 0.04, 0.03])
        #expect(zip(bh, [0.03, 0.04, 0.04]).allSatisfy { abs($0 - $1) < 1e-12 })
    }
}
