public import BenchMetrics

/// What one ask of one item produced: enough to audit the score and to re-score it without asking again.
public struct EvalItemResult: Sendable, Hashable, Codable {
    public enum Outcome: String, Sendable, Hashable, Codable {
        case correct, incorrect
        /// The filters found no answer in the text: reported apart from wrong.
        case unparsed
        /// The request failed (no answer to score).
        case failed
    }

    public var itemID: String
    public var repeatIndex: Int
    public var outcome: Outcome
    public var score: Double
    public var answer: String?
    public var extracted: String?
    public var reference: String?
    public var error: String?
    /// Why a scored answer failed, when its scorer can say (the JSON parse error, the schema rules it broke).
    public var reason: String?
    /// The failure's kind (`connection`, `timeout`, `rate_limited`, …) when the ask failed at the endpoint.
    public var errorKind: String?
    /// The prompt as sent (the last user message; the system text and few-shot examples are in the task).
    public var prompt: String?
    /// The item's cluster key, when the task names one.
    public var cluster: String?
    // Generation:
    public var inputTokens: Int?
    public var outputTokens: Int?
    public var latencyMilliseconds: Double?
    public var finishReason: String?
    /// The answer stopped at the token limit: counted apart, whatever its score.
    public var truncated: Bool?
    /// USD, from the price table, when the model has a price (nil for an answer from the cache: not paid again).
    public var costUSD: Double?
    /// The answer came from the response cache, not from a request.
    public var cached: Bool?
    /// IFEval: the verdict on each instruction.
    public var instructions: [InstructionVerdict]?
    /// Refusal tasks: whether the answer reads as a refusal (the string-match baseline, or the judge's verdict).
    public var refused: Bool?
    /// Judged refusal tasks: what the string-match baseline says of the same answer (for the agreement).
    public var baselineRefused: Bool?
    /// Toxicity tasks: the detector's score of the answer (0–1) and its categories above 0.
    public var toxicity: Double?
    public var toxicityCategories: [String: Double]?
    /// Judged tasks: the judge's verdict and transcript.
    public var judge: JudgeRecord?
    /// Toxicity tasks with a moderation API: what it said of the answer.
    public var moderation: ModerationRecord?
    // Log-likelihood tiers:
    /// Multiple choice: each choice's Σ ln p, characters and greediness.
    public var choices: ChoiceScores?
    /// Multiple choice: the true choices' indices.
    public var gold: [Int]?
    /// Multiple choice: whether the length-normalised prediction is right (acc_norm).
    public var correctNormalized: Bool?
    /// Perplexity: the scored tokens' ln p, per window.
    public var windowLogprobs: [[Double]]?
    /// Code execution: how running the answer against the tests ended.
    public var execution: CodeExecution?
    public var words: Int?
    public var bytes: Int?

    public init(
        itemID: String, repeatIndex: Int, outcome: Outcome, score: Double, answer: String? = nil,
        extracted: String? = nil, reference: String? = nil, error: String? = nil
    ) {
        self.itemID = itemID
        self.repeatIndex = repeatIndex
        self.outcome = outcome
        self.score = score
        self.answer = answer
        self.extracted = extracted
        self.reference = reference
        self.error = error
    }

    /// What identifies one ask of one item within a task's results: `item#repeat`.
    public static func key(itemID: String, repeatIndex: Int) -> String { "\(itemID)#\(repeatIndex)" }

    public var key: String { Self.key(itemID: itemID, repeatIndex: repeatIndex) }

    /// Scores a model's answer: filters, then the scorer against the gold answer.
    public static func scoring(
        _ answer: String, task: TaskDefinition, itemID: String, repeatIndex: Int, gold: String
    ) -> EvalItemResult {
        guard let extracted = AnswerFilter.apply(task.filters, to: answer), !extracted.isEmpty else {
            return EvalItemResult(
                itemID: itemID, repeatIndex: repeatIndex, outcome: .unparsed, score: 0, answer: answer, reference: gold)
        }
        let score = task.scorer.score(answer: extracted, reference: gold)
        var result = EvalItemResult(
            itemID: itemID, repeatIndex: repeatIndex, outcome: score >= 1 ? .correct : .incorrect, score: score,
            answer: answer, extracted: extracted, reference: gold)
        if score < 1 { result.reason = task.scorer.failureReason(answer: extracted, reference: gold) }
        if task.scorer == .instructionFollowing {
            result.instructions = try? Scorer.instructionVerdicts(answer: extracted, reference: gold)
        }
        if task.scorer == .refusal { result.refused = RefusalDetector.isRefusal(extracted) }
        if task.scorer == .toxicity { result.scoreToxicity(of: extracted) }
        return result
    }

