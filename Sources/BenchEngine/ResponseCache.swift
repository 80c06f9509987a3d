public import BenchCore
import BenchProviders
public import Foundation

/// An opt-in, content-addressed store of generated answers, so that rerunning an evaluation does not pay twice.
///
/// The key is the SHA-256 of everything that decides the answer — the endpoint, the model, the messages, the token
/// limit, the temperature, the seed and the extra body fields — written as canonical JSON (sorted keys); the API key
/// is not part of it and nothing secret is stored. Only complete answers are kept (a failed or cut-off request is
/// asked again). At a temperature above 0 a cached answer is one sample, reused: the results say which answers
/// came from the cache.
public struct ResponseCache: Sendable {
    public let directory: URL

    /// A stored answer.
    public struct Entry: Sendable, Hashable, Codable {
        public var answer: String
        public var finishReason: String?
        public var inputTokens: Int?
        public var outputTokens: Int?

        enum CodingKeys: String, CodingKey {
            case answer
            case finishReason = "finish_reason"
            case inputTokens = "input_tokens"
            case outputTokens = "output_tokens"
        }
    }

    public init(directory: URL) {
        self.directory = directory
    }

    /// The key of a request to a target.
    public static func key(_ request: GenerationRequest, target: BenchSpec.Target) -> String {
        let identity: JSONValue = .object([
            "kind": .string(target.kind.rawValue),
            "base_url": .string(target.baseURL),
            "model": .string(request.model),
            "messages": .array(
                request.messages.map { .object(["role": .string($0.role), "content": .string($0.content)]) }),
            "max_tokens": request.maxOutputTokens.map { .number(Double($0)) } ?? .null,
            "temperature": request.temperature.map { .number($0) } ?? .null,
            "seed": request.seed.map { .string(String($0)) } ?? .null,
            "extra_body": .object(request.extraBody),
        ])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let bytes = (try? encoder.encode(identity)) ?? Data()
        return SHA256.hash(Array(bytes)).map { String(format: "%02x", $0) }.joined()
    }

    public func entry(for key: String) -> Entry? {
        guard let data = try? Data(contentsOf: file(key)) else { return nil }
        return try? JSONDecoder().decode(Entry.self, from: data)
    }

    /// Stores an entry (atomically: a reader never sees half a file).
    public func store(_ entry: Entry, for key: String) throws {
        let url = file(key)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try encoder.encode(entry).write(to: url, options: .atomic)
    }

    func file(_ key: String) -> URL {
        directory.appendingPathComponent(String(key.prefix(2))).appendingPathComponent(key + ".json")
    }
}
