import BenchCore
import BenchEngine
import ArgumentParser
import Foundation

@main
struct LLMBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "llmbench",
        abstract: "Benchmark LLM endpoints: speed under load, measured honestly.",
        version: "llmbench \(BenchmarkRun.version)",
        subcommands: [
            Quickstart.self, Bench.self, SLOSearchCommand.self, Paired.self, Calibrate.self, Report.self, Eval.self,
            EvalCompare.self,
            EvalPairwise.self,
            EvalAgreement.self,
            EvalPlan.self, DataCommand.self, Probe.self, Serve.self,
            Worker.self,
            Simulate.self, Local.self,
        ]
    )

    /// Runs the command; a file-system error that reaches here is one sentence with the path and the reason and
    /// exit 64, not Foundation's error dump.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var command = command as? any AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
        } catch {
            if let sentence = FileProblem.sentence(for: error) {
                Console.error(sentence)
                exit(withError: ExitCode(64))
            }
            exit(withError: error)
        }
    }
}
