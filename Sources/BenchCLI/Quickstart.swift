import ArgumentParser
import BenchEngine
import BenchCore
import BenchEval
import BenchLocal
import BenchMetrics
import BenchReport
import Foundation

struct Quickstart: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Install the default local model if needed, start it, benchmark it, stop it.",
        discussion: """
            Runs a concurrency sweep (1, 2, 4) against SmolLM2-135M-Instruct on llama.cpp's server, with prompt \
            caching off, exact output lengths and 4 distinct prompts repeated (so the report can say whether \
            temperature-0 answers are deterministic), then the four built-in smoke suites (arithmetic, knowledge, \
            json, instructions) for quality numbers. No API key and no network beyond PyPI are needed.
            """
    )

    @Option(help: "Output directory.") var out = "results"
    @Option(parsing: .unconditional, help: "Requests per concurrency level.") var requests = 8
    @Option(help: "Concurrency levels, comma-separated.") var concurrency = "1,2,4"

    func validate() throws {
        try FlagRange.atLeast("--requests", requests, 1)
    }

    func run() async throws {
        let log = Console.timestamped()
        let levels = concurrency.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !levels.isEmpty, levels.allSatisfy({ $0 >= 1 }) else {
            throw ValidationError("--concurrency takes whole numbers ≥ 1, e.g. 1,2,4")
        }
        let spec = Self.spec(levels: levels, requests: requests)
        let connections = max(Engine.connections(for: spec), HarnessCalibration.streams)
        var phases = PhaseTimes()
        try await LocalCommand.perform {
            try await LocalModelInstaller(log: log).install()
            phases.end("install")
            try await Engine.withRunning(.init(connectionsPerHost: connections)) { engine in
                let server = LocalServer()
                log("starting llama-server")
                let state = try await server.start(
                    parallel: max(4, levels.max() ?? 4), isHealthy: LocalServer.healthProbe(engine.http.client))
                log("llama-server ready at \(state.baseURL) (pid \(state.pid), \(state.threads) threads)")
                phases.end("server start")
                let result: Result<(BenchmarkReport, PhaseTimes), any Error>
                do {
                    result = .success(
                        try await withServerStoppedOnSignal(server) { [phases] in
                            try await benchmark(spec, at: state, engine: engine, phases: phases, log: log)
                        })
                } catch {
                    result = .failure(error)
                }
                server.stop()
                log("llama-server stopped")
                let report: BenchmarkReport
                (report, phases) = try result.get()
                log("phases: " + phases.summary)
                Console.info("\nwrote \(out)/report.html, \(out)/report.json, \(out)/report.md, \(out)/records.jsonl")
                if let determinism = report.targets.first?.steps.compactMap(\.metrics.determinism).first {
                    Console.info(
                        "determinism at temperature 0: \(determinism.identical) of \(determinism.repeatedPrompts) repeated prompts identical (first step)"
                    )
                }
            }
        }
    }

    /// The quickstart's spec: the local model (prompt caching off), 4 distinct prompts of 128 tokens, 64 output
    /// tokens, the concurrency sweep, the four smoke suites; the target's base URL is set once the server runs.
    static func spec(levels: [Int], requests: Int) -> BenchSpec {
        var spec = BenchSpec()
        spec.targets = [
            BenchSpec.Target(
                name: "smollm2-local", baseURL: "http://127.0.0.1:0/v1", model: LocalModelPins.modelAlias,
                extraBody: ["cache_prompt": .bool(false)]
            )
        ]
        spec.inputTokens = 128
        spec.outputTokens = 64
        spec.distinctPrompts = 4
        spec.temperature = 0
        spec.seed = 42
        spec.quality = SmokeSuite.allCases.map { QualityTask(source: .suite($0), concurrency: 4) }
        spec.shapes = levels.map { .concurrency(users: $0) }
        spec.maxRequests = requests
        return spec
    }

    private func benchmark(
        _ spec: BenchSpec, at state: LocalServerState, engine: Engine, phases: PhaseTimes,
        log: @escaping @Sendable (String) -> Void
    ) async throws -> (BenchmarkReport, PhaseTimes) {
        var phases = phases
        var spec = spec
        spec.targets[0].baseURL = state.baseURL
        log("warm-up: 2 requests (not reported)")
        var warmup = spec
        warmup.shapes = [.concurrency(users: 1)]
        warmup.maxRequests = 2
        warmup.quality = []
        _ = try await BenchmarkRun(spec: warmup, engine: engine, outputDirectory: nil).run()
        phases.end("warm-up")

        let levels = spec.shapes.map(\.label).joined(separator: ", ")
        log("benchmark: \(levels), \(spec.maxRequests ?? 0) requests each")
        let live = Console.isTerminal(FileHandle.standardError)
        let bar = ProgressBar(enabled: live)
        var engine = engine
        engine.clientCeiling = try await HarnessCalibration.cachedOrMeasured(engine: engine, log: log)
        phases.end("client ceiling")
        let report = try await BenchmarkRun(
            spec: spec, engine: engine, outputDirectory: URL(fileURLWithPath: out), progress: { await bar.update($0) },
            log: { line in
                if live { ProgressBar.clearLine() }
                log(Console.highlight(line))
            }
        ).run()
        await bar.clear()
        phases.end("load steps and quality suites")
        return (report, phases)
    }
}
