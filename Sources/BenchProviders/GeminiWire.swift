public import BenchCore
import Foundation

/// The Google Gemini API: `POST {base}/models/{model}:streamGenerateContent?alt=sse` with `x-goog-api-key`.
/// Every chunk is a whole `GenerateContentResponse`; the last carries `finishReason`; there is no `[DONE]`.
///
/// Vertex AI speaks the same protocol under
/// `https://{location}-aiplatform.googleapis.com/v1/projects/{project}/locations/{location}/publishers/google`
/// with an OAuth2 access token as `Authorization: Bearer`.
public struct GeminiWire: WireProtocol {
    /// Where the credential goes.
    public enum Authentication: Sendable, Hashable {
        /// `x-goog-api-key: KEY` (the Gemini Developer API, Vertex express mode).
        case apiKeyHeader
        /// `Authorization: Bearer TOKEN` (Vertex AI with an OAuth2 access token).
        case bearer
    }

    public let authentication: Authentication

    public init(authentication: Authentication = .apiKeyHeader) {
        self.authentication = authentication
    }

    /// System messages become `systemInstruction`; `assistant` turns are sent as role `model`. Log-probabilities are
    /// `generationConfig.responseLogprobs` with `logprobs` alternatives, JSON mode `responseMimeType:
    /// application/json`.
    public func streamingRequest(_ generation: GenerationRequest, baseURL: String, apiKey: String?) throws
        -> WireRequest
    {
        var headers = [WireRequest.Header("Content-Type", "application/json")]
        switch (apiKey, authentication) {
        case (let key?, .apiKeyHeader): headers.append(.init("x-goog-api-key", key))
        case (let token?, .bearer): headers.append(.init("Authorization", "Bearer \(token)"))
        case (nil, _): break
        }
        let (system, conversation) = RequestBody.splitInstructions(generation.messages)
        var config: [String: JSONValue] = [:]
        if let maxTokens = generation.maxOutputTokens { config["maxOutputTokens"] = .number(Double(maxTokens)) }
        if let temperature = generation.temperature { config["temperature"] = .number(temperature) }
        if let seed = generation.seed { config["seed"] = .number(Double(seed % (1 << 31))) }
        if let top = generation.topLogprobs {
            config["responseLogprobs"] = .bool(true)
            if top > 0 { config["logprobs"] = .number(Double(min(top, 20))) }
        }
        if generation.jsonObject { config["responseMimeType"] = .string("application/json") }
        var fields: [String: JSONValue] = [
            "contents": .array(
                conversation.map {
                    .object([
                        "role": .string($0.role == "assistant" ? "model" : "user"),
                        "parts": .array([.object(["text": .string($0.content)])]),
                    ])
                }
            ),
            "generationConfig": .object(config),
        ]
        if !system.isEmpty {
            fields["systemInstruction"] = .object(["parts": .array(system.map { .object(["text": .string($0)]) })])
        }
        let model = generation.model.hasPrefix("models/") ? String(generation.model.dropFirst(7)) : generation.model
        return WireRequest(
            url: baseURL + "/models/\(model):streamGenerateContent?alt=sse", headers: headers,
            body: try RequestBody.encode(fields, extra: generation.extraBody)
        )
    }

    public func warmupURL(baseURL: String) -> String { baseURL + "/models" }

    public func makeDecoder() -> Decoder { Decoder() }

    public var capabilities: WireCapabilities {
        WireCapabilities(seed: true, outputLogprobs: true, maxTopLogprobs: 20, jsonMode: true)
    }

    public struct Decoder: JSONEventDecoding {
        public private(set) var isComplete = false

        /// Parts marked `thought` are reasoning; usage is the running `usageMetadata` (output = candidates +
        /// thoughts, as billed); a chunk with `error` is a failure; a blocked prompt ends with a content filter.
        public mutating func decode(json data: JSONValue, name: String?) -> [GenerationEvent] {
            if let error = data["error"], error != .null {
                return [.failure(Self.streamError(error))]
            }
            var events: [GenerationEvent] = []
            let candidate = data["candidates"]?.array?.first
            for part in candidate?["content"]?["parts"]?.array ?? [] {
                guard let text = part["text"]?.string, !text.isEmpty else { continue }
                events.append(.text(text, channel: part["thought"] == .bool(true) ? .reasoning : .answer))
            }
            if let result = candidate?["logprobsResult"], let chosen = result["chosenCandidates"]?.array,
                !chosen.isEmpty
            {
                let top = result["topCandidates"]?.array ?? []
                events.append(
                    .tokenLogprobs(
                        chosen.enumerated().compactMap { index, token in
                            Self.tokenLogprob(token, alternatives: index < top.count ? top[index]["candidates"] : nil)
                        }))
            }
            if let usage = data["usageMetadata"] {
                let candidates = usage["candidatesTokenCount"]?.integer
                let thoughts = usage["thoughtsTokenCount"]?.integer
                events.append(
                    .usage(
                        TokenUsage(
                            inputTokens: usage["promptTokenCount"]?.integer,
                            cachedInputTokens: usage["cachedContentTokenCount"]?.integer,
                            outputTokens: candidates.map { $0 + (thoughts ?? 0) },
                            reasoningTokens: thoughts
                        )
                    )
                )
            }
            if let reason = candidate?["finishReason"]?.string {
                events.append(.finish(FinishReason(providerValue: reason)))
                isComplete = true
            } else if candidate == nil, data["promptFeedback"]?["blockReason"] != nil {
                events.append(.finish(.contentFilter))
                isComplete = true
            }
            return events
        }

        /// A chosen token (`token`, `logProbability`) with the candidates listed at its position.
        static func tokenLogprob(_ token: JSONValue, alternatives: JSONValue?) -> GeneratedTokenLogprob? {
            guard let text = token["token"]?.string, let logprob = token["logProbability"]?.number else { return nil }
            let top = (alternatives?.array ?? []).compactMap { candidate in
                candidate["token"]?.string.flatMap { text in
                    candidate["logProbability"]?.number.map {
                        GeneratedTokenLogprob.Alternative(token: text, logprob: $0)
                    }
                }
            }
            return GeneratedTokenLogprob(token: text, logprob: logprob, top: top)
        }

        static func streamError(_ error: JSONValue) -> ProviderError {
            let code = error["code"]?.integer
            let message = "error in stream: \(error["status"]?.string ?? "") \(error["message"]?.string ?? "")"
            switch code {
            case 429: return ProviderError(.rateLimited, message, httpStatus: 429)
            case 503: return ProviderError(.overloaded, message, httpStatus: 503)
            default: return ProviderError(.server, message, httpStatus: code)
            }
        }
    }
}
