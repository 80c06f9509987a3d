public import BenchMetrics
import Foundation

/// Pairwise preference over judged pairs (``PairwiseJudgment``): per pair of candidates the win and tie rates
/// (Wilson intervals over the items both orders could be read for), Bradley–Terry ratings over all candidates with
/// bootstrap intervals (``BradleyTerry``), a bias report and warnings.
public struct PairwiseSummary: Sendable, Hashable, Codable {
    /// Two candidates' record against each other.
    public struct PairFigures: Sendable, Hashable, Codable {
        /// The two candidates, in the order the rates name them.
        public var candidates: [String]
        /// Items both orders could be read for.
        public var compared: Int
        public var firstWins: Rate
        public var secondWins: Rate
        public var ties: Rate

        enum CodingKeys: String, CodingKey {
            case candidates, compared, ties
            case firstWins = "first_wins"
            case secondWins = "second_wins"
        }
    }

    /// How far the judge's preferences follow the presentation instead of the content.
    ///
    /// - position flips = pairs where each order preferred a different candidate (the judge followed the position,
    ///   not the answers) ÷ pairs with both orders read (0 is ideal; these pairs count as ties);
    /// - answer shown first preferred = single-order verdicts picking A ÷ single-order verdicts that are not TIE
    ///   (½ is ideal);
    /// - length correlation = Pearson's r between the relative length difference (Lₐ − L_b) ÷ (Lₐ + L_b) and the
    ///   first candidate's result (1, ½, 0) — near 0 is ideal; longer answer wins = decided pairs of unequal length
    ///   won by the longer answer ÷ such pairs. A length effect may be real quality; read it with the answers.
    public struct Bias: Sendable, Hashable, Codable {
        public var positionFlips: Rate
        public var firstShownPreferred: Rate?
        public var lengthCorrelation: Double?
        public var longerWins: Rate?

        enum CodingKeys: String, CodingKey {
            case positionFlips = "position_flips"
            case firstShownPreferred = "first_shown_preferred"
            case lengthCorrelation = "length_correlation"
            case longerWins = "longer_wins"
        }
    }

    /// `id/version` of the pairwise template.
    public var template: String
    public var judge: String
    public var judgeModel: String
    public var candidates: [String]
    /// Pairs judged (each in both orders), and those left out: an order without a verdict, or failed.
    public var judgments: Int
    public var unparsed: Int
    public var failed: Int
    public var pairs: [PairFigures]
    /// Nil with fewer than two candidates or no decided pair.
    public var ratings: BradleyTerry?
    public var bias: Bias
    /// Self-preference (judge and a candidate of one family) and a detected position bias.
    public var warnings: [String]
    public var judgeCostUSD: Double?
    public var judgeLatencyMilliseconds: DistributionSummary

