import ArgumentParser
import BenchEngine
import BenchCore
import BenchMetrics
import BenchReport
import BenchRunner
import Foundation

struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure TTFT, ITL, latency and throughput of OpenAI-compatible endpoints under load.",
        discussion: """
            Give a spec file (YAML or JSON, see docs/spec.md) and/or flags; flags override the file.
            Writes report.json, report.md and records.jsonl (one raw record per request) to --out.
            """
    )

    @Argument(help: "A spec file (YAML or JSON) with targets, load, prompts and SLOs.")
    var specFile: String?

    @OptionGroup var targetOptions: TargetOptions
    @Option(
        parsing: .unconditional,
        help: "Client-side budget: at most this many requests per minute to each target (smooth pacing).")
    var rpm: Double?
    @Option(
        parsing: .unconditional,
        help: "Client-side budget: at most this many tokens per minute (prompt characters ÷ 4 + max_tokens).")
    var tpm: Double?
    @Option(help: "Closed-loop concurrency levels, comma-separated (a sweep): 1,8,32.")
    var concurrency: String?
    @Option(help: "Open-loop request rates per second, comma-separated (a sweep): 2,5,10.")
    var rate: String?
    @Flag(help: "Poisson arrivals for --rate (default: evenly spaced).")
    var poisson = false
    @Option(
        parsing: .unconditional,
        help: "With --rate or --trace: at most this many requests in flight; the rest wait (reported as queue time).")
    var maxInFlight: Int?
    @Option(help: "Replay a workload trace (JSONL: timestamp ms, input_length, output_length), as in docs/spec.md.")
    var trace: String?
    @Option(parsing: .unconditional, help: "Time scale of --trace: 2 replays it twice as fast.")
    var traceSpeed: Double?
    @Option(parsing: .unconditional, help: "Requests per step (default 100 when no --duration).")
    var requests: Int?
    @Option(parsing: .unconditional, help: "Seconds per step; requests still running at the end are cancelled.")
    var duration: Double?
    @Option(parsing: .unconditional, help: "Seconds at the start of each step excluded from the measurement window.")
    var warmup: Double?
    @Option(parsing: .unconditional, help: "Seconds at the end of each step excluded from the measurement window.")
    var cooldown: Double?
    @Option(parsing: .unconditional, help: "Input tokens of synthetic prompts (default 128).")
    var inputTokens: Int?
    @Option(parsing: .unconditional, help: "Output tokens to ask for (max_tokens, default 64).")
    var outputTokens: Int?
    @Option(help: "A JSONL prompt file ({\"prompt\": …} or {\"messages\": […]} per line).")
    var prompts: String?
    @Flag(inversion: .prefixedNo, help: "Ask for exactly --output-tokens tokens (ignore_eos, min_tokens).")
    var exactOutput: Bool?
    @Option(help: "Multi-turn conversations, JSONL ({\"turns\": […]}, OpenAI messages or ShareGPT) per line.")
    var conversations: String?
    @Option(
        parsing: .unconditional,
        help: "Synthetic multi-turn conversations of this many turns, each turn a synthetic prompt.")
    var turns: Int?
    @Option(parsing: .unconditional, help: "Seconds between an answer and the next turn of a conversation.")
    var thinkTime: Double?
    @Option(parsing: .unconditional, help: "Sampling temperature (default 0).")
    var temperature: Double?
    @Option(parsing: .unconditional, help: "Seed for prompts, arrivals and the request seed (default 0).")
    var seed: UInt64?
    @Option(help: "SLOs for goodput, e.g. ttft_ms=500,itl_ms=50,e2e_ms=5000.")
    var slo: String?
    @Option(parsing: .unconditional, help: "Total seconds one request may take (default 600).")
    var timeout: Double?
    @Option(parsing: .unconditional, help: "Seconds without a byte before a stream counts as stalled (default 120).")
    var readTimeout: Double?
    @Option(
        parsing: .unconditional,
        help: "Retries of throttled requests (HTTP 429, overload), honouring retry-after (default 3).")
    var retries: Int?
    @Option(help: "Output directory.")
    var out: String = "results"
    @Flag(help: "Print only the final table.")
    var quiet = false
    @Flag(help: "Print the report as JSON on standard output (progress and notes go to standard error).")
    var json = false
    @Flag(
        inversion: .prefixedNo,
        help: "Compare every step with the client's ceiling on this host (measured once per version, then cached).")
    var calibration = true
    @Option(parsing: .unconditional, help: "CI gate: exit 3 when any step's error rate is over this share (e.g. 0.01).")
    var maxErrorRate: Double?
    @Option(
        parsing: .unconditional,
        help: "CI gate: exit 3 when in any step fewer than this share of requests met the SLOs (e.g. 0.99).")
    var minGoodputShare: Double?

    func validate() throws {
        try FlagRange.above("--rpm", rpm, 0)
        try FlagRange.above("--tpm", tpm, 0)
        try FlagRange.atLeast("--max-in-flight", maxInFlight, 1)
        try FlagRange.above("--trace-speed", traceSpeed, 0)
        try FlagRange.atLeast("--requests", requests, 1)
        try FlagRange.above("--duration", duration, 0)
        try FlagRange.atLeast("--warmup", warmup, 0)
        try FlagRange.atLeast("--cooldown", cooldown, 0)
        try FlagRange.atLeast("--input-tokens", inputTokens, 1)
        try FlagRange.atLeast("--output-tokens", outputTokens, 1)
        try FlagRange.atLeast("--turns", turns, 1)
        try FlagRange.atLeast("--think-time", thinkTime, 0)
        try FlagRange.within("--temperature", temperature, 0...2)
        try FlagRange.above("--timeout", timeout, 0)
        try FlagRange.above("--read-timeout", readTimeout, 0)
        try FlagRange.atLeast("--retries", retries, 0)
        try FlagRange.within("--max-error-rate", maxErrorRate, 0...1)
        try FlagRange.within("--min-goodput-share", minGoodputShare, 0...1)
    }

    func run() async throws {
        do {
            let spec = try buildSpec()
            let gate = ReportGate(maxErrorRate: maxErrorRate, minGoodputShare: minGoodputShare)
            let (quiet, json) = (self.quiet, self.json)
            let live = !quiet && Console.isTerminal(FileHandle.standardError)
            let bar = ProgressBar(enabled: live)
            let log: @Sendable (String) -> Void = { line in
                guard !quiet || line.hasPrefix("\n") else { return }
                if live { ProgressBar.clearLine() }
                json ? Console.status(line) : Console.info(Console.highlight(line))
            }
            let (out, calibration) = (self.out, self.calibration)
            let connections = max(Engine.connections(for: spec), calibration ? HarnessCalibration.streams : 0)
            let report = try await Engine.withRunning(.init(connectionsPerHost: connections)) { engine in
                var engine = engine
                if calibration {
                    engine.clientCeiling = try await HarnessCalibration.cachedOrMeasured(engine: engine, log: log)
                }
                return try await BenchmarkRun(
                    spec: spec, engine: engine, outputDirectory: URL(fileURLWithPath: out),
                    progress: { await bar.update($0) }, log: log
                ).run()
            }
            await bar.clear()
            let wrote = "wrote \(out)/report.html, \(out)/report.json, \(out)/report.md, \(out)/records.jsonl"
            if json {
                print(try Console.json(report))
                Console.status(wrote)
            } else {
                Console.info("\n" + wrote)
            }
            let steps = report.targets.flatMap(\.steps)
            if !steps.isEmpty, steps.allSatisfy({ $0.metrics.counts.succeeded == 0 }) {
                // Said even with --quiet: the reason is the one line a failed run must print.
                let groups = steps.flatMap(\.metrics.errors).sorted { $0.count > $1.count }
                let why = groups.first.map { group in
                    "; the most common failure (\(group.count)×): \(group.kind.rawValue)"
                        + (group.httpStatus.map { " (HTTP \($0))" } ?? "") + ": \(group.message)"
                }
                Console.error("every request failed\(why ?? ""); details in \(out)/report.md")
                throw ExitCode(2)
            }
            for step in report.clientBoundSteps {
                Console.error(Console.paint("client-bound: ", .yellow) + step + " (see the step's client notes)")
            }
            let failures = gate.failures(report)
            if !failures.isEmpty {
                for failure in failures { Console.error(Console.paint("gate failed: ", .red) + failure) }
                throw ExitCode(3)
            }
        } catch let error as SpecError {
            Console.error("invalid input: \(error)")
            throw ExitCode(64)
        }
    }

    private func buildSpec() throws -> BenchSpec {
        var spec = try specFile.map(BenchSpec.load(path:)) ?? BenchSpec()
        try targetOptions.apply(to: &spec)
        for index in spec.targets.indices {
            if let rpm { spec.targets[index].rateLimit.requestsPerMinute = rpm }
            if let tpm { spec.targets[index].rateLimit.tokensPerMinute = tpm }
        }
        if concurrency != nil && rate != nil {
            throw SpecError("--rate", "give either --concurrency or --rate, not both")
        }
        if let concurrency {
            spec.shapes = try Self.numbers(concurrency, flag: "--concurrency").map {
                guard $0 >= 1, $0.rounded() == $0 else {
                    throw SpecError("--concurrency", "expected whole numbers ≥ 1")
                }
                return .concurrency(users: Int($0))
            }
        }
        if let rate {
            spec.shapes = try Self.numbers(rate, flag: "--rate").map {
                guard $0 > 0 else { throw SpecError("--rate", "rates must be greater than 0") }
                return .rate(perSecond: $0, arrival: poisson ? .poisson : .constant, maxInFlight: maxInFlight)
            }
        }
        if let trace {
            if concurrency != nil || rate != nil {
                throw SpecError("--trace", "a trace sets its own arrivals: give no --concurrency or --rate with it")
            }
            spec.traceFile = trace
        }
        if let maxInFlight, spec.traceFile != nil { spec.traceMaxInFlight = maxInFlight }
        if let traceSpeed {
            guard traceSpeed > 0 else { throw SpecError("--trace-speed", "must be greater than 0") }
            guard spec.traceFile != nil else { throw SpecError("--trace-speed", "needs --trace or load.trace") }
            spec.traceSpeed = traceSpeed
        }
        if let requests {
            guard requests >= 1 else { throw SpecError("--requests", "must be at least 1") }
            spec.maxRequests = requests
        }
        if let duration {
            guard duration > 0 else { throw SpecError("--duration", "must be greater than 0") }
            spec.maxDuration = .seconds(double: duration)
        }
        if let warmup { spec.warmup = .seconds(double: max(0, warmup)) }
        if let cooldown { spec.cooldown = .seconds(double: max(0, cooldown)) }
        if let inputTokens {
            guard inputTokens >= 1 else { throw SpecError("--input-tokens", "must be at least 1") }
            spec.inputTokens = inputTokens
        }
        if let outputTokens {
            guard outputTokens >= 1 else { throw SpecError("--output-tokens", "must be at least 1") }
            spec.outputTokens = outputTokens
        }
        if let prompts { spec.promptFile = prompts }
        if let conversations { spec.conversationFile = conversations }
        if let turns {
            guard turns >= 1 else { throw SpecError("--turns", "must be at least 1") }
            spec.conversationTurns = turns
        }
        if let thinkTime {
            guard thinkTime >= 0 else { throw SpecError("--think-time", "must be 0 or more") }
            spec.thinkTime = .seconds(double: thinkTime)
        }
        if let exactOutput {
            spec.exactOutput = exactOutput
            for index in spec.targets.indices { spec.targets[index].exactOutput = exactOutput }
        }
        if let temperature { spec.temperature = temperature }
        if let seed { spec.seed = seed }
        if let slo { spec.slo = try Self.objectives(slo) }
        if let timeout { spec.requestTimeout = .seconds(double: timeout) }
        if let readTimeout { spec.readTimeout = .seconds(double: readTimeout) }
        if let retries {
            guard (0...20).contains(retries) else { throw SpecError("--retries", "expected 0 to 20") }
            spec.retry.maxRetries = retries
        }
        // Last, so that the prompt flags are checked against it and --trace-speed applies.
        try spec.loadTrace(relativeTo: nil)
        return spec
    }

    private static func numbers(_ list: String, flag: String) throws -> [Double] {
        try list.split(separator: ",").map {
            guard let value = Double($0.trimmingCharacters(in: .whitespaces)) else {
                throw SpecError(flag, "expected comma-separated numbers, got \"\($0)\"")
            }
            return value
        }
    }

    static func objectives(_ text: String) throws -> ServiceLevelObjectives {
        var objectives = ServiceLevelObjectives()
        for pair in text.split(separator: ",") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, let bound = Double(parts[1]), bound > 0 else {
                throw SpecError("--slo", "expected name=milliseconds pairs such as ttft_ms=500, got \"\(pair)\"")
            }
            switch parts[0] {
            case "ttft_ms": objectives.ttftMs = bound
            case "ttfa_ms": objectives.ttfaMs = bound
            case "itl_ms": objectives.itlMs = bound
            case "e2e_ms": objectives.e2eMs = bound
            case "max_gap_ms": objectives.maxGapMs = bound
            default:
                throw SpecError(
                    "--slo", "unknown objective \"\(parts[0])\" (known: ttft_ms, ttfa_ms, itl_ms, e2e_ms, max_gap_ms)")
            }
        }
        return objectives
    }
}
