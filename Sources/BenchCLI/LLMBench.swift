import ArgumentParser

@main
struct LLMBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "llmbench",
        abstract: "Benchmark LLM endpoints: speed under load, measured honestly.",
        subcommands: [
            Quickstart.self, Bench.self, SLOSearchCommand.self, Paired.self, Calibrate.self, Report.self, Eval.self,
            EvalCompare.self,
            EvalPairwise.self,
            EvalAgreement.self,
            EvalPlan.self, Probe.self, Serve.self,
            Worker.self,
            Simulate.self, Local.self,
        ]
    )
}
