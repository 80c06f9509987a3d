import AsyncHTTPClient
public import BenchCore
public import BenchProviders
public import BenchReport
public import BenchRunner
public import Foundation
import Logging
public import ServiceLifecycle

/// The engine every entry point runs its work through — `bench`, `eval`, `eval-pairwise`, `paired`, `slo-search`,
/// `probe`, `quickstart`, the service's coordinator, `worker` and `POST /v1/benchmark` — so that one spec gives the
/// same figures whichever ran it. It holds, once per process:
///
/// - the HTTP client (``HTTPClientService``), a service started and shut down with the process;
/// - the registry of endpoint limits (``EndpointLimits``), shared by every run of the process;
/// - the price table (one cost computation for speed and quality alike), the stored capability probes, and the
///   environment API keys are read from;
/// - the timeline of scheduling logic (the continuous clock, or a test clock).
///
/// Run kinds (``BenchmarkRun``, ``EvalRun``, ``InterleavedRun``, ``PairwiseRun``, ``SLOSearchRun``,
/// ``CapabilityProbe``, ``RunCoordinator``) take an engine and ask it for endpoints; none builds its own client.
public struct Engine: Sendable {
    /// What an entry point knows about its work when it starts.
    public struct Configuration: Sendable {
        /// Connections per host the HTTP client may open: at least the widest concurrency the process will ask for
        /// (``Engine/connections(for:)``), so the client never queues a run below its configured concurrency.
        public var connectionsPerHost: Int
        /// Requests in flight per endpoint across every run of the process; nil for no limit.
        public var maxInFlightPerEndpoint: Int?
        /// The read timeout of generations whose work names none (evaluations, judges, the probe).
        public var readTimeout: Duration = .seconds(120)
        /// Where API-key variables (and AWS credentials) are read from.
        public var environment: [String: String]
        public var prices: PriceTable = .builtIn
        /// The timeline of scheduling logic from a run's origin: the continuous clock, or a test clock in tests.
        public var timelines: @Sendable (_ origin: ContinuousClock.Instant) -> Timeline = { .continuous(origin: $0) }
        /// Checks the address of every connection (the service and its workers); nil on one's own machine.
        public var targetGuard: TargetGuard?

        /// Guards every target address, at submission and at each connection, unless `allowLinkLocal`.
        public mutating func guardTargets(allowLinkLocal: Bool) {
            targetGuard = TargetGuard(allowLinkLocal: allowLinkLocal)
        }

        public init(
            connectionsPerHost: Int, maxInFlightPerEndpoint: Int? = nil,
            environment: [String: String] = ProcessInfo.processInfo.environment
        ) {
            self.connectionsPerHost = connectionsPerHost
            self.maxInFlightPerEndpoint = maxInFlightPerEndpoint
            self.environment = environment
        }
    }

    public let http: HTTPClientService
    public let limits: EndpointLimits
    public let environment: [String: String]
    public let prices: PriceTable
    public let probes: ProbeStore
    public let readTimeout: Duration
    public let timelines: @Sendable (_ origin: ContinuousClock.Instant) -> Timeline
    /// The guard the service checks submitted targets with (and ``HTTPClientService/transport`` every connection).
    public let targetGuard: TargetGuard?
    /// The client's ceiling on this host, written into the reports of the runs this engine finishes.
    public var clientCeiling: HarnessCeiling?
    /// The open-file limit after the engine raised it: how many connections the process can hold.
    public let descriptors: DescriptorLimit

    /// An engine whose services (``services``) the caller runs in its service group.
    public init(_ configuration: Configuration) {
        http = HTTPClientService(connectionsPerHost: configuration.connectionsPerHost, guard: configuration.targetGuard)
        targetGuard = configuration.targetGuard
        limits = EndpointLimits(limit: configuration.maxInFlightPerEndpoint)
        environment = configuration.environment
        prices = configuration.prices
        probes = ProbeStore(environment: configuration.environment)
        readTimeout = configuration.readTimeout
        timelines = configuration.timelines
        descriptors = DescriptorLimit.raised()
    }

    /// The services the engine needs running for as long as it is used.
    public var services: [any Service] { [http] }