    /// - Parameters:
    ///   - candidateModels: each candidate's model name (for the self-preference warning).
    public init(
        judgments: [PairwiseJudgment], candidates: [String], candidateModels: [String: String], judge: String,
        judgeModel: String, resamples: Int = 1_000, seed: UInt64 = 0, confidence: Double = 0.95
    ) {
        template = judgments.first?.forward.template ?? JudgeTemplate.pairwise.name
        self.judge = judge
        self.judgeModel = judgeModel
        self.candidates = candidates
        self.judgments = judgments.count
        unparsed = judgments.filter { $0.outcome == .unparsed }.count
        failed = judgments.filter { $0.outcome == .failed }.count
        let decided = judgments.filter { $0.firstScore != nil }
        var pairs: [PairFigures] = []
        for (i, a) in candidates.enumerated() {
            for b in candidates.dropFirst(i + 1) {
                let scores = decided.compactMap { judgment -> Double? in
                    guard let score = judgment.firstScore else { return nil }
                    if judgment.first == a && judgment.second == b { return score }
                    if judgment.first == b && judgment.second == a { return 1 - score }
                    return nil
                }
                guard !scores.isEmpty else { continue }
                func rate(_ value: Double) -> Rate {
                    Rate(successes: scores.filter { $0 == value }.count, of: scores.count, confidence: confidence)
                }
                pairs.append(
                    PairFigures(
                        candidates: [a, b], compared: scores.count, firstWins: rate(1), secondWins: rate(0),
                        ties: rate(0.5)))
            }
        }
        self.pairs = pairs
        let index = Dictionary(uniqueKeysWithValues: candidates.enumerated().map { ($1, $0) })
        ratings = BradleyTerry(
            candidates: candidates,
            comparisons: decided.compactMap { judgment in
                guard let first = index[judgment.first], let second = index[judgment.second],
                    let score = judgment.firstScore
                else { return nil }
                return BradleyTerry.Comparison(first: first, second: second, score: score, group: judgment.itemID)
            },
            resamples: resamples, confidence: confidence, seed: seed)
        bias = Self.bias(judgments, decided: decided, confidence: confidence)
        var warnings: [String] = []
        if let family = ModelFamily.of(judgeModel) {
            for candidate in candidates where candidateModels[candidate].flatMap(ModelFamily.of) == family {
                warnings.append(
                    "self-preference: the judge (\(judgeModel)) and \(candidate) are both \(family) models; judges tend to prefer their own family's answers"
                )
            }
        }
        if let first = bias.firstShownPreferred, let interval = first.interval, !interval.contains(0.5) {
            warnings.append(
                "position bias: the judge picked the answer shown first in \(Int((first.value * 100).rounded()))% of its verdicts (50% expected); both orders are asked, so these count as ties"
            )
        }
        self.warnings = warnings
        let records = judgments.flatMap { [$0.forward, $0.backward] }
        let costs = records.compactMap(\.costUSD)
        judgeCostUSD = costs.isEmpty ? nil : costs.reduce(0, +)
        judgeLatencyMilliseconds = DistributionSummary(records.compactMap(\.latencyMilliseconds))
    }

    static func bias(_ judgments: [PairwiseJudgment], decided: [PairwiseJudgment], confidence: Double) -> Bias {
        let flipped = decided.filter { judgment in
            let one = PairwiseJudgment.preference(judgment.forward, firstShownAs: "A")
            let other = PairwiseJudgment.preference(judgment.backward, firstShownAs: "B")
            return one != other && one != .tie && other != .tie
        }
        let verdicts = judgments.flatMap { [$0.forward, $0.backward] }.filter { $0.error == nil }
            .compactMap(\.verdict).filter { $0 != "TIE" }
        let relative = decided.map { judgment -> Double in
            let total = judgment.firstLength + judgment.secondLength
            return total == 0 ? 0 : Double(judgment.firstLength - judgment.secondLength) / Double(total)
        }
        let unequal = decided.filter { $0.firstLength != $0.secondLength && $0.firstScore != 0.5 }
        let longerWon = unequal.filter { ($0.firstLength > $0.secondLength) == ($0.firstScore == 1) }
        return Bias(
            positionFlips: Rate(successes: flipped.count, of: decided.count, confidence: confidence),
            firstShownPreferred: verdicts.isEmpty
                ? nil
                : Rate(
                    successes: verdicts.filter { $0 == "A" }.count, of: verdicts.count, confidence: confidence),
            lengthCorrelation: Self.pearson(relative, decided.compactMap(\.firstScore)),
            longerWins: unequal.isEmpty
                ? nil : Rate(successes: longerWon.count, of: unequal.count, confidence: confidence))
    }

    /// Pearson's r; nil with fewer than 3 pairs or no spread in either list.
    static func pearson(_ x: [Double], _ y: [Double]) -> Double? {
        guard x.count == y.count, x.count >= 3 else { return nil }
        let n = Double(x.count)
        let mx = x.reduce(0, +) / n
        let my = y.reduce(0, +) / n
        let sxy = zip(x, y).reduce(0) { $0 + ($1.0 - mx) * ($1.1 - my) }
        let sxx = x.reduce(0) { $0 + ($1 - mx) * ($1 - mx) }
        let syy = y.reduce(0) { $0 + ($1 - my) * ($1 - my) }
        guard sxx > 0, syy > 0 else { return nil }
        return sxy / (sxx * syy).squareRoot()
    }

    enum CodingKeys: String, CodingKey {
        case template, judge, candidates, judgments, unparsed, failed, pairs, ratings, bias, warnings
        case judgeModel = "judge_model"
        case judgeCostUSD = "judge_cost_usd"
        case judgeLatencyMilliseconds = "judge_latency_ms"
    }
}
