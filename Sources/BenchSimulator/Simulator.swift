import BenchCore
import Foundation
import Hummingbird
public import Logging
import NIOCore

/// A built-in OpenAI-compatible model server with known timing, for calibrating and testing measurements.
///
/// Routes: `POST /v1/chat/completions` (streaming and not), `GET /v1/models`, `GET /health`, `GET /sim/stats`,
/// `GET /sim/requests` (what each streamed request really got, on the simulator's clock), and `POST /tokenize` in
/// llama.cpp's form: the simulator's tokenizer gives one token per whitespace-separated word, as its streams
/// generate them.
/// Streams follow the real wire format: a role-only first chunk, one content chunk per token, a finish chunk
/// with an empty delta, a usage-only chunk when `stream_options.include_usage` is set, then `data: [DONE]`.
/// Token k (0-based) is written at request arrival + TTFT + k × ITL, on absolute deadlines so timing does not
/// drift; the time the simulator spends decoding the request is inside TTFT, not added to it.
public struct Simulator: Sendable {
    public let configuration: SimulatorConfiguration
    private let stats = SimulatorStats()
    private let logger: Logger

    public init(configuration: SimulatorConfiguration, logger: Logger = Logger(label: "llmbench.simulator")) {
        self.configuration = configuration
        self.logger = logger
    }

    /// What the simulator has done so far.
    public var statistics: SimulatorStatsSnapshot { stats.snapshot }

