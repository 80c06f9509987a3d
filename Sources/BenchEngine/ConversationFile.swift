import BenchCore
import BenchRunner
import Foundation

/// Reads multi-turn conversations, one JSON object per line, in any of three shapes: `{"turns": ["…", …],
/// "system": "…"}`; OpenAI-style `{"messages": [{"role", "content"}, …]}`; ShareGPT `{"conversations": [{"from",
/// "value"}, …]}`. The user messages are the turns and a system message the preamble; the recorded assistant
/// messages are dropped, because each turn is sent with the model's own earlier answers.
enum ConversationFile {
    static func load(path: String, thinkTime: Duration, maxOutputTokens: Int) throws -> ConversationList {
        var conversations: [(preamble: [ChatMessage], turns: [String])] = []
        for (line, row) in try JSONLinesFile.inputRows(
            Row.self, path: path, field: "prompts.conversations",
            expected: "{\"turns\": […]}, {\"messages\": […]} or {\"conversations\": […]}")
        {
            let messages =
                row.messages
                ?? row.conversations?.map { ChatMessage(role: Self.role(sharegpt: $0.from), content: $0.value) }
                ?? (row.system.map { [ChatMessage(role: "system", content: $0)] } ?? [])
                + (row.turns ?? []).map { ChatMessage(role: "user", content: $0) }
            let turns = messages.filter { $0.role == "user" }.map(\.content)
            guard !turns.isEmpty else { throw SpecError("prompts.conversations line \(line)", "has no user turn") }
            conversations.append((messages.filter { $0.role == "system" }, turns))
        }
        guard !conversations.isEmpty else {
            throw SpecError("prompts.conversations", "\(path) holds no conversations")
        }
        return ConversationList(conversations, thinkTime: thinkTime, maxOutputTokens: maxOutputTokens)
    }

    /// ShareGPT speakers: `human`/`user` → user, `gpt`/`assistant`/`chatgpt` → assistant, `system` → system.
    static func role(sharegpt from: String) -> String {
        switch from.lowercased() {
        case "human", "user": "user"
        case "system": "system"
        default: "assistant"
        }
    }

    struct Row: Decodable {
        var turns: [String]?
        var system: String?
        var messages: [ChatMessage]?
        var conversations: [ShareGPTMessage]?
    }

    struct ShareGPTMessage: Decodable {
        var from: String
        var value: String
    }
}
