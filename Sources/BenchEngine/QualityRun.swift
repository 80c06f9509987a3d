import BenchCore
import BenchProviders
public import BenchEval
import BenchReport
public import Foundation

/// The quality part of a `bench` spec: each quality task on each target (one unit of ``BenchmarkRun`` each), its
/// results kept in the run's ``RunResults`` (and, for the CLI, in `quality/<target>/<task>/`); then each target's
/// summaries and every pair of targets compared item by item on each task, assembled from the results.
public struct QualityRun: Sendable {
    public let spec: BenchSpec
    public let engine: Engine
    public let outputDirectory: URL?
    public let log: @Sendable (String) -> Void

    public init(spec: BenchSpec, engine: Engine, outputDirectory: URL?, log: @escaping @Sendable (String) -> Void) {
        self.spec = spec
        self.engine = engine
        self.outputDirectory = outputDirectory
        self.log = log
    }

    /// The tasks, read and checked against every target (``BenchSpec/qualityTasks(probes:)``).
    public func tasks() throws -> [TaskDefinition] {
        try spec.qualityTasks(probes: engine.probes)
    }

    /// Runs one target's quality task into `results`, resuming after the results they already hold.
    func execute(_ task: TaskDefinition, index: Int, target: BenchSpec.Target, into results: any RunResults)
        async throws
    {
        let done = try await results.qualityResults(target: target.name, task: index)
        let folder = outputDirectory?.appendingPathComponent("quality")
            .appendingPathComponent(Self.pathComponent(target.name))
            .appendingPathComponent(Self.pathComponent(task.name))
        let (summary, _) = try await EvalRun(
            task: task, target: target, engine: engine, concurrency: spec.quality[index].concurrency,
            temperature: spec.temperature ?? 0, outputDirectory: folder, skip: Set(done.map(\.key)),
            onResult: { try await results.appendQuality($0, target: target.name, task: index) },
            judgeTarget: spec.judge, log: log
        ).run()
        for line in QualityLines.summary(summary) { log(line) }
    }

    /// Adds each target's summaries of the results held, and every pair of targets compared on each task, to
    /// `report`.
    func assemble(from results: any RunResults, into report: inout BenchmarkReport) async throws {
        let tasks = try self.tasks()
        guard !tasks.isEmpty else { return }
        var scored: [[(target: String, summary: EvalSummary, results: [EvalItemResult])]] = tasks.map { _ in [] }
        for target in spec.targets {
            let method = LikelihoodEndpoint.method(for: target, probes: engine.probes)?.rawValue
            var summaries: [EvalSummary] = []
            for (index, task) in tasks.enumerated() {
                let found = try await results.qualityResults(target: target.name, task: index)
                let summary = EvalRun.summary(
                    task: task, method: task.outputType == .generate ? nil : method, results: found)
                scored[index].append((target.name, summary, found))
                summaries.append(summary)
            }
            if let place = report.targets.firstIndex(where: { $0.name == target.name }) {
                report.targets[place].quality = summaries
            }
        }
        var comparisons: [EvalComparison] = []
        for (index, entries) in scored.enumerated() {
            for (position, a) in entries.enumerated() {
                for b in entries.dropFirst(position + 1) {
                    comparisons.append(
                        EvalComparison(
                            a: "\(a.target) on \(tasks[index].name)", summaryA: a.summary, resultsA: a.results,
                            b: b.target, summaryB: b.summary, resultsB: b.results))
                }
            }
        }
        report.qualityComparisons = comparisons.isEmpty ? nil : comparisons
    }

    /// A target or task name as one folder name.
    static func pathComponent(_ name: String) -> String {
        String(name.map { $0.isLetter || $0.isNumber || "-_.@".contains($0) ? $0 : "-" })
    }
}
