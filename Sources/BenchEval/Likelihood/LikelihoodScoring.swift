public import BenchCore

/// Scoring with a ``LikelihoodModel``: answer choices after a context, one continuation, or a whole text's
/// perplexity.
public enum LikelihoodScoring {
    /// The tokens of `context` (with the model's special tokens) and of `continuation` after it. The two are
    /// tokenized together and split where the context's own tokens end, so the continuation's tokens are the ones
    /// the model would see; when merging changes the context's tokens, the continuation is tokenized alone.
    public static func split(
        _ model: some LikelihoodModel, context: String, continuation: String
    ) async throws -> ScoringWindow {
        let contextTokens = try await model.tokenize(context, addSpecial: true)
        let whole = try await model.tokenize(context + continuation, addSpecial: true)
        if whole.count > contextTokens.count, Array(whole.prefix(contextTokens.count)) == contextTokens {
            return ScoringWindow(context: contextTokens, continuation: Array(whole.dropFirst(contextTokens.count)))
        }
        return ScoringWindow(
            context: contextTokens, continuation: try await model.tokenize(continuation, addSpecial: false))
    }

    /// Σ ln p and greediness of each choice after `context`, each scored as `delimiter + choice`. The length acc_norm
    /// divides by is the choice's own characters, without the delimiter, as lm-evaluation-harness counts it.
    public static func choices(
        _ model: some LikelihoodModel, context: String, choices: [String], delimiter: String = ""
    ) async throws -> ChoiceScores {
        var logprobs: [Double] = []
        var greedy: [Bool] = []
        for choice in choices {
            let window = try await split(model, context: context, continuation: delimiter + choice)
            let scored = try await model.score(context: window.context, continuation: window.continuation)
            logprobs.append(scored.reduce(0) { $0 + $1.logprob })
            greedy.append(scored.allSatisfy(\.isTop))
        }
        return ChoiceScores(logprobs: logprobs, characters: choices.map(\.count), greedy: greedy)
    }

    /// The log-probabilities of a text's scored tokens, per window, under `windowing`.
    /// - Throws: ``LikelihoodError`` when the text is too short for one window.
    public static func textLogprobs(
        _ model: some LikelihoodModel, text: String, windowing: PerplexityWindowing
    ) async throws -> [[Double]] {
        let bos = try await beginningOfSequence(model)
        let tokens: [Int]
        switch windowing {
        case .llamaCpp: tokens = try await model.tokenize(text, addSpecial: true)
        case .rolling: tokens = try await model.tokenize(text, addSpecial: false)
        }
        let windows = windowing.windows(tokens: tokens, bos: bos)
        guard !windows.isEmpty else {
            throw LikelihoodError(
                "the text has \(tokens.count) tokens, too few for one \(windowing.name) window of \(windowing.context)")
        }
        var result: [[Double]] = []
        for window in windows {
            let scored = try await model.score(context: window.context, continuation: window.continuation)
            result.append(scored.map(\.logprob))
        }
        return result
    }

    /// The BOS token the model's tokenizer adds to a whole input, if any: what it adds to an empty text.
    public static func beginningOfSequence(_ model: some LikelihoodModel) async throws -> Int? {
        let withSpecial = try await model.tokenize("a", addSpecial: true)
        let plain = try await model.tokenize("a", addSpecial: false)
        return withSpecial.count > plain.count ? withSpecial.first : nil
    }
}
