public import BenchCore
import Foundation

/// AWS Bedrock's ConverseStream: `POST {base}/model/{modelId}/converse-stream` (base
/// `https://bedrock-runtime.{region}.amazonaws.com`), answered in the binary AWS event stream. Requests are signed
/// with Signature Version 4 when credentials are given, else carry a Bedrock API key as `Authorization: Bearer`.
public struct BedrockConverseWire: WireProtocol {
    /// Signs each request; nil sends the API key as a bearer token instead.
    public let signer: AWSSigner?

    public init(signer: AWSSigner?) {
        self.signer = signer
    }

    /// The region in a `bedrock-runtime.{region}.amazonaws.com` base URL.
    public static func region(inBaseURL baseURL: String) -> String? {
        guard let host = URL(string: baseURL)?.host, host.hasPrefix("bedrock-runtime.") else { return nil }
        let parts = host.split(separator: ".")
        return parts.count >= 3 ? String(parts[1]) : nil
    }

    public var framing: StreamFraming { .awsEventStream }

    public func warmupURL(baseURL: String) -> String { baseURL + "/ping" }

    /// System messages become `system` blocks; `maxTokens` and `temperature` go in `inferenceConfig`. Converse has
    /// no seed and no exact-length option (model-native fields go in `additionalModelRequestFields` via the
    /// target's extra body).
    public func streamingRequest(_ generation: GenerationRequest, baseURL: String, apiKey: String?) throws
        -> WireRequest
    {
        let (system, conversation) = RequestBody.splitInstructions(generation.messages)
        var config: [String: JSONValue] = [:]
        if let maxTokens = generation.maxOutputTokens { config["maxTokens"] = .number(Double(maxTokens)) }
        if let temperature = generation.temperature { config["temperature"] = .number(temperature) }
        var fields: [String: JSONValue] = [
            "messages": .array(
                conversation.map {
                    .object([
                        "role": .string($0.role == "assistant" ? "assistant" : "user"),
                        "content": .array([.object(["text": .string($0.content)])]),
                    ])
                }),
            "inferenceConfig": .object(config),
        ]
        if !system.isEmpty { fields["system"] = .array(system.map { .object(["text": .string($0)]) }) }
        let body = try RequestBody.encode(fields, extra: generation.extraBody)
        let model = AWSSigner.uriEncode(generation.model)
        let url = baseURL + "/model/\(model)/converse-stream"
        var headers = [WireRequest.Header("Content-Type", "application/json")]
        if let signer, let parsed = URL(string: url) {
            let signed = signer.sign(
                method: "POST", url: parsed, headers: headers.map { ($0.name, $0.value) }, body: body, date: Date())
            headers += signed.map { WireRequest.Header($0.0, $0.1) }
        } else if let apiKey {
            headers.append(.init("Authorization", "Bearer \(apiKey)"))
        }
        return WireRequest(url: url, headers: headers, body: body)
    }

    public func makeDecoder() -> Decoder { Decoder() }

    /// No seed, no log-probabilities, no exact length and no JSON-only option in ConverseStream.
    public var capabilities: WireCapabilities { WireCapabilities() }

    public struct Decoder: JSONEventDecoding {
        public private(set) var isComplete = false

        /// `contentBlockDelta` text is the answer, `reasoningContent.text` reasoning; `messageStop` carries the
        /// stop reason; `metadata` (the last event) the usage. Exception frames are failures, throttling a throttle.
        public mutating func decode(json data: JSONValue, name: String?) -> [GenerationEvent] {
            switch name ?? "" {
            case "contentBlockDelta":
                let delta = data["delta"]
                return GenerationEvent.texts(delta?["text"]?.string, .answer)
                    + GenerationEvent.texts(delta?["reasoningContent"]?["text"]?.string, .reasoning)
            case "messageStop":
                isComplete = true
                return [.finish(FinishReason(providerValue: data["stopReason"]?.string ?? ""))]
            case "metadata":
                isComplete = true
                let usage = data["usage"]
                return [
                    .usage(
                        TokenUsage(
                            inputTokens: usage?["inputTokens"]?.integer,
                            cachedInputTokens: usage?["cacheReadInputTokens"]?.integer,
                            outputTokens: usage?["outputTokens"]?.integer
                        )),
                    .done,
                ]
            case let exception where exception.hasPrefix("exception:"):
                return [.failure(Self.exception(String(exception.dropFirst(10)), message: data["message"]?.string))]
            default:
                return []
            }
        }

        static func exception(_ type: String, message: String?) -> ProviderError {
            let text = "\(type): \(message ?? "")"
            switch type {
            case "throttlingException": return ProviderError(.rateLimited, text, httpStatus: 429)
            case "serviceUnavailableException": return ProviderError(.overloaded, text, httpStatus: 503)
            case "validationException": return ProviderError(.invalidRequest, text, httpStatus: 400)
            case "modelStreamErrorException": return ProviderError(.server, text, httpStatus: 424)
            default: return ProviderError(.server, text, httpStatus: 500)
            }
        }
    }
}
