import ArgumentParser
import BenchApp
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
    @Option(help: "Requests per concurrency level.") var requests = 8
    @Option(help: "Concurrency levels, comma-separated.") var concurrency = "1,2,4"

    func run() async throws {
        let log = Console.timestamped()
        let levels = concurrency.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !levels.isEmpty, levels.allSatisfy({ $0 >= 1 }) else {
            throw ValidationError("--concurrency takes whole numbers ≥ 1, e.g. 1,2,4")
        }
        try await LocalCommand.perform {
            try await LocalModelInstaller(log: log).install()
            let server = LocalServer()
            log("starting llama-server")
            let state = try await server.start(parallel: max(4, levels.max() ?? 4))
            log("llama-server ready at \(state.baseURL) (pid \(state.pid), \(state.threads) threads)")
            let result: Result<BenchmarkReport, any Error>
            do {
                result = .success(
                    try await withServerStoppedOnSignal(server) { try await benchmark(state, levels: levels, log: log) }
                )
            } catch {
                result = .failure(error)
            }
            server.stop()
            log("llama-server stopped")
            let report = try result.get()
            Console.info("\nwrote \(out)/report.html, \(out)/report.json, \(out)/report.md, \(out)/records.jsonl")
            if let determinism = report.targets.first?.steps.compactMap(\.metrics.determinism).first {
                Console.info(
                    "determinism at temperature 0: \(determinism.identical) of \(determinism.repeatedPrompts) repeated prompts identical (first step)"
                )
            }
        }
    }

    private func benchmark(_ state: LocalServerState, levels: [Int], log: @escaping @Sendable (String) -> Void)
        async throws -> BenchmarkReport
    {
        var spec = BenchSpec()
        spec.targets = [
            BenchSpec.Target(
                name: "smollm2-local", baseURL: state.baseURL, model: LocalModelPins.modelAlias,
                extraBody: ["cache_prompt": .bool(false)]
            )
        ]
        spec.inputTokens = 128
        spec.outputTokens = 64
        spec.distinctPrompts = 4
        spec.temperature = 0
        spec.seed = 42
        spec.quality = SmokeSuite.allCases.map { QualityTask(source: .suite($0), concurrency: 4) }

        log("warm-up: 2 requests (not reported)")
        var warmup = spec
        warmup.shapes = [.concurrency(users: 1)]
        warmup.maxRequests = 2
        _ = try await BenchmarkRun(spec: warmup, outputDirectory: nil).run()

        spec.shapes = levels.map { .concurrency(users: $0) }
        spec.maxRequests = requests
        log("benchmark: concurrency \(levels.map(String.init).joined(separator: ", ")), \(requests) requests each")
        let live = Console.isTerminal(FileHandle.standardError)
        let bar = ProgressBar(enabled: live)
        var benchmark = BenchmarkRun(
            spec: spec, outputDirectory: URL(fileURLWithPath: out), progress: { await bar.update($0) },
            log: { line in
                if live { ProgressBar.clearLine() }
                log(Console.highlight(line))
            }
        )
        benchmark.clientCeiling = try await HarnessCalibration.cachedOrMeasured(log: log)
        let report = try await benchmark.run()
        await bar.clear()
        return report
    }
}
