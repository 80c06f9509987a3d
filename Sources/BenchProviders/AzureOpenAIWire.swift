public import BenchCore
import Foundation

/// Azure OpenAI chat completions: `{base}/openai/deployments/{deployment}/chat/completions?api-version=…` with an
/// `api-key` header. The request's model is the deployment name; streams are OpenAI's (plus a first chunk with empty
/// `choices` carrying `prompt_filter_results`, which decodes to nothing).
public struct AzureOpenAIWire: WireProtocol {
    public static let defaultAPIVersion = "2024-10-21"
    public let apiVersion: String
    /// The request field that carries the output limit: `max_tokens`, or `max_completion_tokens` for reasoning
    /// deployments.
    public let tokenLimitField: String

    public init(apiVersion: String = AzureOpenAIWire.defaultAPIVersion, tokenLimitField: String = "max_tokens") {
        self.apiVersion = apiVersion
        self.tokenLimitField = tokenLimitField
    }

    public func streamingRequest(_ generation: GenerationRequest, baseURL: String, apiKey: String?) throws
        -> WireRequest
    {
        var headers = [WireRequest.Header("Content-Type", "application/json"), .init("Accept", "text/event-stream")]
        if let apiKey { headers.append(.init("api-key", apiKey)) }
        let deployment =
            generation.model.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? generation.model
        return WireRequest(
            url: baseURL + "/openai/deployments/\(deployment)/chat/completions?api-version=\(apiVersion)",
            headers: headers,
            body: try OpenAIChatCodec.encodeStreamingRequest(
                generation.without(exactOutput: true), tokenLimitField: tokenLimitField)
        )
    }

    /// OpenAI's chat options without the self-hosted engines' exact-length fields (Azure refuses them).
    public var capabilities: WireCapabilities {
        WireCapabilities(seed: true, outputLogprobs: true, maxTopLogprobs: 20, jsonMode: true)
    }

    public func warmupURL(baseURL: String) -> String { baseURL + "/openai/models?api-version=\(apiVersion)" }

    public func makeDecoder() -> OpenAIChatWire.Decoder { OpenAIChatWire.Decoder() }
}
