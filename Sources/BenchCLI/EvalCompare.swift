import ArgumentParser
import BenchApp
import BenchEval
import BenchMetrics
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
    @Option(help: "Non-inferiority margin in points: is A no worse than B by more than this?")
    var margin = 2.0
    @Flag(help: "Print the comparison as JSON.")
    var json = false

    func run() async throws {
        do {
            let left = EvalResultsFolder(URL(fileURLWithPath: a))
            let right = EvalResultsFolder(URL(fileURLWithPath: b))
            let comparison = EvalComparison(
                a: a, summaryA: try left.summary(), resultsA: try left.results(), b: b, summaryB: try right.summary(),
                resultsB: try right.results(), margin: margin / 100)
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                print(String(decoding: try encoder.encode(comparison), as: UTF8.self))
            } else {
                for line in Self.lines(comparison) { Console.info(line) }
            }
            if comparison.mismatch != nil { throw ExitCode(3) }
        } catch let error as DatasetError {
            Console.error("cannot compare: \(error)")
            throw ExitCode(64)
        }
    }

    static func lines(_ comparison: EvalComparison) -> [String] {
        if let mismatch = comparison.mismatch {
            return ["not comparable: \(mismatch)"]
        }
        var lines = [
            "\(comparison.pairedItems) items scored by both (\(comparison.onlyInA) only in A, \(comparison.onlyInB) only in B)"
        ]
        if let a = comparison.accuracyA, let b = comparison.accuracyB {
            lines.append(String(format: "A %.1f %% · B %.1f %%", a * 100, b * 100))
        }
        guard let paired = comparison.paired else {
            lines.append("too few paired items for a difference")
            return lines
        }
        lines.append(
            String(
                format: "A − B = %+.1f points (95 %% CI %+.1f to %+.1f; paired bootstrap %+.1f to %+.1f)",
                paired.meanDifference * 100, paired.interval.lower * 100, paired.interval.upper * 100,
                paired.bootstrapInterval.lower * 100, paired.bootstrapInterval.upper * 100))
        if let onlyA = paired.onlyA, let onlyB = paired.onlyB, let p = paired.mcnemarP {
            lines.append(
                String(format: "McNemar: %d items only A got right, %d only B; exact p = %.4g", onlyA, onlyB, p))
        }
        if let mdd = comparison.minimumDetectableDifference {
            lines.append(
                String(
                    format:
                        "with %d items this comparison can detect a difference of about %.1f points (α 0.05, power 0.8)",
                    paired.n, mdd * 100))
        }
        if let verdict = comparison.nonInferiority { lines.append(verdict.sentence) }
        return lines
    }
}
