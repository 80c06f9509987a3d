public import AsyncHTTPClient
public import BenchProviders
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
///
/// Under a ``TargetGuard`` (the service and its workers), requests go through ``transport``, which checks the
/// address of every connection and pins host names to checked addresses.
public struct HTTPClientService: Service {
    public let client: HTTPClient
    /// How requests are sent: through ``client``, checked by the guard when there is one.
    public let transport: HTTPTransport
    public let connectionsPerHost: Int

    public init(connectionsPerHost: Int, guard: TargetGuard? = nil) {
        self.connectionsPerHost = max(1, connectionsPerHost)
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = self.connectionsPerHost
        // A refused connection is a failed request, not something to retry until the connect timeout.
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.timeout = .init(connect: .seconds(10))
        configuration.decompression = .disabled
        client = Self.client(configuration)
        transport = HTTPTransport(client: client, guard: `guard`) { [configuration] host, address in
            var pinned = configuration
            pinned.dnsOverride = [host: address]
            return Self.client(pinned)
        }
    }

    /// The one place a client is made: the shared one, and under a guard its copies pinned to checked addresses.
    private static func client(_ configuration: HTTPClient.Configuration) -> HTTPClient {
        HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// Waits for the group's graceful shutdown (or cancellation), then shuts the client down.
    public func run() async throws {
        try? await gracefulShutdown()
        await transport.shutdownPins()
        try await client.shutdown()
    }
}