    /// Serves until the task is cancelled (or, with `handleSignals`, until SIGINT/SIGTERM).
    /// - Parameter onReady: called with the bound port once the server listens.
    public func run(handleSignals: Bool = false, onReady: @escaping @Sendable (Int) async -> Void = { _ in })
        async throws
    {
        let router = Router()
        router.get("/health") { _, _ in "{\"status\":\"ok\"}" }
        router.get("/v1/models") { _, _ in
            Self.json(
                "{\"object\":\"list\",\"data\":[{\"id\":\"\(configuration.model)\",\"object\":\"model\",\"owned_by\":\"llmbench-simulator\"}]}"
            )
        }
        router.get("/sim/stats") { _, _ in
            let data = try JSONEncoder().encode(stats.snapshot)
            return Self.json(String(decoding: data, as: UTF8.self))
        }
        router.get("/sim/requests") { _, _ in
            let data = try JSONEncoder().encode(stats.timings)
            return Self.json(String(decoding: data, as: UTF8.self))
        }
        router.post("/tokenize") { request, _ in
            let body = try await request.body.collect(upTo: 16 << 20)
            let text = (try? JSONParser.parse(String(buffer: body)))?["content"]?.string ?? ""
            let ids = text.split(whereSeparator: \.isWhitespace).map { SimWire.words.firstIndex(of: String($0)) ?? 0 }
            return Self.json("{\"tokens\":[\(ids.map(String.init).joined(separator: ","))]}")
        }
        router.post("/v1/chat/completions") { request, _ in
            try await respond(to: request)
        }
        let app = Application(
            router: router,
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: nil),
            onServerRunning: { channel in await onReady(channel.localAddress?.port ?? 0) },
            logger: logger
        )
        if handleSignals {
            try await app.runService()
        } else {
            try await app.run()
        }
    }

    private static func json(_ text: String, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    private func respond(to request: Request) async throws -> Response {
        let arrivedAt = ContinuousClock.now
        let n = stats.arrive()
        if let key = configuration.requiredAPIKey {
            let given = request.headers[.authorization] ?? ""
            guard given == "Bearer \(key)" else {
                let sent = given.hasPrefix("Bearer ") ? String(given.dropFirst(7)) : given
                return Self.json(
                    SimWire.error(
                        message: "Incorrect API key provided: \(sent)", type: "invalid_request_error", code: 401),
                    status: .unauthorized
                )
            }
        }
        let body = try await request.body.collect(upTo: 16 << 20)
        let chat: SimChatRequest
        do {
            chat = try JSONDecoder().decode(SimChatRequest.self, from: Data(body.readableBytesView))
        } catch {
            return Self.json(
                SimWire.error(message: "invalid request body", type: "invalid_request_error", code: 400),
                status: .badRequest
            )
        }
        var random = SeededRandom(seed: configuration.seed ^ (UInt64(n) &* 0xD134_2543_DE82_EF95))
        let fault = pickFault(&random)
        stats.record(fault)
        switch fault {
        case .rateLimited:
            var headers = HTTPFields()
            headers[.retryAfter] = String(configuration.retryAfterSeconds)
            return Self.json(
                SimWire.error(message: "Rate limit reached (simulated)", type: "rate_limit_error", code: 429),
                status: .tooManyRequests, headers: headers
            )
        case .serverError:
            return Self.json(
                SimWire.error(message: "Internal error (simulated)", type: "server_error", code: 500),
                status: .internalServerError
            )
        default:
            break
        }
        let plan = GenerationPlan(
            id: "chatcmpl-sim-\(n)", created: Int(Date().timeIntervalSince1970), model: configuration.model,
            promptTokens: chat.promptTokens, outputTokens: chat.outputTokens(natural: configuration.outputTokens),
            capped: chat.ignoreEOS == true
                || configuration.outputTokens >= (chat.maxCompletionTokens ?? chat.maxTokens ?? .max),
            fault: fault, includeUsage: configuration.reportsUsage && chat.streamOptions?.includeUsage == true,
            random: random,
            words: SeededRandom(seed: configuration.seed ^ chat.promptHash), arrivedAt: arrivedAt
        )
        if chat.stream == true {
            return Response(
                status: .ok,
                headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"],
                body: ResponseBody { writer in try await stream(plan, to: &writer) }
            )
        }
        return try await complete(plan)
    }

    private func pickFault(_ random: inout SeededRandom) -> Fault {
        let faults = configuration.faults
        let u = random.nextUnitInterval()
        var edge = faults.rateLimited
        if u < edge { return .rateLimited }
        edge += faults.serverError
        if u < edge { return .serverError }
        edge += faults.cut
        if u < edge { return .cut }
        edge += faults.stall
        if u < edge { return .stall }
        edge += faults.malformed
        if u < edge { return .malformed }
        return .none
    }

    /// A draw of `base` with the configured relative jitter, never negative.
    private func jittered(_ base: Duration, _ random: inout SeededRandom) -> Duration {
        guard configuration.jitter > 0 else { return base }
        return base * max(0, 1 + configuration.jitter * random.nextGaussian())
    }

    /// The time per token now: ITL, stretched by active streams ÷ capacity beyond the capacity.
    private func tokenInterval(_ random: inout SeededRandom) -> Duration {
        var interval = jittered(configuration.itl, &random)
        if let capacity = configuration.capacity {
            let active = stats.activeStreams
            if active > capacity { interval = interval * (Double(active) / Double(capacity)) }
        }
        return interval
    }

    private func stream(_ plan: GenerationPlan, to writer: inout any ResponseBodyWriter) async throws {
        var random = plan.random
        var wordRandom = plan.words
        _ = stats.streamStarted()
        var sent = 0
        var chunks = 0
        var completed = false
        var firstContent: ContinuousClock.Instant?
        var lastContent: ContinuousClock.Instant?
        defer {
            stats.streamEnded(completed: completed, tokens: sent)
            stats.keep(
                SimulatorRequestTiming(
                    arrivedMs: stats.offset(plan.arrivedAt), firstContentMs: firstContent.map(stats.offset),
                    lastContentMs: lastContent.map(stats.offset), endedMs: stats.offset(.now), tokens: sent,
                    chunks: chunks))
        }
        try await writer.write(
            ByteBuffer(
                string: SimWire.chunk(
                    id: plan.id, created: plan.created, model: plan.model,
                    delta: "{\"role\":\"assistant\",\"content\":\"\"}", finishReason: nil))
        )
        var deadline = plan.arrivedAt + jittered(configuration.ttft, &random)
        let middle = plan.outputTokens / 2
        var pending = ""
        var pendingTokens = 0
        for k in 0..<plan.outputTokens {
            if k > 0 { deadline += tokenInterval(&random) }
            if k == middle {
                switch plan.fault {
                case .cut:
                    try await writer.finish(nil)
                    return
                case .stall:
                    deadline += configuration.stall
                case .malformed:
                    try await writer.write(
                        ByteBuffer(string: "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"oops\"\n\n"))
                default:
                    break
                }
            }
            pending += " " + SimWire.words[Int(wordRandom.next() % UInt64(SimWire.words.count))]
            pendingTokens += 1
            guard pendingTokens == configuration.tokensPerChunk || k == plan.outputTokens - 1 else { continue }
            if deadline > .now { try await Task.sleep(until: deadline, clock: .continuous) }
            let writtenAt = ContinuousClock.now
            if firstContent == nil { firstContent = writtenAt }
            lastContent = writtenAt
            chunks += 1
            try await writer.write(
                ByteBuffer(
                    string: SimWire.chunk(
                        id: plan.id, created: plan.created, model: plan.model, delta: "{\"content\":\"\(pending)\"}",
                        finishReason: nil))
            )
            sent += pendingTokens
            pending = ""
            pendingTokens = 0
        }
        var tail = SimWire.chunk(
            id: plan.id, created: plan.created, model: plan.model, delta: "{}",
            finishReason: plan.capped ? "length" : "stop")
        if plan.includeUsage {
            tail += SimWire.usageChunk(
                id: plan.id, created: plan.created, model: plan.model, prompt: plan.promptTokens, completion: sent)
        }
        tail += "data: [DONE]\n\n"
        try await writer.write(ByteBuffer(string: tail))
        completed = true
        try await writer.finish(nil)
    }

    private func complete(_ plan: GenerationPlan) async throws -> Response {
        var random = plan.random
        var wordRandom = plan.words
        _ = stats.streamStarted()
        var generation = jittered(configuration.ttft, &random)
        var words: [String] = []
        for k in 0..<plan.outputTokens {
            if k > 0 { generation += tokenInterval(&random) }
            words.append(SimWire.words[Int(wordRandom.next() % UInt64(SimWire.words.count))])
        }
        try await Task.sleep(until: plan.arrivedAt + generation, clock: .continuous)
        stats.streamEnded(completed: true, tokens: words.count)
        return Self.json(
            SimWire.completion(
                id: plan.id, created: plan.created, model: plan.model, text: words.joined(separator: " "),
                finishReason: plan.capped ? "length" : "stop", prompt: plan.promptTokens, completion: words.count
            )
        )
    }
}

/// Everything decided about one request before its response is written.
struct GenerationPlan: Sendable {
    var id: String
    var created: Int
    var model: String
    var promptTokens: Int
    var outputTokens: Int
    /// Whether generation stops at the length cap ("length") rather than naturally ("stop").
    var capped: Bool
    var fault: Fault
    var includeUsage: Bool
    /// Timing jitter and faults: drawn per request.
    var random: SeededRandom
    /// The answer's words: drawn from the prompt (and the seed), so the same prompt gets the same answer, as from a
    /// model at temperature 0.
    var words: SeededRandom
    /// When the request reached the handler: every deadline counts from here.
    var arrivedAt: ContinuousClock.Instant
}
