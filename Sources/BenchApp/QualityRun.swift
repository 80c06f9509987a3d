import AsyncHTTPClient
import BenchCore
public import BenchEval
public import BenchReport
public import Foundation

/// The quality part of a `bench` spec: every quality task on every target, after the load steps, each through an
/// ``EvalRun`` whose items go to `quality/<target>/<task>/` in the output folder; then every pair of targets on
/// each task compared item by item.
public struct QualityRun: Sendable {
    public let spec: BenchSpec
    public let outputDirectory: URL?
    public let environment: [String: String]
    public let log: @Sendable (String) -> Void

    public init(
        spec: BenchSpec, outputDirectory: URL?, environment: [String: String],
        log: @escaping @Sendable (String) -> Void
    ) {
        self.spec = spec
        self.outputDirectory = outputDirectory
        self.environment = environment
        self.log = log
    }

    /// The tasks, read and checked against every target: a task file that cannot be read, or a log-likelihood
    /// task on a target with no method for it, stops the run here, before any request.
    /// - Throws: ``SpecError`` naming the quality entry or the target.
    public func tasks() throws -> [TaskDefinition] {
        let tasks = try spec.quality.enumerated().map { index, entry in try entry.load(field: "quality[\(index)]") }
        let http = HTTPClient(eventLoopGroupProvider: .singleton)
        defer { _ = http.shutdown() }
        for task in tasks where task.outputType != .generate {
            for target in spec.targets {
                _ = try LikelihoodEndpoint.model(for: target, apiKey: nil, http: http)
            }
        }
        return tasks
    }

    /// Scores every target on every task and adds the summaries and comparisons to `report`.
    public func run(_ tasks: [TaskDefinition], into report: inout BenchmarkReport) async throws {
        var scored: [[(target: String, summary: EvalSummary, results: [EvalItemResult])]] = tasks.map { _ in [] }
        for target in spec.targets {
            var summaries: [EvalSummary] = []
            for (taskIndex, task) in tasks.enumerated() {
                let folder = outputDirectory?.appendingPathComponent("quality")
                    .appendingPathComponent(Self.pathComponent(target.name))
                    .appendingPathComponent(Self.pathComponent(task.name))
                let (summary, results) = try await EvalRun(
                    task: task, target: target, concurrency: spec.quality[taskIndex].concurrency,
                    temperature: spec.temperature ?? 0, outputDirectory: folder, environment: environment, log: log
                ).run()
                for line in QualityLines.summary(summary) { log(line) }
                summaries.append(summary)
                scored[taskIndex].append((target.name, summary, results))
            }
            if let index = report.targets.firstIndex(where: { $0.name == target.name }) {
                report.targets[index].quality = summaries
            }
        }
        var comparisons: [EvalComparison] = []
        for (taskIndex, entries) in scored.enumerated() {
            for (i, a) in entries.enumerated() {
                for b in entries.dropFirst(i + 1) {
                    comparisons.append(
                        EvalComparison(
                            a: "\(a.target) on \(tasks[taskIndex].name)", summaryA: a.summary, resultsA: a.results,
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
