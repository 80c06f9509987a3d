public import AsyncHTTPClient
import NIOCore
public import ServiceLifecycle

/// The process's one HTTP client, owned as a service: it runs with the process's service group and is shut down,
/// awaited, when the group shuts down. Every request llmbench sends goes through it — generations, log-likelihood
/// and tokenizer calls, moderation, the capability probe, connection warm-up — so one pool and one set of rules
/// hold for the whole process.
///
/// The pool allows `connectionsPerHost` connections to each host, sized from the work the process will do (the
/// widest concurrency of a spec, an evaluation's concurrency, a service's admission limit): AsyncHTTPClient's default
/// of 8 would queue the rest inside the client, and that queue would be measured as the model's latency. No read
/// timeout is set here: each generation's read timeout is its own (``RequestRace``), whatever else shares the pool.
public struct HTTPClientService: Service {
    public let client: HTTPClient
    public let connectionsPerHost: Int

    public init(connectionsPerHost: Int) {
        self.connectionsPerHost = max(1, connectionsPerHost)
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = self.connectionsPerHost
        // A refused connection is a failed request, not something to retry until the connect timeout.
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.timeout = .init(connect: .seconds(10))
        configuration.decompression = .disabled
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// Waits for the group's graceful shutdown (or cancellation), then shuts the client down.
    public func run() async throws {
        try? await gracefulShutdown()
        try await client.shutdown()
    }
}
