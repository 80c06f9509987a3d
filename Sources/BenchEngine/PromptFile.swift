import BenchCore
import BenchRunner
import Foundation

/// Reads a JSONL prompt file: one object per line with `prompt` (text) or `messages` (chat messages), and
/// optionally `max_tokens`. Blank lines are skipped.
enum PromptFile {
    static func load(path: String, defaultMaxTokens: Int) throws -> PromptList {
        var prompts: [Prompt] = []
        for (line, entry) in try JSONLinesFile.inputRows(
            Entry.self, path: path, field: "prompts.file", expected: "{\"prompt\": \"…\"} or {\"messages\": […]}")
        {
            let messages = entry.messages ?? entry.prompt.map { [ChatMessage(role: "user", content: $0)] } ?? []
            guard !messages.isEmpty else {
                throw SpecError("prompts.file line \(line)", "has neither prompt nor messages")
            }
            prompts.append(
                Prompt(index: prompts.count, messages: messages, maxOutputTokens: entry.maxTokens ?? defaultMaxTokens))
        }
        guard !prompts.isEmpty else { throw SpecError("prompts.file", "\(path) holds no prompts") }
        return PromptList(prompts)
    }

    struct Entry: Decodable {
        var prompt: String?
        var messages: [ChatMessage]?
        var maxTokens: Int?
        enum CodingKeys: String, CodingKey {
            case prompt, messages
            case maxTokens = "max_tokens"
        }
    }
}
