public import BenchCore

/// One prompt to send, with what is known about its size.
public struct Prompt: Sendable, Hashable {
    public var index: Int
    public var messages: [ChatMessage]
    /// Input tokens the prompt was built to have, when it was built to a size.
    public var requestedInputTokens: Int?
    /// `max_tokens` for this prompt.
    public var maxOutputTokens: Int?

    public init(index: Int, messages: [ChatMessage], requestedInputTokens: Int? = nil, maxOutputTokens: Int? = nil) {
        self.index = index
        self.messages = messages
        self.requestedInputTokens = requestedInputTokens
        self.maxOutputTokens = maxOutputTokens
    }
}

/// Where a run's prompts come from. The prompt of request n must depend only on n, so runs are reproducible.
public protocol PromptSource: Sendable {
    func prompt(forRequest requestID: Int) -> Prompt
}

/// A fixed list of prompts, used in turn.
public struct PromptList: PromptSource {
    public let prompts: [Prompt]

    public init(_ prompts: [Prompt]) {
        precondition(!prompts.isEmpty, "a prompt list needs at least one prompt")
        self.prompts = prompts
    }

    public func prompt(forRequest requestID: Int) -> Prompt {
        prompts[requestID % prompts.count]
    }
}

/// Synthetic prompts of a requested size: a unique numbered opening (so no two requests share a cacheable
/// prefix) followed by common English words, each a single token in the usual BPE vocabularies, drawn from a
/// generator seeded with (seed, request id). The real size is whatever the server's usage reports; the requested
/// size is recorded beside it. With `distinct`, requests cycle through that many prompts (request n uses prompt
/// n mod distinct), so repeated prompts show whether answers are deterministic.
public struct SyntheticPrompts: PromptSource {
    public let inputTokens: Int
    public let outputTokens: Int
    public let seed: UInt64
    public let distinct: Int?

    public init(inputTokens: Int, outputTokens: Int, seed: UInt64, distinct: Int? = nil) {
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.seed = seed
        self.distinct = distinct
    }

    public func prompt(forRequest requestNumber: Int) -> Prompt {
        let requestID = distinct.map { requestNumber % $0 } ?? requestNumber
        var random = SeededRandom(seed: seed ^ (UInt64(requestID) &* 0x9E37_79B9_7F4A_7C15))
        let opening = "Request \(requestID): write a long story that uses these words:"
        let openingTokens = 12
        var words: [String] = [opening]
        for _ in 0..<max(0, inputTokens - openingTokens) {
            words.append(Self.vocabulary[Int(random.next() % UInt64(Self.vocabulary.count))])
        }
        return Prompt(
            index: requestID,
            messages: [ChatMessage(role: "user", content: words.joined(separator: " "))],
            requestedInputTokens: inputTokens,
            maxOutputTokens: outputTokens
        )
    }

    static let vocabulary = [
        "the", "of", "and", "to", "in", "is", "that", "for", "it", "as", "was", "with", "be", "by", "on", "not",
        "he", "this", "are", "or", "his", "from", "at", "which", "but", "have", "an", "had", "they", "you", "were",
        "their", "one", "all", "we", "can", "her", "has", "there", "been", "if", "more", "when", "will", "would",
        "who", "so", "no", "time", "day", "man", "world", "life", "hand", "part", "child", "eye", "woman", "place",
        "work", "week", "case", "point", "home", "water", "room", "mother", "area", "money", "story", "fact",
        "month", "lot", "right", "study", "book", "job", "word", "business", "issue", "side", "kind", "head",
        "house", "service", "friend", "father", "power", "hour", "game", "line", "end", "member", "law", "car",
        "city", "name", "team", "minute", "idea", "kid", "body", "back", "face", "level", "office", "door", "health",
        "person", "art", "war", "history", "party", "result", "change", "morning", "reason", "research", "girl",
        "guy", "moment", "air", "teacher", "force", "education", "good", "new", "first", "last", "long", "great",
        "little", "own", "other", "old", "big", "high", "small", "large", "next", "early", "young", "few", "public",
        "bad", "same", "able", "red", "blue", "green", "black", "white", "light", "dark", "river", "tree", "stone",
    ]
}

/// The prompts of a replayed trace: request n gets entry n (cycling), with the entry's own messages, or a synthetic
/// prompt of the entry's input length; its output limit is the entry's output length. Lengths a trace leaves out
/// come from `defaults`.
public struct TracePrompts: PromptSource {
    public let trace: ReplayTrace
    public let defaults: SyntheticPrompts

    /// Prompts for `trace`; `defaults` gives the lengths it leaves out and the seed of synthetic prompts.
    public init(trace: ReplayTrace, defaults: SyntheticPrompts) {
        precondition(!trace.entries.isEmpty, "a trace needs at least one request")
        self.trace = trace
        self.defaults = defaults
    }

    public func prompt(forRequest requestID: Int) -> Prompt {
        let entry = trace.entries[requestID % trace.entries.count]
        let outputTokens = entry.outputTokens ?? defaults.outputTokens
        if let messages = entry.messages {
            return Prompt(index: requestID, messages: messages, maxOutputTokens: outputTokens)
        }
        return SyntheticPrompts(
            inputTokens: entry.inputTokens ?? defaults.inputTokens, outputTokens: outputTokens, seed: defaults.seed
        ).prompt(forRequest: requestID)
    }
}
