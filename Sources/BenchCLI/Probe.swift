import ArgumentParser
import BenchEngine
import BenchProviders
import Foundation

struct Probe: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Find out what a target supports: streamed usage, max_tokens, ignore_eos, seed, log-probabilities, JSON mode.",
        discussion: """
            Sends a few small requests per target and stores the findings under the data folder ($LLMBENCH_DATA, \
            else ~/.local/share/llmbench/probes); `llmbench bench` then uses them (e.g. exact output only where \
            ignore_eos was honoured).
            """
    )

    @Argument(help: "A spec file whose targets to probe (or define one target with the flags).")
    var specFile: String?
    @OptionGroup var targetOptions: TargetOptions
    @Option(help: "Also write the findings (a JSON array) to this file.")
    var out: String?
    @Flag(help: "Print the findings as JSON instead of lines.")
    var json = false

    func run() async throws {
        var spec: BenchSpec
        do {
            spec = try specFile.map(BenchSpec.load(path:)) ?? BenchSpec()
            try targetOptions.apply(to: &spec)
            try spec.validate()
        } catch let error as SpecError {
            Console.error("invalid input: \(error)")
            throw ExitCode(64)
        }
        let json = self.json
        let targets = spec.targets
        let store = ProbeStore()
        let reports = try await Engine.withRunning(.init(connectionsPerHost: 8)) { engine in
            var reports: [ProbeReport] = []
            for (index, target) in targets.enumerated() {
                if !json { Console.info("▶ probing \(target.name) (\(target.kind.rawValue), \(target.baseURL))") }
                let report: ProbeReport
                do {
                    report = try await CapabilityProbe.probe(
                        target, engine: engine, field: "targets[\(index)].api_key_env"
                    ) { line in
                        if !json { Console.info(line) }
                    }
                } catch let error as SpecError {
                    Console.error("invalid input: \(error)")
                    throw ExitCode(64)
                }
                try store.save(report)
                reports.append(report)
                if !json {
                    Console.info(
                        "  stored in \(store.file(kind: report.kind, baseURL: report.baseURL, model: report.model).path)"
                    )
                }
            }
            return reports
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data = try encoder.encode(reports)
        if let out { try data.write(to: URL(fileURLWithPath: out)) }
        if json { print(String(decoding: data, as: UTF8.self)) }
        if reports.allSatisfy({ $0.findings[.streaming]?.verdict != .supported }) { throw ExitCode(2) }
    }
}
