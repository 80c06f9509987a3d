/// A stretch of tokens to score: the log-probability of each `continuation` token given `context` and the
/// continuation tokens before it.
public struct ScoringWindow: Sendable, Hashable {
    public var context: [Int]
    public var continuation: [Int]

    public init(context: [Int], continuation: [Int]) {
        self.context = context
        self.continuation = continuation
    }
}

/// How a text longer than the model's context is cut into windows, and which tokens each window scores. The
/// protocol is part of a perplexity figure: two figures are comparable only with the same protocol and context.
public enum PerplexityWindowing: Sendable, Hashable, Codable {
    /// llama.cpp's `llama-perplexity`: the text (tokenized with the model's special tokens) is cut into disjoint
    /// chunks of `context` tokens; a chunk's first token is replaced by BOS when the model uses one; the first
    /// half of each chunk (`context / 2` tokens) is context only and the rest, less the chunk's last token's
    /// prediction, is scored: positions `context/2 + 1 ..< context`. Tokens after the last whole chunk are not
    /// scored. Reproduces `llama-perplexity -c context` token for token.
    case llamaCpp(context: Int)
    /// Every token of the text scored exactly once: the first window scores up to `context − 1` tokens after
    /// the BOS token (or after the text's first token when the model has no BOS, which is then not scored);
    /// each later window scores the next `context / 2` tokens given the `context / 2` tokens before them.
    case rolling(context: Int)

    public var context: Int {
        switch self {
        case .llamaCpp(let context), .rolling(let context): return context
        }
    }

    public var name: String {
        switch self {
        case .llamaCpp: return "llama_cpp"
        case .rolling: return "rolling"
        }
    }

    /// Whether every token of the text is scored (needed for per-word and per-byte figures).
    public var scoresEveryToken: Bool {
        if case .rolling = self { return true }
        return false
    }

    /// The windows for a text's tokens.
    /// - Parameters:
    ///   - tokens: for ``llamaCpp(context:)`` the text tokenized with special tokens (as `llama-perplexity` does);
    ///     for ``rolling(context:)`` without them.
    ///   - bos: the model's BOS token when its tokenizer adds one, else nil.
    /// - Returns: no windows when the text is too short for one (fewer than `context` tokens for
    ///   ``llamaCpp(context:)``, fewer than 2 for ``rolling(context:)``).
    public func windows(tokens: [Int], bos: Int?) -> [ScoringWindow] {
        switch self {
        case .llamaCpp(let context):
            let first = context / 2
            return (0..<(tokens.count / context)).map { chunk in
                var slice = Array(tokens[(chunk * context)..<((chunk + 1) * context)])
                if let bos { slice[0] = bos }
                return ScoringWindow(context: Array(slice[...first]), continuation: Array(slice[(first + 1)...]))
            }
        case .rolling(let context):
            let sequence = (bos.map { [$0] } ?? []) + tokens
            var windows: [ScoringWindow] = []
            var scored = 1
            while scored < sequence.count {
                let stride = windows.isEmpty ? context - 1 : max(1, context / 2)
                let end = min(sequence.count, scored + stride)
                let start = max(0, end - context)
                windows.append(
                    ScoringWindow(context: Array(sequence[start..<scored]), continuation: Array(sequence[scored..<end]))
                )
                scored = end
            }
            return windows
        }
    }
}
