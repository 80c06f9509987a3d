public import BenchCore

/// The request fields shared by every request of a target.
public struct GenerationSettings: Sendable, Hashable {
    public var model: String
    public var temperature: Double?
    public var seed: UInt64?
    /// Ask for exactly `max_tokens` output tokens (`ignore_eos` / `min_tokens`).
    public var exactOutputLength: Bool
    public var includeUsage: Bool
    public var extraBody: [String: JSONValue]

    public init(
        model: String, temperature: Double? = nil, seed: UInt64? = nil, exactOutputLength: Bool = false,
        includeUsage: Bool = true, extraBody: [String: JSONValue] = [:]
    ) {
        self.model = model
        self.temperature = temperature
        self.seed = seed
        self.exactOutputLength = exactOutputLength
        self.includeUsage = includeUsage
        self.extraBody = extraBody
    }

    /// The request for one prompt.
    public func request(for prompt: Prompt) -> GenerationRequest {
        GenerationRequest(
            model: model, messages: prompt.messages, maxOutputTokens: prompt.maxOutputTokens,
            exactOutputLength: exactOutputLength && prompt.maxOutputTokens != nil, temperature: temperature,
            seed: seed, includeUsage: includeUsage, extraBody: extraBody
        )
    }
}
