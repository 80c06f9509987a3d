import AsyncHTTPClient
public import BenchCore

/// OpenAI's moderation endpoint (`POST /v1/moderations`, default model `omni-moderation-latest`): whether a text is
/// flagged, and a 0–1 score per category.
public struct OpenAIModeration: Sendable {
    /// What the endpoint said of one text.
    public struct Result: Sendable, Hashable {
        public var flagged: Bool
        public var scores: [String: Double]
        public var flaggedCategories: [String]

        /// The highest category score.
        public var maximumScore: Double { scores.values.max() ?? 0 }
    }

    public let model: String
    let endpoint: JSONEndpoint

    public init(baseURL: String, apiKey: String, model: String = "omni-moderation-latest", http: HTTPTransport) {
        self.model = model
        endpoint = JSONEndpoint(
            baseURL: baseURL, http: http, headers: [WireRequest.Header("Authorization", "Bearer \(apiKey)")])
    }

    /// - Throws: ``LikelihoodError`` with the status and the server's message for an error answer, or when the
    ///   answer holds no result.
    public func classify(_ text: String) async throws -> Result {
        let document = try await endpoint.post("/v1/moderations", ["model": .string(model), "input": .string(text)])
        guard let result = Self.result(document) else {
            throw LikelihoodError("/v1/moderations answered without results[0].flagged")
        }
        return result
    }

    /// The first result of a moderation response: `results[0]` with `flagged`, `categories` (booleans) and
    /// `category_scores` (numbers).
    public static func result(_ document: JSONValue) -> Result? {
        guard let first = document["results"]?.array?.first, let flagged = first["flagged"]?.bool else { return nil }
        var scores: [String: Double] = [:]
        for (name, value) in first["category_scores"]?.object ?? [:] {
            if let score = value.number { scores[name] = score }
        }
        let categories = (first["categories"]?.object ?? [:]).filter { $0.value.bool == true }.map(\.key).sorted()
        return Result(flagged: flagged, scores: scores, flaggedCategories: categories)
    }
}
