import AsyncHTTPClient
public import BenchCore
import BenchProviders
public import BenchRunner

/// A target bound to the engine (``Engine/endpoint(for:policy:field:)``): its generations are sent through
/// ``race`` — the client with pacing and retries, the endpoint's shared limit, the timeouts.
public struct EngineEndpoint: Sendable {
    public let target: BenchSpec.Target
    /// How each generation is sent and bounded.
    public let race: RequestRace
    /// The wire protocol bound to the target: the raw request encoder and framing the capability probe uses.
    let wire: TargetEndpoint
    let http: HTTPTransport
    let apiKey: String?
    /// Counts output tokens of responses without usage, when the target has a tokenizer llmbench can reach.
    public let tokenCounter: (any TokenCounter)?

    /// The client generations go through (pacing and retries included).
    public var client: any ModelClient { race.client }

    /// Sends one generation and reads it to the end.
    public func complete(_ request: GenerationRequest) async -> Completion {
        await Completion.of(request, race: race)
    }
}
