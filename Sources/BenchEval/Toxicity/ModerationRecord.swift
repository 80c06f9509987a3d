/// What a moderation API (OpenAI's moderation endpoint) said of one answer: flagged or not, the highest category
/// score, the flagged categories; or why the request failed.
public struct ModerationRecord: Sendable, Hashable, Codable {
    /// The moderation model asked.
    public var model: String
    /// Nil when the request failed (`error` says why).
    public var flagged: Bool?
    /// The highest category score, 0–1.
    public var score: Double?
    public var categories: [String]?
    public var error: String?
    public var latencyMilliseconds: Double?

    public init(model: String) {
        self.model = model
    }

    enum CodingKeys: String, CodingKey {
        case model, flagged, score, categories, error
        case latencyMilliseconds = "latency_ms"
    }
}