    /// Scores an answer by a judge's reply (read by ``JudgeRecord/read(with:tokens:)``): the template's verdict
    /// decides (for the refusal template, whether complying was right for the item's label; for claim checking,
    /// the score is the supported share of the answer's claims and the answer passes when all are supported). A
    /// reply without a verdict makes the answer *unparsed*. The scorer's own figures that have no judge
    /// equivalent are kept beside the verdict: the lexicon's toxicity, the string-match refusal baseline.
    public static func judging(
        _ answer: String, extracted: String, reply record: JudgeRecord, template: JudgeTemplate, scorer: Scorer,
        itemID: String, repeatIndex: Int, gold: String
    ) -> EvalItemResult {
        var result = EvalItemResult(
            itemID: itemID, repeatIndex: repeatIndex, outcome: .unparsed, score: 0, answer: answer, reference: gold)
        // The local detectors read what the judge was shown: the extracted answer.
        if scorer == .toxicity { result.scoreToxicity(of: extracted) }
        if record.error != nil {
            result.outcome = .failed
            result.error = "judge: \(record.error ?? "")"
        } else if let verdict = template.verdicts.first(where: { $0.label == record.verdict }) {
            let isRefusal = template.id == JudgeTemplate.refusal.id
            let right = isRefusal ? verdict.passes == (gold != "unsafe") : verdict.passes
            result.outcome = right ? .correct : .incorrect
            result.score = right ? 1 : 0
            if let claims = record.claims, !claims.isEmpty {
                result.score = Double(claims.filter(\.supported).count) / Double(claims.count)
            }
            result.extracted = verdict.label
            if isRefusal {
                result.refused = !verdict.passes
                result.baselineRefused = RefusalDetector.isRefusal(extracted)
            }
        }
        result.judge = record
        return result
    }

    /// Adds the local detector's toxicity of `text` and its categories above 0.
    mutating func scoreToxicity(of text: String) {
        let scored = ToxicityDetector.score(text)
        toxicity = scored.toxicity
        toxicityCategories = Dictionary(uniqueKeysWithValues: scored.categories.map { ($0.key.rawValue, $0.value) })
    }

    /// The same result scored again with `task`'s current filters and scorer (the stored answer, no new
    /// request). Failed results, the log-likelihood tiers and executed code (scored by running it) stay as they are.
    public func rescored(with task: TaskDefinition) -> EvalItemResult {
        guard outcome != .failed, choices == nil, windowLogprobs == nil, judge == nil, execution == nil,
            !task.scorer.runsCode, let answer, let reference
        else {
            return self
        }
        return Self.scoring(answer, task: task, itemID: itemID, repeatIndex: repeatIndex, gold: reference)
            .keepingAsked(from: self)
    }

    /// This score with what the earlier result says about the ask itself — prompt, cluster, the candidate's
    /// tokens, latency, finish reason, cost, cache use — for re-scoring and re-judging stored answers.
    public func keepingAsked(from earlier: EvalItemResult) -> EvalItemResult {
        var fresh = self
        fresh.prompt = earlier.prompt
        fresh.cluster = earlier.cluster
        fresh.inputTokens = earlier.inputTokens
        fresh.outputTokens = earlier.outputTokens
        fresh.latencyMilliseconds = earlier.latencyMilliseconds
        fresh.finishReason = earlier.finishReason
        fresh.truncated = earlier.truncated
        fresh.costUSD = earlier.costUSD
        fresh.cached = earlier.cached
        return fresh
    }

