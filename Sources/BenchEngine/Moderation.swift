import AsyncHTTPClient
import BenchCore
import BenchEval
import BenchProviders
import Foundation

/// A moderation API that classifies answers of toxicity tasks beside the local detector (OpenAI's moderation
/// endpoint, when a key is set). Its failures are kept in the answer's record, never turned into a verdict.
public struct Moderation: Sendable {
    /// Where the API is and which variable holds its key (the key itself is never stored).
    public struct Target: Sendable, Hashable {
        public var baseURL: String
        public var apiKeyEnv: String
        public var model: String

        public init(
            baseURL: String = "https://api.openai.com/v1", apiKeyEnv: String,
            model: String = "omni-moderation-latest"
        ) {
            self.baseURL = baseURL
            self.apiKeyEnv = apiKeyEnv
            self.model = model
        }
    }

    let client: OpenAIModeration
    /// Removes the key (and its fragments) from error texts: providers echo part of a rejected key.
    let redactor: SecretRedactor

    /// - Throws: ``SpecError`` when the key variable is not set.
    init(_ target: Target, http: HTTPTransport, environment: [String: String]) throws {
        guard let key = environment[target.apiKeyEnv], !key.isEmpty else {
            throw SpecError("moderation.api_key_env", "\(target.apiKeyEnv) is not set")
        }
        client = OpenAIModeration(baseURL: target.baseURL, apiKey: key, model: target.model, http: http)
        redactor = SecretRedactor(secrets: [key])
    }

    /// The API's reading of `text`; a failed request is a record with its error.
    func classify(_ text: String) async -> ModerationRecord {
        var record = ModerationRecord(model: client.model)
        let started = ContinuousClock.now
        do {
            let result = try await client.classify(text)
            record.flagged = result.flagged
            record.score = result.maximumScore
            record.categories = result.flaggedCategories
        } catch {
            record.error = redactor.redact(String(describing: error))
        }
        record.latencyMilliseconds = (ContinuousClock.now - started).milliseconds
        return record
    }
}
