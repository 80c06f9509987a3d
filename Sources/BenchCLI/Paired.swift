import ArgumentParser
import BenchEngine
import BenchMetrics
import BenchReport
import Foundation

/// `llmbench paired`: the same prompts to every target of a spec, interleaved in random order, with paired
/// differences of TTFT, E2E and decode speed.
struct Paired: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compare targets on the same prompts, sent in turn in random order: paired speed differences.",
        discussion: """
            Round r sends prompt r to every target of the spec, one after the other, in an order drawn afresh \
            (seeded) for each round, so both requests of a pair meet the same network and load. For every pair of \
            targets: mean difference A − B of TTFT, end-to-end latency and decode speed with a 95 % interval \
            (normal and percentile bootstrap), the median difference, and how often A did better. Writes \
            records.jsonl and paired.json to --out.
            """
    )

    @Argument(help: "A spec file with two or more targets (prompts and request settings as for bench).")
    var specFile: String
    @Option(parsing: .unconditional, help: "Rounds (prompts sent to every target).")
    var rounds = 30
    @Option(
        parsing: .unconditional, help: "Rounds in flight at once (1 keeps the targets from competing with each other).")
    var concurrency = 1
    @Option(help: "Output directory.")
    var out = "results/paired"
    @Flag(help: "Print the summary as JSON on standard output.")
    var json = false

    func validate() throws {
        try FlagRange.atLeast("--rounds", rounds, 2)
        try FlagRange.atLeast("--concurrency", concurrency, 1)
    }

    func run() async throws {
        do {
            let (json, rounds, concurrency, out) = (self.json, self.rounds, self.concurrency, self.out)
            let spec = try BenchSpec.load(path: specFile)
            let summary = try await Engine.withRunning(.init(connectionsPerHost: max(8, concurrency))) { engine in
                try await InterleavedRun(
                    spec: spec, engine: engine, rounds: rounds, concurrency: concurrency,
                    outputDirectory: URL(fileURLWithPath: out), log: { json ? Console.status($0) : Console.info($0) }
                ).run()
            }
            if json {
                print(try Console.json(summary))
            } else {
                Console.info(PairedLines.render(summary))
                Console.info("wrote \(out)/paired.json, \(out)/records.jsonl")
            }
        } catch let error as SpecError {
            Console.error("invalid input: \(error)")
            throw ExitCode(64)
        }
    }
}

/// The paired summary as console lines.
enum PairedLines {
    static func render(_ summary: InterleavedRun.Summary) -> String {
        var lines: [String] = []
        for target in summary.targets {
            let m = target.metrics
            lines.append(
                "\(target.name): \(m.counts.succeeded) ok, \(m.counts.failed) failed; TTFT p50 "
                    + "\(NumberFormatting.value(m.ttftMs.p50)) ms, E2E p50 \(NumberFormatting.value(m.e2eMs.p50)) ms")
        }
        for pair in summary.comparisons {
            lines.append("")
            lines.append("\(pair.a) − \(pair.b): \(pair.pairs) pairs, \(pair.a) sent first in \(pair.aFirst)")
            for (name, unit, metric) in [
                ("TTFT", "ms", pair.ttftMs), ("E2E", "ms", pair.e2eMs), ("decode", "tok/s", pair.decodeTps),
            ] {
                guard let metric else {
                    lines.append("  \(name): fewer than 2 pairs")
                    continue
                }
                let d = metric.difference
                lines.append(
                    "  \(name): \(signed(d.meanDifference)) \(unit) (95 % CI \(signed(d.interval.lower)) to "
                        + "\(signed(d.interval.upper)); bootstrap \(signed(d.bootstrapInterval.lower)) to "
                        + "\(signed(d.bootstrapInterval.upper))), median \(signed(metric.medianDifference)); means "
                        + "\(NumberFormatting.value(metric.meanA)) vs \(NumberFormatting.value(metric.meanB)); "
                        + "\(pair.a) better in \(Int((metric.aBetterShare * 100).rounded())) %")
                lines.append("    " + verdict(metric, name: name, a: pair.a, b: pair.b))
            }
        }
        return lines.joined(separator: "\n")
    }

    /// "A did better on TTFT (N = 40 pairs)", or why it cannot tell and how many pairs would.
    static func verdict(_ metric: PairedSpeedMetric, name: String, a: String, b: String) -> String {
        let n = metric.difference.n
        switch metric.verdict {
        case .aBetter: return "\(a) did better on \(name) (N = \(n) pairs)"
        case .bBetter: return "\(b) did better on \(name) (N = \(n) pairs)"
        case .cannotTell, nil:
            let why =
                n < PairedComparison.minimumItems
                ? "fewer than the \(PairedComparison.minimumItems) pairs a verdict needs"
                : metric.difference.isDegenerate ? "every pair differs by the same amount" : "the interval spans 0"
            let hint = metric.pairsNeeded.map { "; about \($0) pairs would settle it if the difference holds" } ?? ""
            return "cannot tell which did better on \(name) with N = \(n) pairs: \(why)\(hint)"
        }
    }

    static func signed(_ value: Double) -> String {
        (value > 0 ? "+" : "") + NumberFormatting.value(value)
    }
}
