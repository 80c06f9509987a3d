import ArgumentParser
import BenchCore
import BenchEngine
import BenchMetrics
import BenchReport
import Foundation

struct SLOSearchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "slo-search",
        abstract: "Find the highest concurrency or request rate at which a target still meets its SLOs.",
        discussion: """
            Probes one load step at a time (the spec's prompts, output length and requests per step): first the \
            lower bound, then doubling until a load misses an objective, then bisecting between the last load \
            that met them and the first that did not, to within --tolerance. Assumes that a load that misses the \
            SLOs is not met by a higher one. Prints every probe and the answer; --out writes them as JSON.
            """
    )

    @Argument(help: "A spec file with the target, prompts and request settings (or define the target with flags).")
    var specFile: String?
    @OptionGroup var targetOptions: TargetOptions
    @Option(help: "Search concurrency between these bounds, e.g. 1,64.")
    var concurrencyRange: String?
    @Option(help: "Search the request rate (req/s) between these bounds, e.g. 0.5,50.")
    var rateRange: String?
    @Option(parsing: .unconditional, help: "Requests per probe (default 50 when no --duration).")
    var requests: Int?
    @Option(parsing: .unconditional, help: "Seconds per probe.")
    var duration: Double?
    @Option(parsing: .unconditional, help: "Input tokens of synthetic prompts.")
    var inputTokens: Int?
    @Option(parsing: .unconditional, help: "Output tokens to ask for.")
    var outputTokens: Int?
    @Option(parsing: .unconditional, help: "Objective: p99 TTFT at most this many milliseconds.")
    var ttftP99Ms: Double?
    @Option(parsing: .unconditional, help: "Objective: p99 ITL at most this many milliseconds.")
    var itlP99Ms: Double?
    @Option(parsing: .unconditional, help: "Objective: p99 end-to-end latency at most this many milliseconds.")
    var e2eP99Ms: Double?
    @Option(parsing: .unconditional, help: "Objective: error rate at most this share (e.g. 0.01).")
    var maxErrorRate: Double?
    @Option(parsing: .unconditional, help: "Stop bisecting when the bracket is within this share of the load.")
    var tolerance = 0.1
    @Option(help: "Write the result (answer and curve) as JSON to this file.")
    var out: String?
    @Flag(help: "Print the result as JSON on standard output.")
    var json = false

    func validate() throws {
        try FlagRange.atLeast("--requests", requests, 1)
        try FlagRange.above("--duration", duration, 0)
        try FlagRange.atLeast("--input-tokens", inputTokens, 1)
        try FlagRange.atLeast("--output-tokens", outputTokens, 1)
        try FlagRange.above("--ttft-p99-ms", ttftP99Ms, 0)
        try FlagRange.above("--itl-p99-ms", itlP99Ms, 0)
        try FlagRange.above("--e2e-p99-ms", e2eP99Ms, 0)
        try FlagRange.within("--max-error-rate", maxErrorRate, 0...1)
        try FlagRange.above("--tolerance", tolerance, 0)
    }

    func run() async throws {
        do {
            var spec = try specFile.map(BenchSpec.load(path:)) ?? BenchSpec()
            try targetOptions.apply(to: &spec)
            if let requests { spec.maxRequests = requests }
            if let duration { spec.maxDuration = .seconds(duration) }
            if spec.maxRequests == nil && spec.maxDuration == nil { spec.maxRequests = 50 }
            if let inputTokens { spec.inputTokens = inputTokens }
            if let outputTokens { spec.outputTokens = outputTokens }
            let (dimension, bounds): (SLOSearchRun.Dimension, String)
            switch (concurrencyRange, rateRange) {
            case (let range?, nil): (dimension, bounds) = (.concurrency, range)
            case (nil, let range?): (dimension, bounds) = (.rate, range)
            default: throw SpecError("--concurrency-range", "give either --concurrency-range or --rate-range")
            }
            let flag = dimension == .concurrency ? "--concurrency-range" : "--rate-range"
            let numbers = bounds.split(separator: ",").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
            guard numbers.count == 2, numbers[0] > 0, numbers[1] >= numbers[0] else {
                throw SpecError(flag, "expected LOWER,UPPER with 0 < LOWER ≤ UPPER")
            }
            guard tolerance > 0 else { throw SpecError("--tolerance", "must be greater than 0") }
            let json = self.json
            let criteria = SLOCriteria(
                ttftP99Ms: ttftP99Ms, itlP99Ms: itlP99Ms, e2eP99Ms: e2eP99Ms, maxErrorRate: maxErrorRate)
            let tolerance = self.tolerance
            // The widest probe: the upper bound's concurrency, or about a minute of its arrivals.
            var widest = spec
            widest.shapes = [
                dimension == .concurrency
                    ? .concurrency(users: Int(numbers[1]))
                    : .rate(perSecond: numbers[1], arrival: .constant, maxInFlight: nil)
            ]
            let result = try await Engine.withRunning(.init(connectionsPerHost: Engine.connections(for: widest))) {
                engine in
                try await SLOSearchRun(
                    spec: spec, engine: engine, criteria: criteria, dimension: dimension, lower: numbers[0],
                    upper: numbers[1], tolerance: tolerance, log: { json ? Console.status($0) : Console.info($0) }
                ).run()
            }
            let text = try Console.json(result)
            if let out { try Data(text.utf8).write(to: URL(fileURLWithPath: out)) }
            if json {
                print(text)
            } else {
                let unit = dimension == .concurrency ? "concurrent requests" : "req/s"
                let load = { (value: Double) in
                    dimension == .concurrency ? String(Int(value)) : NumberFormatting.value(value)
                }
                if let best = result.maxLoad {
                    Console.info(
                        "highest load meeting the SLOs: \(load(best)) \(unit)"
                            + (result.maxGoodputRps.map {
                                ", at most \(NumberFormatting.value($0)) req/s served within them"
                            } ?? ""))
                } else {
                    Console.info("even \(load(numbers[0])) \(unit) misses the SLOs")
                }
            }
            if result.maxLoad == nil { throw ExitCode(3) }
        } catch let error as SpecError {
            Console.error("invalid input: \(error)")
            throw ExitCode(64)
        }
    }
}
