import ArgumentParser
import BenchApp
import BenchEval
import BenchMetrics
import Foundation

struct Eval: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Score a model on a generative task file (docs/eval.md): accuracy with its interval.",
        discussion: """
            Writes items.jsonl (each answer, what was extracted, the reference and the outcome) and summary.json to \
            --out. Unparsed answers are counted apart from wrong ones; failed requests are left out of the score \
            and reported.
            """
    )

    @Argument(help: "A task file (YAML or JSON).")
    var taskFile: String?
    @Option(help: "A built-in smoke suite instead of a task file: arithmetic, knowledge or json.")
    var suite: String?
    @Option(help: "Read the task's dataset from this file instead (your copy of GSM8K's test.jsonl, an MMLU CSV…).")
    var dataset: String?
    @OptionGroup var targetOptions: TargetOptions
    @Option(help: "Requests in flight at once.")
    var concurrency = 4
    @Option(help: "Sampling temperature (default 0).")
    var temperature = 0.0
    @Option(help: "Output directory.")
    var out = "eval-results"

    func run() async throws {
        do {
            let task = try dataset.map { try loadTask().reading(URL(fileURLWithPath: $0).path) } ?? loadTask()
            var spec = BenchSpec()
            try targetOptions.apply(to: &spec)
            guard let target = spec.targets.first else {
                throw SpecError("--model", "give the target with --kind/--base-url and --model")
            }
            let (summary, _) = try await EvalRun(
                task: task, target: target, concurrency: concurrency, temperature: temperature,
                outputDirectory: URL(fileURLWithPath: out), log: { Console.info($0) }
            ).run()
            let accuracy = summary.accuracy.map { String(format: "%.1f %%", $0 * 100) } ?? "–"
            let interval =
                summary.interval.map { String(format: " (95 %% CI %.1f–%.1f %%)", $0.lower * 100, $0.upper * 100) }
                ?? ""
            Console.info(
                "\(summary.task): accuracy \(accuracy)\(interval) over \(summary.items) items; \(summary.correct) correct, \(summary.incorrect) wrong, \(summary.unparsed) unparsed, \(summary.failed) failed"
            )
            Console.info("wrote \(out)/items.jsonl, \(out)/summary.json")
            if summary.failed == summary.results { throw ExitCode(2) }
        } catch let error as SpecError {
            Console.error("invalid input: \(error)")
            throw ExitCode(64)
        } catch let error as DatasetError {
            Console.error("invalid task: \(error)")
            throw ExitCode(64)
        } catch let error as CocoaError {
            Console.error("cannot read the task file: \(error.localizedDescription)")
            throw ExitCode(64)
        }
    }

    private func loadTask() throws -> TaskDefinition {
        switch (taskFile, suite) {
        case (let file?, nil):
            let url = URL(fileURLWithPath: file)
            let text = try String(contentsOf: url, encoding: .utf8)
            return try TaskDefinition(
                document: try BenchSpec.document(text), directory: url.deletingLastPathComponent())
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
