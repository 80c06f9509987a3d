import AsyncHTTPClient
import BenchCore
import BenchProviders

/// A target's wire protocol bound to its base URL and key: the streaming client every run uses, and the raw request
/// encoder the capability probe uses to send variations of the same request.
struct TargetEndpoint: Sendable {
    let client: any ModelClient
    /// The HTTP request the target's codec makes for a generation (URL, headers with the key, body).
    let encode: @Sendable (GenerationRequest) throws -> WireRequest
    /// How the target frames streamed responses.
    let framing: StreamFraming

    /// - Parameter environment: where AWS credentials and region are read from (Bedrock).
    init(
        target: BenchSpec.Target, http: HTTPClient, apiKey: String?, headTimeout: Duration,
        environment: [String: String]
    ) {
        func bind<Wire: WireProtocol>(_ wire: Wire) -> TargetEndpoint {
            let baseURL = target.baseURL.hasSuffix("/") ? String(target.baseURL.dropLast()) : target.baseURL
            let headers = WireRequest.headers(target.headers)
            return TargetEndpoint(
                client: StreamingModelClient(
                    http: http, wire: wire, baseURL: target.baseURL, apiKey: apiKey, extraHeaders: target.headers,
                    headTimeout: headTimeout
                ),
                encode: { request in
                    var encoded = try wire.streamingRequest(request, baseURL: baseURL, apiKey: apiKey)
                    encoded.headers += headers
                    return encoded
                },
                framing: wire.framing
            )
        }
        switch target.kind.wire {
        case .openaiChat(let seedField):
            self = bind(
                OpenAIChatWire(seedField: seedField, tokenLimitField: ModelParameterRules.tokenLimitField(target)))
        case .openaiResponses: self = bind(OpenAIResponsesWire())
        case .azure: self = bind(AzureOpenAIWire(tokenLimitField: ModelParameterRules.tokenLimitField(target)))
        case .anthropic: self = bind(AnthropicMessagesWire())
        case .gemini: self = bind(GeminiWire())
        case .vertex: self = bind(GeminiWire(authentication: .bearer))
        case .cohere: self = bind(CohereChatWire())
        case .ollama: self = bind(OllamaChatWire())
        case .tgi: self = bind(TGIGenerateWire())
        case .bedrock:
            let region =
                BedrockConverseWire.region(inBaseURL: target.baseURL) ?? environment["AWS_REGION"]
                ?? environment["AWS_DEFAULT_REGION"] ?? "us-east-1"
            let signer =
                apiKey == nil
                ? AWSCredentials(environment: environment).map {
                    AWSSigner(credentials: $0, region: region, service: "bedrock")
                } : nil
            self = bind(BedrockConverseWire(signer: signer))
        }
    }

    private init(
        client: any ModelClient, encode: @escaping @Sendable (GenerationRequest) throws -> WireRequest,
        framing: StreamFraming
    ) {
        self.client = client
        self.encode = encode
        self.framing = framing
    }
}
