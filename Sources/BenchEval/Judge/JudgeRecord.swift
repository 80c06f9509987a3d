public import BenchCore
public import BenchMetrics

/// A judge's verdict on one answer, with everything needed to audit it: the template and judge, the full
/// transcript, and what the judging cost.
public struct JudgeRecord: Sendable, Hashable, Codable {
    /// `id/version` of the template.
    public var template: String
    /// The judge target's name.
    public var judge: String
    /// The verdict's label; nil when the reply held none (unparsed) or the request failed.
    public var verdict: String?
    public var messages: [ChatMessage]
    public var reply: String
    public var error: String?
    public var latencyMilliseconds: Double?
    public var inputTokens: Int?
    public var outputTokens: Int?
    public var costUSD: Double?
    /// Safety templates: the hazard codes the judge named.
    public var categories: [String]?
    /// Claim templates: the answer's claims and whether each is supported.
    public var claims: [JudgedClaim]?
    /// Rubric templates: the probability-weighted score, when the judge returned log-probabilities at its score.
    public var weighted: RubricScore?

    public init(template: String, judge: String, messages: [ChatMessage], reply: String = "") {
        self.template = template
        self.judge = judge
        self.messages = messages
        self.reply = reply
    }

    /// Reads the reply with `template`: the verdict (for claim templates: SUPPORTED when every claim is,
    /// NOT_SUPPORTED when one is not, NO_CLAIMS), safety categories, and the probability-weighted score from
    /// `tokens` (the judge's log-probabilities) for rubric templates. Nothing is read from a failed request.
    public mutating func read(with template: JudgeTemplate, tokens: [GeneratedTokenLogprob] = []) {
        guard error == nil else { return }
        switch template.output {
        case .claims:
            claims = ClaimCheck.claims(in: reply)
            verdict = claims.map { list in
                list.isEmpty ? "NO_CLAIMS" : list.allSatisfy(\.supported) ? "SUPPORTED" : "NOT_SUPPORTED"
            }
        case .verdict:
            guard let found = template.match(reply) else { return }
            verdict = found.verdict.label
            if template.id == JudgeTemplate.safety.id { categories = template.categories(in: reply) }
            if let scale = template.scale {
                weighted = RubricScore(reply: reply, scoreRange: found.range, tokens: tokens, scale: scale)
            }
        }
    }

    enum CodingKeys: String, CodingKey {
        case template, judge, verdict, messages, reply, error, categories, claims, weighted
        case latencyMilliseconds = "latency_ms"
        case inputTokens = "input_tokens"
        case outputTokens = "output_tokens"
        case costUSD = "cost_usd"
    }
}

/// The judging behind a task's score, reported apart from the candidate's figures: how many answers got each
/// verdict, how many replies held none (unparsed) or failed, and what the judge cost and took.
public struct JudgeSummary: Sendable, Hashable, Codable {
    public var template: String
    public var judge: String
    public var verdicts: [String: Int]
    public var unparsed: Int
    public var failed: Int
    public var costUSD: Double?
    public var latencyMilliseconds: DistributionSummary

    init?(_ results: [EvalItemResult]) {
        let records = results.compactMap(\.judge)
        guard let first = records.first else { return nil }
        template = first.template
        judge = first.judge
        verdicts = Dictionary(grouping: records.compactMap(\.verdict), by: { $0 }).mapValues(\.count)
        failed = records.filter { $0.error != nil }.count
        unparsed = records.filter { $0.error == nil && $0.verdict == nil }.count
        let costs = records.compactMap(\.costUSD)
        costUSD = costs.isEmpty ? nil : costs.reduce(0, +)
        latencyMilliseconds = DistributionSummary(records.compactMap(\.latencyMilliseconds))
    }

    enum CodingKeys: String, CodingKey {
        case template, judge, verdicts, unparsed, failed
        case costUSD = "cost_usd"
        case latencyMilliseconds = "latency_ms"
    }
}

/// SimpleQA's figures over the judged first asks: the shares graded correct, incorrect and not attempted;
/// accuracy given attempted = correct ÷ (correct + incorrect); F = the harmonic mean of accuracy and accuracy given
/// attempted. Abstaining is not counted as wrong, so it is shown on its own.
public struct FactualitySummary: Sendable, Hashable, Codable {
    public var correct: Rate
    public var incorrect: Rate
    public var notAttempted: Rate
    public var accuracyGivenAttempted: Rate?
    public var fScore: Double?

    init?(_ results: [EvalItemResult], confidence: Double) {
        let graded = results.filter { $0.repeatIndex == 0 && $0.judge?.template.hasPrefix("simpleqa/") == true }
            .compactMap(\.judge?.verdict)
        guard !graded.isEmpty else { return nil }
        let right = graded.filter { $0 == "CORRECT" }.count
        let wrong = graded.filter { $0 == "INCORRECT" }.count
        correct = Rate(successes: right, of: graded.count, confidence: confidence)
        incorrect = Rate(successes: wrong, of: graded.count, confidence: confidence)
        notAttempted = Rate(
            successes: graded.count - right - wrong, of: graded.count, confidence: confidence)
        if right + wrong > 0 {
            let given = Rate(successes: right, of: right + wrong, confidence: confidence)
            accuracyGivenAttempted = given
            let sum = correct.value + given.value
            fScore = sum > 0 ? 2 * correct.value * given.value / sum : 0
        }
    }

    enum CodingKeys: String, CodingKey {
        case correct, incorrect
        case notAttempted = "not_attempted"
        case accuracyGivenAttempted = "accuracy_given_attempted"
        case fScore = "f_score"
    }
}
