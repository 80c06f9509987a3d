import ArgumentParser
import BenchEngine
import BenchEval
import BenchReport
import Foundation

struct EvalPairwise: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval-pairwise",
        abstract:
            "Judge two or more models' stored answers pairwise, in both orders: win rates, Bradley–Terry ratings.",
        discussion: """
            Reads the --out folders of `llmbench eval` runs of the same task (MT-Bench's first turns, or any \
            open-ended task) and asks the judge (--judge-*) which of two answers is better, once in each order; \
            the two orders agree → a win, else a tie. Writes pairwise.jsonl (every judged pair with both \
            transcripts) and pairwise-summary.json (win and tie rates, Bradley–Terry ratings with bootstrap \
            intervals, position and length bias, a self-preference warning when judge and candidate share a \
            family) to --out.
            """
    )

    @Argument(help: "Two or more result folders, one per model.")
    var folders: [String]
    @OptionGroup var judgeOptions: JudgeOptions
    @Option(parsing: .unconditional, help: "Pairs judged at once (two requests each: both orders).")
    var concurrency = 2
    @Option(parsing: .unconditional, help: "Bootstrap resamples for the rating intervals.")
    var resamples = 1_000
    @Option(parsing: .unconditional, help: "Seed of the bootstrap.")
    var seed: UInt64 = 0
    @Option(help: "Output directory.")
    var out = "pairwise-results"
    @Flag(help: "Print the summary as JSON.")
    var json = false

    func validate() throws {
        try FlagRange.atLeast("--concurrency", concurrency, 1)
        try FlagRange.atLeast("--resamples", resamples, 100)
    }

    func run() async throws {
        do {
            guard let judge = try judgeOptions.target() else {
                throw SpecError(
                    "--judge-model", "pairwise judging needs a judge: --judge-kind/--judge-base-url, --judge-model")
            }
            guard resamples >= 0 else { throw SpecError("--resamples", "expected a whole number ≥ 0") }
            let json = self.json
            let candidates = try PairwiseRun.Candidate.load(folders: folders.map { URL(fileURLWithPath: $0) })
            let (concurrency, out, resamples, seed) = (self.concurrency, self.out, self.resamples, self.seed)
            // Each pair is judged in both orders at once.
            let (summary, _) = try await Engine.withRunning(.init(connectionsPerHost: 2 * concurrency)) { engine in
                try await PairwiseRun(
                    candidates: candidates, judgeTarget: judge, engine: engine, concurrency: concurrency,
                    outputDirectory: URL(fileURLWithPath: out), resamples: resamples, seed: seed,
                    log: { json ? Console.status($0) : Console.info($0) }
                ).run()
            }
            if json {
                print(try Console.json(summary))
            } else {
                for line in QualityLines.pairwise(summary) { Console.info(line) }
                Console.info("wrote \(out)/pairwise.jsonl, \(out)/pairwise-summary.json")
            }
            if summary.failed == summary.judgments { throw ExitCode(2) }
        } catch let error as SpecError {
            Console.error("invalid input: \(error)")
            throw ExitCode(64)
        } catch let error as DatasetError {
            Console.error("cannot read the results: \(error)")
            throw ExitCode(64)
        }
    }
}

struct EvalAgreement: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval-agreement",
        abstract: "How far several judges (and human labels) agree on the same answers: Cohen's κ, Krippendorff's α.",
        discussion: """
            Reads the --out folders of the same judged task graded by different judges (`llmbench eval TASK \
            --rescore FIRST --judge-model OTHER --out SECOND` judges stored answers again). --human reads labels \
            by people: JSON lines {"item_id": …, "label": …} (optional "repeat", default 0), labels spelled like \
            the template's verdicts.
            """
    )

    @Argument(help: "Two or more result folders of the same judged task.")
    var folders: [String]
    @Option(help: "Human labels (JSON lines: item_id, label, optional repeat).")
    var human: String?
    @Flag(help: "Print the agreement as JSON.")
    var json = false

    func run() async throws {
        do {
            guard folders.count >= 2 || (human != nil && !folders.isEmpty) else {
                throw SpecError("folders", "give two or more judged result folders (or one and --human)")
            }
            var raters: [JudgeAgreement.Rater] = []
            for folder in folders {
                let results = try EvalResultsFolder(URL(fileURLWithPath: folder)).results()
                let judge = results.lazy.compactMap(\.judge).first.map { "\($0.judge) \($0.template)" }
                var name = judge ?? URL(fileURLWithPath: folder).lastPathComponent
                if raters.contains(where: { $0.name == name }) { name += " (\(folder))" }
                raters.append(JudgeAgreement.Rater(name: name, results: results))
            }
            let agreement = JudgeAgreement(raters, human: try human.map(HumanLabels.read))
            if json {
                print(try Console.json(agreement))
            } else {
                for line in QualityLines.agreement(agreement) { Console.info(line) }
            }
        } catch let error as SpecError {
            Console.error("invalid input: \(error)")
            throw ExitCode(64)
        } catch let error as DatasetError {
            Console.error("cannot read: \(error)")
            throw ExitCode(64)
        }
    }
}
