import ArgumentParser
import BenchEngine
import BenchEval
import BenchMetrics
import BenchReport
import Foundation

struct EvalCompare: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval-compare",
        abstract: "Compare two evaluation results item by item: paired difference, McNemar, non-inferiority.",
        discussion: """
            Reads the --out folders of two `llmbench eval` runs of the same task. Results scored differently \\
            (generation against log-likelihood, or forced decoding against prompt_logprobs) are not compared: \\
            the mismatch is reported instead. Writes the comparison as JSON with --json.
            """
    )

    @Argument(help: "The first result folder (A).")
    var a: String
    @Argument(help: "The second result folder (B).")
    var b: String
    @Option(parsing: .unconditional, help: "Non-inferiority margin in points: is A no worse than B by more than this?")
    var margin = 2.0
    @Flag(help: "Print the comparison as JSON.")
    var json = false

    func validate() throws {
        try FlagRange.within("--margin", margin, 0...100)
    }

    func run() async throws {
        do {
            let left = EvalResultsFolder(URL(fileURLWithPath: a))
            let right = EvalResultsFolder(URL(fileURLWithPath: b))
            let comparison = EvalComparison(
                a: a, summaryA: try left.summary(), resultsA: try left.results(), b: b, summaryB: try right.summary(),
                resultsB: try right.results(), margin: margin / 100)
            if json {
                print(try Console.json(comparison))
            } else {
                for line in QualityLines.comparison(comparison) { Console.info(line) }
            }
            if comparison.mismatch != nil { throw ExitCode(3) }
        } catch let error as DatasetError {
            Console.error("cannot compare: \(error)")
            throw ExitCode(64)
        }
    }
}
