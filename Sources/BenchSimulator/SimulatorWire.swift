/// The simulator's own view of the OpenAI chat-completions wire format. It deliberately shares no types with
/// llmbench's client codec, so an encoding mismatch between the two shows up in tests.
struct SimChatRequest: Decodable {
    /// A message; `content` is a string or, as OpenAI also accepts, a list of parts whose `text` parts are joined.
    struct Message: Decodable {
        var role: String
        var content: String?

        struct Part: Decodable {
            var text: String?
        }

        enum CodingKeys: String, CodingKey { case role, content }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            role = try container.decode(String.self, forKey: .role)
            if let parts = try? container.decodeIfPresent([Part].self, forKey: .content) {
                content = parts.compactMap(\.text).joined(separator: "\n")
            } else {
                content = try container.decodeIfPresent(String.self, forKey: .content)
            }
        }
    }
    struct StreamOptions: Decodable {
        var includeUsage: Bool?
        enum CodingKeys: String, CodingKey { case includeUsage = "include_usage" }
    }

    var model: String?
    var messages: [Message]
    var stream: Bool?
    var maxTokens: Int?
    var maxCompletionTokens: Int?
    var ignoreEOS: Bool?
    var minTokens: Int?
    var streamOptions: StreamOptions?

    enum CodingKeys: String, CodingKey {
        case model, messages, stream
        case maxTokens = "max_tokens"
        case maxCompletionTokens = "max_completion_tokens"
        case ignoreEOS = "ignore_eos"
        case minTokens = "min_tokens"
        case streamOptions = "stream_options"
    }

    /// FNV-1a of the messages' roles and contents: the seed of the answer's words.
    var promptHash: UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for message in messages {
            for byte in Array(message.role.utf8) + [0] + Array((message.content ?? "").utf8) + [0] {
                hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
            }
        }
        return hash
    }

    /// Prompt tokens as the simulator counts them: whitespace-separated words plus 3 per message.
    var promptTokens: Int {
        messages.reduce(0) { $0 + 3 + ($1.content ?? "").split(whereSeparator: \.isWhitespace).count }
    }

    /// Tokens to generate: the natural length capped by `max_tokens`, or exactly `max_tokens` when the request
    /// sets `ignore_eos`, raised to `min_tokens` when that is set.
    func outputTokens(natural: Int) -> Int {
        let cap = maxCompletionTokens ?? maxTokens
        var count = natural
        if let cap {
            count = ignoreEOS == true ? cap : min(count, cap)
        }
        if let minTokens { count = max(count, cap.map { min(minTokens, $0) } ?? minTokens) }
        return max(0, count)
    }
}

/// Pre-rendered JSON fragments of the simulator's responses.
enum SimWire {
    static func chunk(id: String, created: Int, model: String, delta: String, finishReason: String?) -> String {
        let finish = finishReason.map { "\"\($0)\"" } ?? "null"
        return
            "data: {\"id\":\"\(id)\",\"object\":\"chat.completion.chunk\",\"created\":\(created),\"model\":\"\(model)\","
            + "\"choices\":[{\"index\":0,\"delta\":\(delta),\"finish_reason\":\(finish)}]}\n\n"
    }

    static func usageChunk(id: String, created: Int, model: String, prompt: Int, completion: Int) -> String {
        "data: {\"id\":\"\(id)\",\"object\":\"chat.completion.chunk\",\"created\":\(created),\"model\":\"\(model)\","
            + "\"choices\":[],\"usage\":{\"prompt_tokens\":\(prompt),\"completion_tokens\":\(completion),"
            + "\"total_tokens\":\(prompt + completion)}}\n\n"
    }

    static func completion(
        id: String, created: Int, model: String, text: String, finishReason: String, prompt: Int, completion: Int
    ) -> String {
        "{\"id\":\"\(id)\",\"object\":\"chat.completion\",\"created\":\(created),\"model\":\"\(model)\","
            + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"\(text)\"},"
            + "\"finish_reason\":\"\(finishReason)\"}],\"usage\":{\"prompt_tokens\":\(prompt),"
            + "\"completion_tokens\":\(completion),\"total_tokens\":\(prompt + completion)}}"
    }

    static func error(message: String, type: String, code: Int) -> String {
        "{\"error\":{\"message\":\"\(message)\",\"type\":\"\(type)\",\"param\":null,\"code\":\(code)}}"
    }

    static let words = [
        "the", "quick", "brown", "fox", "jumps", "over", "a", "lazy", "dog", "and", "then", "runs", "into",
        "forest", "where", "light", "falls", "on", "old", "stones", "near", "river", "bank", "at", "dawn",
    ]
}
