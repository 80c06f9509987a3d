public import BenchMetrics

/// Claim-level factuality (template `claims`) over the judged first asks: supported share = Σ supported claims ÷
/// Σ claims (interval clustered by answer: one answer's claims are not independent; Wilson's over the answers when
/// every claim got the same verdict), with the number of claims
/// it rests on and the claims per answer. Answers that state no fact do not enter the share and are counted apart
/// (in the task's accuracy they count as not passing: nothing in them is supported).
/// The share measures precision only — saying little keeps it high — so read it with the claim count; fully
/// supported = the share of answers with claims whose every claim is supported.
public struct ClaimSummary: Sendable, Hashable, Codable {
    /// Nil when no judged answer stated a fact.
    public var supportedShare: Rate?
    public var claims: Int
    public var answers: Int
    public var claimsPerAnswer: Double
    public var answersWithoutClaims: Int
    public var fullySupported: Rate

    init?(_ results: [EvalItemResult], confidence: Double) {
        let judged = results.filter { $0.repeatIndex == 0 }.compactMap(\.judge?.claims)
        guard !judged.isEmpty else { return nil }
        let withClaims = judged.filter { !$0.isEmpty }
        let flags = withClaims.flatMap { $0.map { $0.supported ? 1.0 : 0.0 } }
        let clusters = withClaims.enumerated().flatMap { index, list in list.map { _ in String(index) } }
        claims = flags.count
        answers = judged.count
        claimsPerAnswer = Double(claims) / Double(answers)
        answersWithoutClaims = judged.count - withClaims.count
        // Every claim with one verdict leaves no spread for the clustered interval: Wilson's over the answers then.
        let uniform = Set(flags).count == 1
        supportedShare =
            flags.isEmpty
            ? nil
            : Rate(
                value: flags.reduce(0, +) / Double(max(1, flags.count)),
                interval: uniform
                    ? ProportionInterval.wilson(
                        successes: flags[0] == 1 ? withClaims.count : 0, trials: withClaims.count,
                        confidence: confidence)
                    : ScoreEstimate(scores: flags, clusters: clusters, confidence: confidence)?.interval.clamped(
                        to: 0...1),
                n: claims)
        fullySupported = Rate(
            successes: withClaims.filter { $0.allSatisfy(\.supported) }.count, of: withClaims.count,
            confidence: confidence)
    }

    enum CodingKeys: String, CodingKey {
        case claims, answers
        case supportedShare = "supported_share"
        case claimsPerAnswer = "claims_per_answer"
        case answersWithoutClaims = "answers_without_claims"
        case fullySupported = "fully_supported"
    }
}

/// TruthfulQA generation judged (template `truthfulqa`) over the first asks: truthful = the share asserting
/// nothing false (TRUE_INFORMATIVE or TRUE_UNINFORMATIVE); informative = the share that answers (not
/// TRUE_UNINFORMATIVE); truthful and informative = TRUE_INFORMATIVE, the headline — "I have no comment" is
/// truthful but not informative. Unparsed verdicts are left out and counted in the judging.
public struct TruthfulnessSummary: Sendable, Hashable, Codable {
    public var truthful: Rate
    public var informative: Rate
    public var truthfulAndInformative: Rate

    init?(_ results: [EvalItemResult], confidence: Double) {
        let verdicts = results.filter { $0.repeatIndex == 0 && $0.judge?.template.hasPrefix("truthfulqa/") == true }
            .compactMap(\.judge?.verdict)
        guard !verdicts.isEmpty else { return nil }
        func share(_ labels: Set<String>) -> Rate {
            Rate(
                successes: verdicts.filter { labels.contains($0) }.count, of: verdicts.count, confidence: confidence)
        }
        truthful = share(["TRUE_INFORMATIVE", "TRUE_UNINFORMATIVE"])
        informative = share(["TRUE_INFORMATIVE", "FALSE"])
        truthfulAndInformative = share(["TRUE_INFORMATIVE"])
    }

    enum CodingKeys: String, CodingKey {
        case truthful, informative
        case truthfulAndInformative = "truthful_and_informative"
    }
}

/// A rubric judge's scores (coherence 1–5, helpfulness 1–10) over the judged first asks: the mean plain score
/// (the integer the judge wrote) with its interval, and — when every scored answer came with the judge's
/// log-probabilities at its score — the mean probability-weighted score (``RubricScore``). `method` says which is
/// the headline: `probability_weighted` or `plain`. Higher is better; a relative score, comparable only under the
/// same judge and template.
public struct RubricSummary: Sendable, Hashable, Codable {
    public var template: String
    public var method: String
    public var scale: [Int]
    public var plain: ScoreEstimate?
    public var weighted: ScoreEstimate?
    /// How many answers got each score.
    public var distribution: [String: Int]

    init?(_ results: [EvalItemResult], confidence: Double) {
        let records = results.filter { $0.repeatIndex == 0 }.compactMap(\.judge)
        let scored = records.filter { $0.verdict.flatMap { Int($0) } != nil }
        guard let first = records.first, !scored.isEmpty, scored.count == records.compactMap(\.verdict).count,
            let scale = JudgeTemplate.named(first.template.before("/"))?.scale
                ?? scored.compactMap({ $0.verdict.flatMap { Int($0) } }).nilIfEmpty
        else { return nil }
        self.template = first.template
        self.scale = [scale.min() ?? 0, scale.max() ?? 0]
        plain = ScoreEstimate(scores: scored.compactMap { $0.verdict.flatMap(Double.init) }, confidence: confidence)
        let weightedScores = scored.compactMap(\.weighted?.score)
        if weightedScores.count == scored.count {
            weighted = ScoreEstimate(scores: weightedScores, confidence: confidence)
            method = "probability_weighted"
        } else {
            method = "plain"
        }
        distribution = Dictionary(grouping: scored.compactMap(\.verdict), by: { $0 }).mapValues(\.count)
        let range = Double(self.scale[0])...Double(self.scale[1])
        if let interval = plain?.interval { plain?.interval = interval.clamped(to: range) }
        if let interval = weighted?.interval { weighted?.interval = interval.clamped(to: range) }
    }
}

extension Array {
    var nilIfEmpty: Self? { isEmpty ? nil : self }
}

extension String {
    /// The text before the first `separator` (all of it when there is none).
    func before(_ separator: Character) -> String {
        String(prefix { $0 != separator })
    }
}
