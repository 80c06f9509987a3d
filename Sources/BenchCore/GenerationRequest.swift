/// What to ask a model for, independent of any wire protocol.
public struct GenerationRequest: Sendable, Hashable {
    /// The model name sent to the endpoint.
    public var model: String
    public var messages: [ChatMessage]
    /// Upper bound on generated tokens.
    public var maxOutputTokens: Int?
    /// Ask the server to generate exactly `maxOutputTokens` (ignore end-of-sequence), where it supports it.
    public var exactOutputLength: Bool
    public var temperature: Double?
    public var seed: UInt64?
    /// Ask for streamed usage (`stream_options.include_usage`).
    public var includeUsage: Bool
    /// Ask for the log-probability of every generated token and of this many most likely alternatives at each
    /// position (0: the chosen token's only), where the protocol offers it; nil asks for none.
    public var topLogprobs: Int?
    /// Ask for an answer that is a JSON object (the protocol's JSON mode), where it offers one.
    public var jsonObject: Bool
    /// Extra top-level body fields, passed through verbatim (they override llmbench's own).
    public var extraBody: [String: JSONValue]

    public init(
        model: String,
        messages: [ChatMessage],
        maxOutputTokens: Int? = nil,
        exactOutputLength: Bool = false,
        temperature: Double? = nil,
        seed: UInt64? = nil,
        includeUsage: Bool = true,
        topLogprobs: Int? = nil,
        jsonObject: Bool = false,
        extraBody: [String: JSONValue] = [:]
    ) {
        self.model = model
        self.messages = messages
        self.maxOutputTokens = maxOutputTokens
        self.exactOutputLength = exactOutputLength
        self.temperature = temperature
        self.seed = seed
        self.includeUsage = includeUsage
        self.topLogprobs = topLogprobs
        self.jsonObject = jsonObject
        self.extraBody = extraBody
    }
}
