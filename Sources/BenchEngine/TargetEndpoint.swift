import AsyncHTTPClient
import BenchCore
import BenchProviders

/// A target's wire protocol bound to its base URL and key: the streaming client every run uses, and what the
/// capability probe needs to send variations of the same request (the raw encoder, the framing, the protocol's
/// capabilities).
struct TargetEndpoint: Sendable {
    let client: any ModelClient
    /// The HTTP request the target's codec makes for a generation (URL, headers with the key, body).
    let encode: @Sendable (GenerationRequest) throws -> WireRequest
    /// How the target frames streamed responses.
    let framing: StreamFraming
    /// What the target's protocol offers.
    let capabilities: WireCapabilities

    /// - Parameter environment: where AWS credentials and region are read from (Bedrock).
    init(
        target: BenchSpec.Target, http: HTTPTransport, apiKey: String?, headTimeout: Duration,
        environment: [String: String]
    ) {
        self.init(
            wire: target.kind.wire(
                baseURL: target.baseURL, model: target.model, apiKey: apiKey, environment: environment),
            target: target, http: http, apiKey: apiKey, headTimeout: headTimeout)
    }

    private init<Wire: WireProtocol>(
        wire: Wire, target: BenchSpec.Target, http: HTTPTransport, apiKey: String?, headTimeout: Duration
    ) {
        let baseURL = target.baseURL.hasSuffix("/") ? String(target.baseURL.dropLast()) : target.baseURL
        let headers = WireRequest.headers(target.headers)
        client = StreamingModelClient(
            http: http, wire: wire, baseURL: target.baseURL, apiKey: apiKey, extraHeaders: target.headers,
            headTimeout: headTimeout)
        encode = { request in
            var encoded = try wire.streamingRequest(request, baseURL: baseURL, apiKey: apiKey)
            encoded.headers += headers
            return encoded
        }
        framing = wire.framing
        capabilities = wire.capabilities
    }
}
