import ArgumentParser
import BenchSimulator
import Logging

struct Simulate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve a simulated OpenAI-compatible model with known timing and injected faults."
    )

    @Option(help: "Address to bind.") var host = "127.0.0.1"
    @Option(parsing: .unconditional, help: "Port to listen on (0 = any free port).") var port = 8111
    @Option(help: "Model id to report.") var model = "sim"
    @Option(parsing: .unconditional, help: "Time to first token, milliseconds.") var ttftMs = 150.0
    @Option(parsing: .unconditional, help: "Time between tokens, milliseconds.") var itlMs = 10.0
    @Option(parsing: .unconditional, help: "Tokens generated when the request does not force a length.")
    var outputTokens = 64
    @Option(parsing: .unconditional, help: "Tokens per streamed chunk (servers that batch their stream output).")
    var tokensPerChunk = 1
    @Flag(inversion: .prefixedNo, help: "Send a usage report when the request asks for one (--no-usage: never).")
    var usage = true
    @Option(parsing: .unconditional, help: "Relative standard deviation of every TTFT/ITL draw (0 = exact).")
    var jitter = 0.0
    @Option(parsing: .unconditional, help: "Seed for jitter, faults and text.") var seed: UInt64 = 0
    @Option(parsing: .unconditional, help: "Streams served at full speed; beyond it tokens slow down in proportion.")
    var capacity: Int?
    @Option(name: .customLong("fault-429"), parsing: .unconditional, help: "Share of requests answered with HTTP 429.")
    var fault429 = 0.0
    @Option(name: .customLong("fault-500"), parsing: .unconditional, help: "Share of requests answered with HTTP 500.")
    var fault500 = 0.0
    @Option(parsing: .unconditional, help: "Share of streams cut half-way (no [DONE]).") var faultCut = 0.0
    @Option(parsing: .unconditional, help: "Share of streams that stall half-way for --stall-ms.") var faultStall = 0.0
    @Option(parsing: .unconditional, help: "Share of streams with a malformed JSON event.") var faultMalformed = 0.0
    @Option(parsing: .unconditional, help: "Length of an injected stall, milliseconds.") var stallMs = 3000.0
    @Option(parsing: .unconditional, help: "Retry-After seconds sent with 429s.") var retryAfter = 1

    func validate() throws {
        let rates = [fault429, fault500, faultCut, faultStall, faultMalformed]
        guard rates.allSatisfy({ (0...1).contains($0) }), rates.reduce(0, +) <= 1 else {
            throw ValidationError("fault rates must each be in 0…1 and add up to at most 1")
        }
        try FlagRange.port("--port", port)
        try FlagRange.atLeast("--ttft-ms", ttftMs, 0)
        try FlagRange.atLeast("--itl-ms", itlMs, 0)
        try FlagRange.atLeast("--output-tokens", outputTokens, 1)
        try FlagRange.atLeast("--tokens-per-chunk", tokensPerChunk, 1)
        try FlagRange.atLeast("--jitter", jitter, 0)
        try FlagRange.atLeast("--capacity", capacity, 1)
        try FlagRange.atLeast("--stall-ms", stallMs, 0)
        try FlagRange.atLeast("--retry-after", retryAfter, 0)
    }

    func run() async throws {
        var configuration = SimulatorConfiguration(
            host: host, port: port, model: model, ttft: .microseconds(Int64(ttftMs * 1000)),
            itl: .microseconds(Int64(itlMs * 1000)), outputTokens: outputTokens, jitter: jitter, seed: seed,
            capacity: capacity,
            faults: .init(
                rateLimited: fault429, serverError: fault500, cut: faultCut, stall: faultStall,
                malformed: faultMalformed
            ),
            stall: .microseconds(Int64(stallMs * 1000)), retryAfterSeconds: retryAfter
        )
        configuration.tokensPerChunk = tokensPerChunk
        configuration.reportsUsage = usage
        var logger = Logger(label: "llmbench.simulate")
        logger.logLevel = .warning
        let host = self.host
        try await Simulator(configuration: configuration, logger: logger).run(handleSignals: true) { port in
            Console.info("llmbench simulator listening on http://\(host):\(port)/v1")
        }
    }
}
