import ArgumentParser
import BenchEngine
import BenchEval
import BenchMetrics
import BenchReport
import Foundation

struct Eval: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Score a model on a task file (docs/eval.md): accuracy, log-likelihood choice or perplexity, with intervals.",
        discussion: """
            Writes items.jsonl (per item: prompt, answer, what was extracted, the reference, the outcome, tokens, \
            latency, finish reason; or the log-probabilities behind a choice or a perplexity) and summary.json to \
            --out. Unparsed answers are counted apart from wrong ones, answers cut at the token limit are counted \
            too, failed requests are left out of the score and reported. Log-likelihood tasks need llama.cpp or \
            vLLM (or a server `llmbench probe` found to give prompt log-probabilities). --rescore re-scores a \
            previous --out directory with the task's current filters and scorer, without asking the model again.
            """
    )

    @Argument(help: "A task file (YAML or JSON), or a benchmark's name (gsm8k, hellaswag…: `llmbench data list`).")
    var taskFile: String?
    @Option(help: "A built-in smoke suite instead of a task file: arithmetic, knowledge, json or instructions.")
    var suite: String?
    @Option(help: "Read the task's dataset from this file instead (your copy of GSM8K's test.jsonl, an MMLU CSV…).")
    var dataset: String?
    @Option(help: "Fetch benchmark data from this mirror (same paths as the origins); default $LLMBENCH_DATA_MIRROR.")
    var dataMirror: String?
    @Option(parsing: .unconditional, help: "Only the first N items (overrides the task's limit).")
    var limit: Int?
    @OptionGroup var targetOptions: TargetOptions
    @OptionGroup var judgeOptions: JudgeOptions
    @Option(parsing: .unconditional, help: "Requests in flight at once.")
    var concurrency = 4
    @Option(parsing: .unconditional, help: "Sampling temperature (default 0).")
    var temperature = 0.0
    @Option(help: "Output directory.")
    var out = "eval-results"
    @Option(help: "Keep answers in this folder and reuse them on later runs (content-addressed; generative tasks).")
    var cache: String?
    @Option(
        help:
            "Re-score the answers stored in this earlier output directory (no requests to the model; judged tasks are judged again by the --judge-* target); writes to --out."
    )
    var rescore: String?
    @Flag(help: "Print the summary as JSON on standard output (progress on standard error).")
    var json = false
    @Flag(
        help:
            "Code-execution tasks (humaneval): run the model's code against the tests, in a sandbox without network, in its own empty directory, with CPU, memory, file-size and process limits."
    )
    var allowCodeExecution = false
    @Flag(
        help:
            "With --allow-code-execution on a machine that cannot isolate code in namespaces: run it with the limits only, where it can reach the network and your files."
    )
    var allowUnsandboxedCode = false
    @Option(
        help:
            "Toxicity tasks: also classify each answer with OpenAI's moderation endpoint, its key read from this environment variable."
    )
    var moderationApiKeyEnv: String?
    @Option(help: "The moderation API root.")
    var moderationBaseURL = "https://api.openai.com/v1"
    @Option(help: "The moderation model.")
    var moderationModel = "omni-moderation-latest"

    /// The moderation API, when its key variable was given.
    var moderation: Moderation.Target? {
        moderationApiKeyEnv.map { Moderation.Target(baseURL: moderationBaseURL, apiKeyEnv: $0, model: moderationModel) }
    }

    func validate() throws {
        try FlagRange.atLeast("--limit", limit, 1)
        try FlagRange.atLeast("--concurrency", concurrency, 1)
        try FlagRange.within("--temperature", temperature, 0...2)
    }

    func run() async throws {
        do {
            var task = try dataset.map { try loadTask().reading(URL(fileURLWithPath: $0).path) } ?? loadTask()
            if let limit {
                guard limit > 0 else { throw SpecError("--limit", "expected a whole number ≥ 1") }
                task.limit = limit
            }
            if let rescore {
                try await rescoreFolder(rescore, task: task)
                return
            }
            var spec = BenchSpec()
            try targetOptions.apply(to: &spec)
            guard let target = spec.targets.first else {
                throw SpecError("--model", "give the target with --kind/--base-url and --model")
            }
            let json = self.json
            let say: @Sendable (String) -> Void = { json ? Console.status($0) : Console.info($0) }
            let bar = ProgressBar(enabled: Console.isTerminal(FileHandle.standardError))
            let judge = try judgeOptions.target()
            let store = try DataStore.standard(mirror: dataMirror)
            var sandbox: CodeSandbox?
            if task.scorer.runsCode {
                guard allowCodeExecution else { throw CodeSandbox.refusal(of: task.name) }
                let made = try await CodeSandbox.make(allowUnsandboxed: allowUnsandboxedCode)
                say("code runs in a sandbox: \(made.description)")
                sandbox = made
            }
            let (concurrency, temperature, out, cache, moderation, codeSandbox) = (
                self.concurrency, self.temperature, self.out, self.cache, self.moderation, sandbox
            )
            let (summary, results) = try await Engine.withRunning(
                .init(connectionsPerHost: concurrency * (judge == nil ? 1 : 2))
            ) { engine in
                let task = try await DataCommand.fetch(task, store: store, engine: engine)
                let asks = try task.loadItems().count * (task.outputType == .generate ? task.repeats : 1)
                let counter = ProgressCounter(
                    BenchmarkRun.StepProgress(
                        target: target.name, label: task.name, step: 1, steps: 1, done: 0, failed: 0, expected: asks,
                        duration: nil, elapsed: .zero))
                let started = ContinuousClock.now
                return try await EvalRun(
                    task: task, target: target, engine: engine, concurrency: concurrency, temperature: temperature,
                    outputDirectory: URL(fileURLWithPath: out),
                    cache: cache.map { ResponseCache(directory: URL(fileURLWithPath: $0)) },
                    onResult: { result in
                        await bar.update(
                            await counter.count(
                                failed: result.outcome == .failed, elapsed: ContinuousClock.now - started))
                    },
                    judgeTarget: judge, moderationTarget: moderation, codeSandbox: codeSandbox, log: say
                ).run()
            }
            await bar.clear()
            if json {
                print(try Console.json(summary))
            } else {
                for line in QualityLines.summary(summary) { Console.info(line) }
            }
            if let failure = results.first(where: { $0.outcome == .failed })?.error {
                Console.error("\(summary.failed) failed; the first: \(failure)")
            }
            say("wrote \(out)/items.jsonl, \(out)/summary.json")
            if summary.failed == summary.results { throw ExitCode(2) }
        } catch let error as SpecError {
            Console.error("invalid input: \(error)")
            throw ExitCode(64)
        } catch let error as DatasetError {
            Console.error("invalid task: \(error)")
            throw ExitCode(64)
        } catch let error as EndpointRefused {
            Console.error("\(error)")
            throw ExitCode(2)
        } catch let error as DataError {
            Console.error("\(error)")
            throw ExitCode(2)
        }
    }

    private func rescoreFolder(_ folder: String, task: TaskDefinition) async throws {
        let source = EvalResultsFolder(URL(fileURLWithPath: folder))
        let stored = try source.results()
        let previous = try source.summary()
        guard previous.outputType == task.outputType.name else {
            throw SpecError(
                "--rescore", "\(folder) holds \(previous.outputType) results; the task is \(task.outputType.name)")
        }
        let results: [EvalItemResult]
        let summary: EvalSummary
        if let template = task.judge, try judgeOptions.target() == nil {
            throw SpecError(
                "--judge-model",
                "\(task.name) is graded by a judge (\(template.name)): re-scoring it means judging again; give --judge-kind/--judge-base-url and --judge-model"
            )
        }
        if task.judge != nil, let judge = try judgeOptions.target() {
            let target = BenchSpec.Target(
                name: previous.target, baseURL: "", model: previous.model ?? previous.target ?? "unknown")
            let (concurrency, out, moderation) = (self.concurrency, self.out, self.moderation)
            (summary, results) = try await Engine.withRunning(.init(connectionsPerHost: concurrency)) { engine in
                try await EvalRun(
                    task: task, target: target, engine: engine, concurrency: concurrency,
                    outputDirectory: URL(fileURLWithPath: out), judgeTarget: judge, moderationTarget: moderation,
                    log: { Console.info($0) }
                ).rejudge(stored, method: previous.method)
            }
        } else {
            results = stored.map { $0.rescored(with: task) }
            var rescored = EvalSummary(
                task: task.name, outputType: previous.outputType, method: previous.method, results: results)
            rescored.target = previous.target
            rescored.model = previous.model
            summary = rescored
            try EvalResultsFolder(URL(fileURLWithPath: out)).write(summary, results: results)
        }
        let changed = zip(stored, results).filter { $0.outcome != $1.outcome }.count
        for line in QualityLines.summary(summary) { Console.info(line) }
        Console.info(
            "re-scored \(results.count) stored answers (\(changed) changed outcome); wrote \(out)/items.jsonl, \(out)/summary.json"
        )
    }

    private func loadTask() throws -> TaskDefinition {
        switch (taskFile, suite) {
        case (let file?, nil)
        where !FileManager.default.fileExists(atPath: file) && !file.contains("/")
            && !file.hasSuffix(".yaml") && !file.hasSuffix(".json"):
            return try BenchmarkRegistry.task(named: file)
        case (let file?, nil):
            let url = URL(fileURLWithPath: file)
            let text = try String(contentsOf: url, encoding: .utf8)
            return try BenchmarkRegistry.withData(
                TaskDefinition(document: try BenchSpec.document(text), directory: url.deletingLastPathComponent()))
        case (nil, let name?):
            guard let suite = SmokeSuite(rawValue: name) else {
                let known = SmokeSuite.allCases.map(\.rawValue).joined(separator: ", ")
                throw SpecError("--suite", "unknown suite \"\(name)\" (known: \(known))")
            }
            return suite.task
        default:
            throw SpecError("task", "give a task file or --suite, one of the two")
        }
    }
}
