import BenchCore
import Foundation

/// Bradley–Terry ratings from pairwise comparisons: P(i beats j) = πᵢ ÷ (πᵢ + πⱼ), fitted by Hunter's MM
/// iteration πᵢ ← Wᵢ ÷ Σⱼ nᵢⱼ ÷ (πᵢ + πⱼ) (Wᵢ = wins, a tie counting half to each; nᵢⱼ = comparisons of i and
/// j). Each compared pair also gets one virtual tie, so a candidate that never wins (or never loses) keeps a finite
/// rating. Ratings are on the Elo scale: Rᵢ = 1000 + 400·log₁₀(πᵢ ÷ geometric mean of π), so a 400-point gap
/// means 10:1 odds. Intervals: the percentile bootstrap over items (every comparison of a resampled item kept
/// together), from a seeded generator.
public struct BradleyTerry: Sendable, Hashable, Codable {
    /// One comparison: candidates `first` and `second` (indices), and the first's result: 1 win, ½ tie, 0 loss.
    public struct Comparison: Sendable, Hashable {
        public var first: Int
        public var second: Int
        public var score: Double
        /// What resampling keeps together (the item).
        public var group: String

        public init(first: Int, second: Int, score: Double, group: String) {
            self.first = first
            self.second = second
            self.score = score
            self.group = group
        }
    }

    /// A candidate's Elo-scale rating and its bootstrap interval (nil without resamples).
    public struct Rating: Sendable, Hashable, Codable {
        public var candidate: String
        public var rating: Double
        public var interval: Interval?
    }

    /// In the order the candidates were given.
    public var ratings: [Rating]
    /// Bootstrap resamples behind the intervals.
    public var resamples: Int

    /// Nil with no comparisons or fewer than two candidates.
    public init?(
        candidates: [String], comparisons: [Comparison], resamples: Int = 1_000, confidence: Double = 0.95,
        seed: UInt64 = 0
    ) {
        guard candidates.count >= 2, !comparisons.isEmpty, resamples >= 0 else { return nil }
        let point = Self.fit(count: candidates.count, comparisons)
        let groups = Dictionary(grouping: comparisons, by: \.group).sorted { $0.key < $1.key }.map(\.value)
        var generator = SeededRandom(seed: seed)
        var samples = Array(repeating: [Double](), count: candidates.count)
        for _ in 0..<resamples {
            var drawn: [Comparison] = []
            for _ in 0..<groups.count { drawn += groups[Int(generator.next() % UInt64(groups.count))] }
            for (index, rating) in Self.fit(count: candidates.count, drawn).enumerated() {
                samples[index].append(rating)
            }
        }
        let alpha = (1 - confidence) / 2
        ratings = candidates.enumerated().map { index, name in
            let sorted = samples[index].sorted()
            let interval =
                resamples > 1
                ? Interval(
                    lower: Percentile.linear(sorted: sorted, p: alpha * 100) ?? .nan,
                    upper: Percentile.linear(sorted: sorted, p: (1 - alpha) * 100) ?? .nan, confidence: confidence)
                : nil
            return Rating(candidate: name, rating: point[index], interval: interval)
        }
        self.resamples = resamples
    }

    /// Elo-scale ratings of `count` candidates from the comparisons (MM iteration to 10⁻¹⁰ or 10,000 rounds).
    public static func fit(count: Int, _ comparisons: [Comparison]) -> [Double] {
        var wins = Array(repeating: 0.0, count: count)
        var games = Array(repeating: Array(repeating: 0.0, count: count), count: count)
        for comparison in comparisons where comparison.first != comparison.second {
            wins[comparison.first] += comparison.score
            wins[comparison.second] += 1 - comparison.score
            games[comparison.first][comparison.second] += 1
            games[comparison.second][comparison.first] += 1
        }
        for i in 0..<count {
            for j in 0..<count where i != j && games[i][j] > 0 {
                games[i][j] += 1  // the virtual tie: half a win each way
                wins[i] += 0.5
            }
        }
        var strength = Array(repeating: 1.0, count: count)
        for _ in 0..<10_000 {
            var next = strength
            for i in 0..<count {
                let denominator = (0..<count).reduce(0.0) { sum, j in
                    games[i][j] > 0 ? sum + games[i][j] / (strength[i] + strength[j]) : sum
                }
                if denominator > 0 { next[i] = wins[i] / denominator }
            }
            let logMean = next.map { log($0) }.reduce(0, +) / Double(count)
            next = next.map { $0 / exp(logMean) }
            let change = zip(next, strength).map { abs($0 - $1) }.max() ?? 0
            strength = next
            if change < 1e-10 { break }
        }
        return strength.map { 1000 + 400 * log10($0) }
    }
}
