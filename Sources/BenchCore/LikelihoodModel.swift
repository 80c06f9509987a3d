/// The log-probability a model gives one token of given text, in natural-log units.
public struct TokenLogprob: Sendable, Hashable, Codable {
    public var token: Int
    /// ln P(token | everything before it).
    public var logprob: Double
    /// Whether the token was the model's most likely next token (greedy decoding would have written it).
    public var isTop: Bool

    public init(token: Int, logprob: Double, isTop: Bool) {
        self.token = token
        self.logprob = logprob
        self.isTop = isTop
    }
}

/// The log-probabilities of given text under a model: what log-likelihood multiple choice, perplexity and
/// calibration need. Only some servers offer them (see `llmbench probe`); each conformer says how it gets them.
public protocol LikelihoodModel: Sendable {
    /// How the log-probabilities are obtained (`forced_decoding`, `prompt_logprobs`), stored with every score so
    /// that scores obtained in different ways are never put side by side unmarked.
    var method: String { get }
    /// The model's token ids for `text`; `addSpecial` adds what the tokenizer adds at the start of a whole input
    /// (a BOS token for models that use one).
    func tokenize(_ text: String, addSpecial: Bool) async throws -> [Int]
    /// The log-probability of each token of `continuation` given `context` and the continuation tokens before it.
    /// `context` must not be empty.
    func score(context: [Int], continuation: [Int]) async throws -> [TokenLogprob]
}

/// A likelihood request that failed, with what went wrong.
public struct LikelihoodError: Error, Hashable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
