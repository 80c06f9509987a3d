public import BenchCore

/// Multi-turn conversations: each user message is sent with the whole history so far, the model's own earlier
/// answers included, so every turn's prompt grows (and a server's prefix cache can help). The prompt of
/// conversation n must depend only on n.
public protocol ConversationSource: PromptSource {
    /// The most user turns any conversation has (request ids reserve this many per conversation).
    var maxTurns: Int { get }
    /// The pause between an answer and the next user turn.
    var thinkTime: Duration { get }
    /// The messages before the first turn (a system prompt), and the user turns of conversation `n`.
    func conversation(_ n: Int) -> (preamble: [ChatMessage], turns: [String])
    /// The output limit of every turn.
    var maxOutputTokens: Int { get }
}

extension ConversationSource {
    /// The ids each conversation of `step` takes: its most turns, at most the step's request limit.
    public func turns(for step: LoadStep) -> Int {
        max(1, min(maxTurns, step.maxRequests ?? .max))
    }

    /// The first turn alone, for code that sends single prompts.
    public func prompt(forRequest requestID: Int) -> Prompt {
        let (preamble, turns) = conversation(requestID)
        return Prompt(
            index: requestID, messages: preamble + [ChatMessage(role: "user", content: turns.first ?? "")],
            maxOutputTokens: maxOutputTokens)
    }
}

/// Conversations given in full (a file): each one's preamble and user turns, used in turn.
public struct ConversationList: ConversationSource {
    public let conversations: [(preamble: [ChatMessage], turns: [String])]
    public let thinkTime: Duration
    public let maxOutputTokens: Int

    /// Conversations without turns are dropped; at least one must have a turn.
    public init(
        _ conversations: [(preamble: [ChatMessage], turns: [String])], thinkTime: Duration, maxOutputTokens: Int
    ) {
        precondition(conversations.contains { !$0.turns.isEmpty }, "a conversation list needs a turn")
        self.conversations = conversations.filter { !$0.turns.isEmpty }
        self.thinkTime = thinkTime
        self.maxOutputTokens = maxOutputTokens
    }

    public var maxTurns: Int { conversations.map(\.turns.count).max() ?? 1 }

    public func conversation(_ n: Int) -> (preamble: [ChatMessage], turns: [String]) {
        conversations[n % conversations.count]
    }
}

/// Synthetic conversations of `turns` user turns, each a synthetic prompt of `inputTokens` (``SyntheticPrompts``,
/// numbered by conversation and turn so no two share a prefix beyond the history).
public struct SyntheticConversations: ConversationSource {
    public let turns: Int
    public let prompts: SyntheticPrompts
    public let thinkTime: Duration

    /// Conversations of `turns` turns drawn from `prompts`.
    public init(turns: Int, prompts: SyntheticPrompts, thinkTime: Duration) {
        self.turns = turns
        self.prompts = prompts
        self.thinkTime = thinkTime
    }

    public var maxTurns: Int { turns }
    public var maxOutputTokens: Int { prompts.outputTokens }

    public func conversation(_ n: Int) -> (preamble: [ChatMessage], turns: [String]) {
        ([], (0..<turns).map { prompts.prompt(forRequest: n * turns + $0).messages.last?.content ?? "" })
    }
}