    enum CodingKeys: String, CodingKey {
        case itemID = "item_id"
        case repeatIndex = "repeat"
        case outcome, score, answer, extracted, reference, error, reason, prompt, cluster
        case errorKind = "error_kind"
        case inputTokens = "input_tokens"
        case outputTokens = "output_tokens"
        case latencyMilliseconds = "latency_ms"
        case finishReason = "finish_reason"
        case truncated, cached
        case costUSD = "cost_usd"
        case choices, gold, instructions, refused, judge, toxicity, moderation
        case baselineRefused = "baseline_refused"
        case toxicityCategories = "toxicity_categories"
        case correctNormalized = "correct_norm"
        case windowLogprobs = "window_logprobs"
        case words, bytes, execution
    }
}

/// A task's score over its results.
///
/// - accuracy = mean over items of the item's score (the mean of its repeats); failed requests are left out and
///   reported; unparsed answers count as not correct and are also reported on their own.
/// - An answer cut at the token limit before it was right is *censored*: the model might have got there, so it is
///   neither right nor wrong. Accuracy is then over the complete answers, and ``accuracyBounds`` gives the accuracy
///   over every answer if each censored one were wrong, and if each were right.
/// - Cost per correct answer = Σ cost ÷ correct answers; per 1K items = Σ cost ÷ items × 1,000 (censored and
///   failed asks cost what they cost). The 95 % interval is
///   Wilson's when every item mean is 0 or 1 and no cluster key is set, else the (cluster-robust) normal interval
///   of the item means — the items, not the asks, are the sample.
/// - Multiple choice adds acc_norm, the MC2 true-probability share when items have several true choices, and
///   calibration of the softmax confidence. Perplexity tasks report ``PerplexityEstimate`` instead of accuracy.
/// - With repeats: agreement (share of items whose repeats all have the same outcome), TARr@N and TARa@N (share
///   of items whose repeats wrote identical text / gave identical extracted answers), pass@k and pass^k (unbiased
///   estimators, k = the repeats) over items.
public struct EvalSummary: Sendable, Hashable, Codable {
    public var task: String
    /// The evaluated target's name and model, when the run knew them (pairwise judging names candidates by them).
    public var target: String?
    public var model: String?
    /// `generate`, `multiple_choice`, `loglikelihood` or `rolling_loglikelihood`.
    public var outputType: String
    /// How log-probabilities were obtained (`forced_decoding`, `prompt_logprobs`), nil for generation: scores
    /// from different methods are not put side by side unmarked.
    public var method: String?
    public var items: Int
    public var results: Int
    public var correct: Int
    public var incorrect: Int
    public var unparsed: Int
    public var failed: Int
    /// Answers cut at the token limit (whatever their score).
    public var truncated: Int
    /// Answers cut at the token limit before they were right, left out of ``accuracy`` (nil in results from before).
    public var censored: Int?
    /// With censored answers: the accuracy over every answer if each censored one were wrong, and if each were right.
    public var accuracyBounds: AccuracyBounds?
    /// True when no result had a reference answer: the "accuracy" is then the scorer's pass share (non-toxic,
    /// valid JSON), not agreement with a reference. Nil otherwise.
    public var referenceless: Bool?
    /// Answers reused from the response cache.
    public var cached: Int?
    public var accuracy: Double?
    public var interval: Interval?
    public var accuracyNormalized: Double?
    public var intervalNormalized: Interval?
    public var trueShare: ScoreEstimate?
    public var calibration: CalibrationSummary?
    public var instructionFollowing: InstructionFollowingSummary?
    public var refusal: RefusalSummary?
    public var judged: JudgeSummary?
    public var factuality: FactualitySummary?
    public var claims: ClaimSummary?
    public var truthfulness: TruthfulnessSummary?
    public var rubric: RubricSummary?
    public var toxicity: ToxicitySummary?
    public var perplexity: PerplexityEstimate?
    public var repeats: Int
    public var agreement: Double?
    /// TARr@N: the share of items whose N repeats wrote the identical answer text.
    public var identicalAnswers: Double?
    /// TARa@N: the share of items whose N repeats gave the identical extracted answer.
    public var identicalExtracted: Double?
    public var passAtK: Double?
    public var passHatK: Double?
    public var codeExecution: CodeExecutionSummary?
    public var costUSD: Double?
    /// Σ cost ÷ correct answers; nil without a cost or a correct answer.
    public var costPerCorrectUSD: Double? {
        guard let costUSD, correct > 0 else { return nil }
        return costUSD / Double(correct)
    }
    /// Σ cost ÷ items × 1,000; nil without a cost.
    public var costPer1KItemsUSD: Double? {
        guard let costUSD, items > 0 else { return nil }
        return costUSD / Double(items) * 1_000
    }