    /// Runs `body` with an engine whose services run in a service group of their own for the length of `body`,
    /// then shuts them down and waits for that: the way a command that does one piece of work uses the engine.
    public static func withRunning<T: Sendable>(
        _ configuration: Configuration, _ body: (Engine) async throws -> T
    ) async throws -> T {
        let engine = Engine(configuration)
        var logger = Logger(label: "llmbench.engine")
        logger.logLevel = .error
        let group = ServiceGroup(services: engine.services, logger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let result: Result<T, any Error>
            do {
                result = .success(try await body(engine))
            } catch {
                result = .failure(error)
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            return try result.get()
        }
    }

    /// The connections per host a spec needs: the widest load step (its concurrency, its slot limit, or about a
    /// minute of an open loop's arrivals), and each quality task's concurrency — twice over when a judge grades the
    /// answers, which may share the host.
    public static func connections(for spec: BenchSpec) -> Int {
        let load = spec.shapes.map { shape -> Int in
            switch shape {
            case .concurrency(let users): users
            case .rate(let perSecond, _, let maxInFlight): maxInFlight ?? max(64, Int(perSecond * 60))
            case .trace(let trace, _, let maxInFlight): maxInFlight ?? max(64, trace.entries.count)
            }
        }
        let quality = spec.quality.map { $0.concurrency * (spec.judge == nil ? 1 : 2) }
        return max(8, (load + quality).max() ?? 8)
    }

    // MARK: Endpoints

    /// The API key of `target`, from the variable it names (nil when it names none).
    /// - Throws: ``SpecError`` on `field` when the variable is not set.
    public func apiKey(_ target: BenchSpec.Target, field: String) throws -> String? {
        try target.apiKey(environment: environment, field: field)
    }

    /// `target` bound to the engine: its wire protocol over the process's HTTP client, paced by its rate budget,
    /// retried by `policy`, under the endpoint's shared limit, bounded by the policy's timeouts.
    /// - Parameter origin: the origin of the endpoint's timeline (a load step's run origin; now otherwise).
    /// - Throws: ``SpecError`` on `field` when the target's key variable is not set.
    public func endpoint(
        for target: BenchSpec.Target, policy: RequestPolicy = RequestPolicy(), field: String,
        origin: ContinuousClock.Instant = .now
    ) async throws -> EngineEndpoint {
        let key = try apiKey(target, field: field)
        let wire = TargetEndpoint(
            target: target, http: http.transport, apiKey: key, headTimeout: policy.requestTimeout,
            environment: environment)
        let timeline = timelines(origin)
        let paced: any ModelClient =
            target.rateLimit.isEmpty
            ? wire.client
            : PacedModelClient(base: wire.client, pacer: RequestPacer(budget: target.rateLimit, timeline: timeline))
        let client = RetryingModelClient(base: paced, policy: policy.retry, seed: policy.seed, timeline: timeline)
        let race = RequestRace(
            client: client, requestTimeout: policy.requestTimeout, readTimeout: policy.readTimeout ?? readTimeout,
            limit: await limits.semaphore(baseURL: target.baseURL), timeline: timeline)
        return EngineEndpoint(
            target: target, race: race, wire: wire, http: http.transport, apiKey: key,
            tokenCounter: try tokenCounter(for: target, apiKey: key))
    }

    /// What counts `target`'s output tokens when a response has no usage report (``BenchSpec/Target/tokenCounting``).
    /// - Throws: ``SpecError`` naming the tokenizer file when it cannot be read or counted with exactly.
    func tokenCounter(for target: BenchSpec.Target, apiKey: String?) throws -> (any TokenCounter)? {
        switch target.tokenCounting {
        case .none:
            return nil
        case .server:
            return ServerTokenCounter(
                baseURL: target.baseURL, http: http.transport,
                headers: LikelihoodEndpoint.headers(target, apiKey: apiKey))
        case .file(let path):
            do {
                return try ByteLevelBPE(path: path)
            } catch let error as TokenizerFileError {
                throw SpecError("\(target.name).tokenizer", error.problem + " (\(path))")
            }
        }
    }

    /// How `target` gives log-probabilities of given text (llama.cpp by forced decoding, vLLM by `prompt_logprobs`),
    /// each call under the endpoint's shared limit.
    /// - Throws: ``SpecError`` naming the target when it has no such method, or on `field` when its key is not set.
    public func likelihoodModel(for target: BenchSpec.Target, field: String) async throws -> any LikelihoodModel {
        let model = try LikelihoodEndpoint.model(
            for: target, apiKey: try apiKey(target, field: field), http: http.transport, probes: probes)
        guard let limit = await limits.semaphore(baseURL: target.baseURL) else { return model }
        return LimitedLikelihoodModel(base: model, limit: limit)
    }

    /// A moderation API reached through the process's HTTP client.
    /// - Throws: ``SpecError`` when its key variable is not set.
    public func moderation(_ target: Moderation.Target) throws -> Moderation {
        try Moderation(target, http: http.transport, environment: environment)
    }
}

/// How one piece of work sends its generations: retries, the seed of their jitter, and the timeouts.
public struct RequestPolicy: Sendable, Hashable {
    public var retry: RetryPolicy
    public var seed: UInt64
    /// The longest a generation may take, start to end.
    public var requestTimeout: Duration
    /// The longest wait for the next event; nil for the engine's default.
    public var readTimeout: Duration?

    public init(
        retry: RetryPolicy = RetryPolicy(), seed: UInt64 = 0, requestTimeout: Duration = .seconds(600),
        readTimeout: Duration? = nil
    ) {
        self.retry = retry
        self.seed = seed
        self.requestTimeout = requestTimeout
        self.readTimeout = readTimeout
    }

    /// The spec's own settings (`request.retries`, `retry_on`, `timeout`, `read_timeout`, `seed`).
    public init(spec: BenchSpec) {
        self.init(
            retry: spec.retry, seed: spec.seed, requestTimeout: spec.requestTimeout, readTimeout: spec.readTimeout)
    }
}

/// A log-likelihood model whose every call holds a slot of its endpoint's shared limit.
struct LimitedLikelihoodModel: LikelihoodModel {
    let base: any LikelihoodModel
    let limit: AsyncSemaphore

    var method: String { base.method }

    func tokenize(_ text: String, addSpecial: Bool) async throws -> [Int] {
        try await holding { try await base.tokenize(text, addSpecial: addSpecial) }
    }

    func score(context: [Int], continuation: [Int]) async throws -> [TokenLogprob] {
        try await holding { try await base.score(context: context, continuation: continuation) }
    }

    private func holding<T>(_ body: () async throws -> T) async throws -> T {
        await limit.acquire()
        do {
            let result = try await body()
            await limit.release()
            return result
        } catch {
            await limit.release()
            throw error
        }
    }
}
