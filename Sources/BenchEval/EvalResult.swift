public import BenchMetrics

/// What one ask of one item produced.
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

    /// Scores a model's answer: filters, then the scorer against the gold answer.
    public static func scoring(
        _ answer: String, task: TaskDefinition, itemID: String, repeatIndex: Int, gold: String
    ) -> EvalItemResult {
        guard let extracted = AnswerFilter.apply(task.filters, to: answer), !extracted.isEmpty else {
            return EvalItemResult(
                itemID: itemID, repeatIndex: repeatIndex, outcome: .unparsed, score: 0, answer: answer, reference: gold)
        }
        let score = task.scorer.score(answer: extracted, reference: gold)
        return EvalItemResult(
            itemID: itemID, repeatIndex: repeatIndex, outcome: score >= 1 ? .correct : .incorrect, score: score,
            answer: answer, extracted: extracted, reference: gold)
    }

    enum CodingKeys: String, CodingKey {
        case itemID = "item_id"
        case repeatIndex = "repeat"
        case outcome, score, answer, extracted, reference, error
    }
}

/// A task's score over its results: accuracy = correct ÷ (results − failed), with its Wilson interval; unparsed
/// answers count as not correct and are also reported on their own; failed requests are left out of the
/// denominator and reported. With repeats, each item's score is the mean of its repeats and the interval comes from
/// the item means (the items, not the asks, are the sample).
public struct EvalSummary: Sendable, Hashable, Codable {
    public var task: String
    public var items: Int
    public var results: Int
    public var correct: Int
    public var incorrect: Int
    public var unparsed: Int
    public var failed: Int
    public var accuracy: Double?
    public var interval: Interval?

    public init(task: String, results: [EvalItemResult], confidence: Double = 0.95) {
        self.task = task
        self.results = results.count
        correct = results.filter { $0.outcome == .correct }.count
        incorrect = results.filter { $0.outcome == .incorrect }.count
        unparsed = results.filter { $0.outcome == .unparsed }.count
        failed = results.filter { $0.outcome == .failed }.count
        let scored = results.filter { $0.outcome != .failed }
        let byItem = Dictionary(grouping: scored, by: \.itemID).mapValues { group in
            group.reduce(0) { $0 + $1.score } / Double(group.count)
        }
        items = Set(results.map(\.itemID)).count
        guard !byItem.isEmpty else { return }
        let means = Array(byItem.values)
        accuracy = means.reduce(0, +) / Double(means.count)
        if means.allSatisfy({ $0 == 0 || $0 == 1 }) {
            interval = ProportionInterval.wilson(
                successes: means.filter { $0 == 1 }.count, trials: means.count, confidence: confidence)
        } else {
            interval = ScoreEstimate(scores: means, confidence: confidence)?.interval
        }
    }
}