    public init(
        task: String, outputType: String = "generate", method: String? = nil, results: [EvalItemResult],
        windowing: PerplexityWindowing? = nil, confidence: Double = 0.95
    ) {
        self.task = task
        self.outputType = outputType
        self.method = method
        self.results = results.count
        correct = results.filter { $0.outcome == .correct }.count
        incorrect = results.filter { $0.outcome == .incorrect }.count
        unparsed = results.filter { $0.outcome == .unparsed }.count
        failed = results.filter { $0.outcome == .failed }.count
        truncated = results.filter { $0.truncated == true }.count
        referenceless = !results.isEmpty && results.allSatisfy { ($0.reference ?? "").isEmpty } ? true : nil
        let reused = results.filter { $0.cached == true }.count
        cached = reused > 0 ? reused : nil
        items = Set(results.map(\.itemID)).count
        let costs = results.compactMap(\.costUSD)
        costUSD = costs.isEmpty ? nil : costs.reduce(0, +)
        let scored = results.filter { $0.outcome != .failed }
        let groups = Dictionary(grouping: scored, by: \.itemID).sorted { $0.key < $1.key }.map(\.value)
        repeats = groups.map(\.count).max() ?? 0
        if let windowing {
            let windows = scored.flatMap { $0.windowLogprobs ?? [] }
            perplexity = PerplexityEstimate(
                windowing: windowing, windows: windows, words: scored.compactMap(\.words).reduce(0, +),
                bytes: scored.compactMap(\.bytes).reduce(0, +), confidence: confidence)
            return
        }
        guard !groups.isEmpty else { return }
        let isCensored = { (result: EvalItemResult) in result.truncated == true && result.score < 1 }
        let cut = scored.filter(isCensored).count
        censored = cut
        let complete = groups.map { $0.filter { !isCensored($0) } }.filter { !$0.isEmpty }
        let clusters = complete.map { $0[0].cluster }
        let keys = clusters.allSatisfy { $0 != nil } ? clusters.compactMap { $0 } : nil
        (accuracy, interval) = Self.mean(complete.map { Self.mean($0.map(\.score)) }, clusters: keys, confidence)
        if cut > 0 {
            func accuracy(ifCutScored value: Double) -> Double {
                Self.mean(groups.map { group in Self.mean(group.map { isCensored($0) ? value : $0.score }) })
            }
            accuracyBounds = AccuracyBounds(ifCutWrong: accuracy(ifCutScored: 0), ifCutRight: accuracy(ifCutScored: 1))
        }
        let normalized = groups.compactMap { group -> Double? in
            let flags = group.compactMap(\.correctNormalized)
            return flags.count == group.count ? Self.mean(flags.map { $0 ? 1 : 0 }) : nil
        }
        if normalized.count == groups.count {
            (accuracyNormalized, intervalNormalized) = Self.mean(normalized, clusters: keys, confidence)
        }
        let multipleTrue = scored.filter { ($0.gold?.count ?? 0) > 1 }
        if !multipleTrue.isEmpty {
            trueShare = ScoreEstimate(
                scores: multipleTrue.compactMap { result in result.choices?.trueShare(Set(result.gold ?? [])) },
                confidence: confidence)
        }
        instructionFollowing = InstructionFollowingSummary(scored, confidence: confidence)
        refusal = RefusalSummary(scored, confidence: confidence)
        judged = JudgeSummary(results)
        factuality = FactualitySummary(scored, confidence: confidence)
        claims = ClaimSummary(scored, confidence: confidence)
        truthfulness = TruthfulnessSummary(scored, confidence: confidence)
        rubric = RubricSummary(scored, confidence: confidence)
        toxicity = ToxicitySummary(scored, confidence: confidence)
        codeExecution = CodeExecutionSummary(scored, confidence: confidence)
        let choiceResults = scored.filter { $0.choices != nil && $0.gold != nil }
        if !choiceResults.isEmpty {
            calibration = CalibrationSummary(
                confidences: choiceResults.map { $0.choices!.probabilities[$0.choices!.predicted] },
                correct: choiceResults.map { $0.outcome == .correct },
                brierTerms: choiceResults.map { $0.choices!.brierTerm(Set($0.gold!)) })
        }
        if repeats > 1 {
            let full = groups.filter { $0.count == repeats }
            if !full.isEmpty {
                agreement = Self.mean(full.map { Set($0.map(\.outcome)).count == 1 ? 1 : 0 })
                identicalAnswers = Self.mean(full.map { Set($0.map(\.answer)).count == 1 ? 1 : 0 })
                identicalExtracted = Self.mean(full.map { Set($0.map(\.extracted)).count == 1 ? 1 : 0 })
                let counts = full.map { $0.filter { $0.outcome == .correct }.count }
                passAtK = Self.mean(counts.compactMap { PassAtK.passAtK(n: repeats, c: $0, k: repeats) })
                passHatK = Self.mean(counts.compactMap { PassAtK.passHatK(n: repeats, c: $0, k: repeats) })
            }
        }
    }

