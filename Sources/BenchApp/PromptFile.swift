import BenchCore
import BenchRunner
import Foundation

/// Reads a JSONL prompt file: one object per line with `prompt` (text) or `messages` (chat messages), and
/// optionally `max_tokens`. Blank lines are skipped.
enum PromptFile {
    static func load(path: String, defaultMaxTokens: Int) throws -> PromptList {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw SpecError("prompts.file", "cannot read \(path): \(error.localizedDescription)")
        }
        var prompts: [Prompt] = []
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else { continue }
            let field = "prompts.file line \(number + 1)"
            let entry: Entry
            do {
                entry = try JSONDecoder().decode(Entry.self, from: Data(trimmed.utf8))
            } catch {
                throw SpecError(field, "expected {\"prompt\": \"…\"} or {\"messages\": […]}: \(error)")
            }
            let messages = entry.messages ?? entry.prompt.map { [ChatMessage(role: "user", content: $0)] } ?? []
            guard !messages.isEmpty else { throw SpecError(field, "has neither prompt nor messages") }
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
