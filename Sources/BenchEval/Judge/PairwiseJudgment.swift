/// Two candidates' answers to one item judged in both orders (template `pairwise`): `forward` shows `first` as
/// answer A, `backward` shows `second` as A. The orders agree → that candidate wins; they disagree (including one
/// TIE) → tie, as MT-Bench counts it; a failed or unparsed order leaves the pair out, counted apart.
public struct PairwiseJudgment: Sendable, Hashable, Codable {
    /// Which candidate the pair went to: `first`, `second`, `tie`; or left out, `unparsed` (an order held no
    /// verdict) or `failed` (an order's request failed).
    public enum Outcome: String, Sendable, Hashable, Codable {
        case first, second, tie, unparsed, failed
    }

    public var itemID: String
    public var first: String
    public var second: String
    /// The answers' lengths in characters (for the length-bias check).
    public var firstLength: Int
    public var secondLength: Int
    public var forward: JudgeRecord
    public var backward: JudgeRecord

    public init(
        itemID: String, first: String, second: String, firstLength: Int, secondLength: Int, forward: JudgeRecord,
        backward: JudgeRecord
    ) {
        self.itemID = itemID
        self.first = first
        self.second = second
        self.firstLength = firstLength
        self.secondLength = secondLength
        self.forward = forward
        self.backward = backward
    }

    /// Which candidate one order preferred: `.first`, `.second` or `.tie`; nil when that order failed or was
    /// unparsed.
    static func preference(_ record: JudgeRecord, firstShownAs label: String) -> Outcome? {
        guard record.error == nil, let verdict = record.verdict else { return nil }
        if verdict == "TIE" { return .tie }
        return verdict == label ? .first : .second
    }

    /// The pair's outcome over both orders.
    public var outcome: Outcome {
        if forward.error != nil || backward.error != nil { return .failed }
        guard let one = Self.preference(forward, firstShownAs: "A"),
            let other = Self.preference(backward, firstShownAs: "B")
        else { return .unparsed }
        return one == other ? one : .tie
    }

    /// The first candidate's result for rating: 1 win, ½ tie, 0 loss; nil when the pair is left out.
    public var firstScore: Double? {
        switch outcome {
        case .first: return 1
        case .second: return 0
        case .tie: return 0.5
        case .unparsed, .failed: return nil
        }
    }

    enum CodingKeys: String, CodingKey {
        case first, second, forward, backward
        case itemID = "item_id"
        case firstLength = "first_length"
        case secondLength = "second_length"
    }
}

/// A model's family from its name (`gpt-4o` → openai, `claude-…` → anthropic, `SmolLM2-…` → huggingface), for the
/// self-preference warning; nil when the name matches no known family.
public enum ModelFamily {
    static let markers: [(String, String)] = [
        ("gpt", "openai"), ("o1", "openai"), ("o3", "openai"), ("o4", "openai"), ("chatgpt", "openai"),
        ("claude", "anthropic"), ("gemini", "google"), ("gemma", "google"), ("palm", "google"), ("llama", "meta"),
        ("mistral", "mistral"), ("mixtral", "mistral"), ("ministral", "mistral"), ("codestral", "mistral"),
        ("magistral", "mistral"), ("qwen", "qwen"), ("qwq", "qwen"), ("deepseek", "deepseek"), ("phi", "microsoft"),
        ("smollm", "huggingface"), ("command", "cohere"), ("grok", "xai"), ("nova", "amazon"), ("titan", "amazon"),
        ("kimi", "moonshot"), ("glm", "zhipu"), ("granite", "ibm"), ("olmo", "allenai"),
    ]

    /// The family whose marker starts one of the name's words (split at anything not a letter or digit).
    public static func of(_ model: String) -> String? {
        let words = model.lowercased().split { !$0.isLetter && !$0.isNumber }
        for word in words {
            for (marker, family) in markers {
                // Two-character markers (o1, o3, o4) only as whole words; the others as word prefixes (llama3).
                if marker.count <= 2 ? word == marker : word.hasPrefix(marker) { return family }
            }
        }
        return nil
    }
}