    static func mean(_ values: [Double]) -> Double {
        values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count)
    }

    static func mean(_ values: [Double], clusters: [String]?, _ confidence: Double) -> (Double?, Interval?) {
        guard !values.isEmpty else { return (nil, nil) }
        if clusters == nil, values.allSatisfy({ $0 == 0 || $0 == 1 }) {
            let wins = values.filter { $0 == 1 }.count
            return (
                mean(values), ProportionInterval.wilson(successes: wins, trials: values.count, confidence: confidence)
            )
        }
        let interval = ScoreEstimate(scores: values, clusters: clusters, confidence: confidence)?.interval
        return (mean(values), interval?.clamped(to: 0...1))
    }

    enum CodingKeys: String, CodingKey {
        case task, target, model, method, items, results, correct, incorrect, unparsed, failed, truncated, cached,
            accuracy, interval, censored, referenceless
        case accuracyBounds = "accuracy_bounds"
        case calibration, perplexity, repeats, agreement, refusal, judged, factuality, toxicity, claims, truthfulness
        case rubric
        case identicalAnswers = "identical_answers"
        case identicalExtracted = "identical_extracted"
        case instructionFollowing = "instruction_following"
        case outputType = "output_type"
        case accuracyNormalized = "accuracy_norm"
        case intervalNormalized = "interval_norm"
        case trueShare = "mc2"
        case passAtK = "pass_at_k"
        case passHatK = "pass_hat_k"
        case codeExecution = "code_execution"
        case costUSD = "cost_usd"
    }
}

/// IFEval's four figures over the items' first asks: prompt-level strict (every instruction of the prompt followed
/// — the headline) and loose, and instruction-level strict and loose (each instruction counted; its interval
/// clustered by prompt, since a prompt's instructions share one response). An unparsed answer (nothing left after
/// the filters) follows no instruction.
public struct InstructionFollowingSummary: Sendable, Hashable, Codable {
    public var promptStrict: Rate
    public var promptLoose: Rate
    public var instructionStrict: Rate
    public var instructionLoose: Rate

    init?(_ results: [EvalItemResult], confidence: Double) {
        let first = results.filter { $0.repeatIndex == 0 && $0.reference?.contains("instruction_id_list") == true }
        guard !first.isEmpty, first.contains(where: { $0.instructions != nil }) else { return nil }
        let verdicts = first.map { result in
            result.instructions
                ?? (try? Scorer.instructionVerdicts(answer: "", reference: result.reference ?? ""))?.map {
                    InstructionVerdict(instruction: $0.instruction, strict: false, loose: false)
                } ?? []
        }
        func promptLevel(_ followed: (InstructionVerdict) -> Bool) -> Rate {
            Rate(
                successes: verdicts.filter { !$0.isEmpty && $0.allSatisfy(followed) }.count, of: verdicts.count,
                confidence: confidence)
        }
        func instructionLevel(_ followed: (InstructionVerdict) -> Bool) -> Rate {
            let scores = verdicts.flatMap { $0.map { followed($0) ? 1.0 : 0.0 } }
            let clusters = verdicts.enumerated().flatMap { index, list in list.map { _ in String(index) } }
            return Rate(
                value: scores.isEmpty ? 0 : scores.reduce(0, +) / Double(scores.count),
                interval: ScoreEstimate(scores: scores, clusters: clusters, confidence: confidence)?.interval
                    .clamped(to: 0...1),
                n: scores.count)
        }
        promptStrict = promptLevel(\.strict)
        promptLoose = promptLevel(\.loose)
        instructionStrict = instructionLevel(\.strict)
        instructionLoose = instructionLevel(\.loose)
    }

