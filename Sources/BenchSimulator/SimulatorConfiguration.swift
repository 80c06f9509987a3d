/// How the simulator behaves: its timing, capacity and injected faults.
public struct SimulatorConfiguration: Sendable, Hashable {
    /// Probabilities (0…1) that a request gets each fault; at most one fault per request.
    public struct FaultRates: Sendable, Hashable {
        /// Answer HTTP 429 with `Retry-After`.
        public var rateLimited: Double
        /// Answer HTTP 500.
        public var serverError: Double
        /// Stop the stream half-way, without a finish reason or `[DONE]`.
        public var cut: Double
        /// Pause half-way through the stream for ``SimulatorConfiguration/stall``, then continue.
        public var stall: Double
        /// Send an event whose data is not valid JSON half-way through the stream.
        public var malformed: Double

        public init(
            rateLimited: Double = 0, serverError: Double = 0, cut: Double = 0, stall: Double = 0, malformed: Double = 0
        ) {
            self.rateLimited = rateLimited
            self.serverError = serverError
            self.cut = cut
            self.stall = stall
            self.malformed = malformed
        }

        /// The sum of all rates, which must not exceed 1.
        public var total: Double { rateLimited + serverError + cut + stall + malformed }
    }

    public var host: String
    /// Port to listen on; 0 picks a free one.
    public var port: Int
    /// The model id reported by `/v1/models` and in responses.
    public var model: String
    /// Time from request to first content chunk.
    public var ttft: Duration
    /// Time between content chunks (one token per chunk).
    public var itl: Duration
    /// Tokens generated when the request neither caps nor forces the length (`ignore_eos`).
    public var outputTokens: Int
    /// Tokens sent per streamed chunk (as servers that batch their stream output do, e.g. vLLM's stream interval);
    /// a chunk goes out when its last token is due.
    public var tokensPerChunk: Int = 1
    /// Whether streams carry a usage report when asked (`stream_options.include_usage`); off, like servers that
    /// report none, so the client must count tokens itself.
    public var reportsUsage = true
    /// Relative standard deviation applied to every TTFT and ITL draw (0 = exact timing).
    public var jitter: Double
    public var seed: UInt64
    /// Streams served at full speed; beyond it, each token takes ITL × active / capacity, so aggregate
    /// throughput plateaus like a batching server's. Nil = unlimited.
    public var capacity: Int?
    public var faults: FaultRates
    /// Length of an injected stall.
    public var stall: Duration
    /// `Retry-After` seconds sent with injected 429s.
    public var retryAfterSeconds: Int
    /// When set, requests must carry `Authorization: Bearer <key>`; others get HTTP 401 whose message echoes the
    /// key they sent, as some real APIs do (so clients' redaction can be tested).
    public var requiredAPIKey: String?

    public init(
        host: String = "127.0.0.1", port: Int = 8111, model: String = "sim", ttft: Duration = .milliseconds(150),
        itl: Duration = .milliseconds(10), outputTokens: Int = 64, jitter: Double = 0, seed: UInt64 = 0,
        capacity: Int? = nil, faults: FaultRates = FaultRates(), stall: Duration = .seconds(3),
        retryAfterSeconds: Int = 1, requiredAPIKey: String? = nil
    ) {
        self.host = host
        self.port = port
        self.model = model
        self.ttft = ttft
        self.itl = itl
        self.outputTokens = outputTokens
        self.jitter = jitter
        self.seed = seed
        self.capacity = capacity
        self.faults = faults
        self.stall = stall
        self.retryAfterSeconds = retryAfterSeconds
        self.requiredAPIKey = requiredAPIKey
    }
}