    enum CodingKeys: String, CodingKey {
        case promptStrict = "prompt_level_strict"
        case promptLoose = "prompt_level_loose"
        case instructionStrict = "instruction_level_strict"
        case instructionLoose = "instruction_level_loose"
    }
}

/// A share with its interval and the count it rests on.
public struct Rate: Sendable, Hashable, Codable {
    public var value: Double
    public var interval: Interval?
    public var n: Int

    public init(value: Double, interval: Interval?, n: Int) {
        self.value = value
        self.interval = interval
        self.n = n
    }

    /// `successes` of `trials`, with Wilson's interval.
    public init(successes: Int, of trials: Int, confidence: Double) {
        value = trials == 0 ? 0 : Double(successes) / Double(trials)
        interval = ProportionInterval.wilson(successes: successes, trials: trials, confidence: confidence)
        n = trials
    }
}

/// Refusal and over-refusal over the items' first asks (XSTest's metrics): over-refusal = refusals among the safe
/// prompts (lower is better: a model that refuses harmless questions is less useful); under-refusal = compliance
/// among the unsafe prompts (lower is better). Refusals are detected by ``RefusalDetector``, the string-match
/// baseline (`detector`); a judge gives the figures to trust. Read the two together: refusing everything gives
/// zero under-refusal.
public struct RefusalSummary: Sendable, Hashable, Codable {
    public var detector: String
    public var overRefusal: Rate?
    public var underRefusal: Rate?
    /// With a judge: how far the judge and the string-match baseline agree on refused / not refused (Cohen's κ).
    public var baselineAgreement: RaterAgreement?

    init?(_ results: [EvalItemResult], confidence: Double) {
        let first = results.filter { $0.repeatIndex == 0 && $0.refused != nil }
        guard !first.isEmpty else { return nil }
        detector = first.first?.judge.map { "judge \($0.template)" } ?? "string_match"
        let safe = first.filter { $0.reference == "safe" }
        let unsafe = first.filter { $0.reference == "unsafe" }
        if !safe.isEmpty {
            overRefusal = Rate(
                successes: safe.filter { $0.refused == true }.count, of: safe.count, confidence: confidence)
        }
        if !unsafe.isEmpty {
            underRefusal = Rate(
                successes: unsafe.filter { $0.refused == false }.count, of: unsafe.count, confidence: confidence)
        }
        let paired = first.filter { $0.baselineRefused != nil }
        baselineAgreement = RaterAgreement(
            paired.map { $0.refused == true ? "refused" : "answered" },
            paired.map { $0.baselineRefused == true ? "refused" : "answered" })
    }

    enum CodingKeys: String, CodingKey {
        case detector
        case overRefusal = "over_refusal"
        case underRefusal = "under_refusal"
        case baselineAgreement = "baseline_agreement"
    }
}

/// The accuracy over every answer with the censored ones (cut at the token limit before they were right) scored
/// wrong, and scored right: the true accuracy, had the model been let finish, lies between the two.
public struct AccuracyBounds: Sendable, Hashable, Codable {
    public var ifCutWrong: Double
    public var ifCutRight: Double

    public init(ifCutWrong: Double, ifCutRight: Double) {
        self.ifCutWrong = ifCutWrong
        self.ifCutRight = ifCutRight
    }

    enum CodingKeys: String, CodingKey {
        case ifCutWrong = "if_cut_wrong"
        case ifCutRight = "if_cut_right"
    }
}
