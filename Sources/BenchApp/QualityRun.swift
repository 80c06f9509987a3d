import AsyncHTTPClient
import BenchCore
public import BenchEval
public import BenchReport
public import Foundation

/// The quality part of a `bench` spec: every quality task on every target, after the load steps; then each target's
/// summaries and every pair of targets compared item by item on each task. The CLI runs it whole (results in
/// `quality/<target>/<task>/`); the service runs one target's task per work unit, with its results in the store.
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

    /// The tasks, read and checked against every target: a task file that cannot be read, a log-likelihood task on
    /// a target with no method for it, or a judged task without the spec's `judge`, stops the run here, before any
    /// request.
    /// - Throws: ``SpecError`` naming the quality entry or the target.
    public func tasks() throws -> [TaskDefinition] {
        let tasks = try spec.quality.enumerated().map { index, entry in try entry.load(field: "quality[\(index)]") }
        for (index, task) in tasks.enumerated() {
            if let template = task.judge, spec.judge == nil {
                throw SpecError(
                    "quality[\(index)]",
                    "\(task.name) is graded by a judge (\(template.name)): give the judge target as `judge:` in the spec"
                )
            }
        }
        for (index, task) in tasks.enumerated() where task.outputType != .generate {
            for target in spec.targets where LikelihoodEndpoint.method(for: target) == nil {
                throw SpecError(
                    "quality[\(index)]",
                    "\(task.name) is scored by log-likelihood, which is not available for this endpoint: target \(target.name) (\(target.kind.rawValue)) gives no log-probabilities of given text (llama.cpp and vLLM do)"
                )
            }
        }
        return tasks
    }

    /// Runs one target's quality task, skipping the asks in `skip` and handing each result to `onResult`.
    public func execute(
        _ task: TaskDefinition, index: Int, target: BenchSpec.Target, skip: Set<String> = [],
        onResult: (@Sendable (EvalItemResult) async throws -> Void)? = nil
    ) async throws -> [EvalItemResult] {
        let folder = outputDirectory?.appendingPathComponent("quality")
            .appendingPathComponent(Self.pathComponent(target.name))
            .appendingPathComponent(Self.pathComponent(task.name))
        let (summary, results) = try await EvalRun(
            task: task, target: target, concurrency: spec.quality[index].concurrency,
            temperature: spec.temperature ?? 0, outputDirectory: folder, environment: environment, skip: skip,
            onResult: onResult, judgeTarget: spec.judge, log: log
        ).run()
        for line in QualityLines.summary(summary) { log(line) }
        return results
    }

    /// Scores every target on every task, then adds the summaries and comparisons to `report`.
    public func run(_ tasks: [TaskDefinition], into report: inout BenchmarkReport) async throws {
        var results: [String: [[EvalItemResult]]] = [:]
        for target in spec.targets {
            for (index, task) in tasks.enumerated() {
                results[target.name, default: []].append(try await execute(task, index: index, target: target))
            }
        }
        assemble(tasks, results: { target, index in results[target]?[index] ?? [] }, into: &report)
    }

    /// Adds each target's summaries, and every pair of targets compared on each task, to `report`.
    /// - Parameter results: a target's results on the task at an index of `tasks`.
    public func assemble(
        _ tasks: [TaskDefinition], results: (_ target: String, _ task: Int) -> [EvalItemResult],
        into report: inout BenchmarkReport
    ) {
        guard !tasks.isEmpty else { return }
        var scored: [[(target: String, summary: EvalSummary, results: [EvalItemResult])]] = tasks.map { _ in [] }
        for target in spec.targets {
            let method = LikelihoodEndpoint.method(for: target)
            let summaries = tasks.enumerated().map { index, task in
                let found = results(target.name, index)
                let summary = EvalRun.summary(
                    task: task, method: task.outputType == .generate ? nil : method, results: found)
                scored[index].append((target.name, summary, found))
                return summary
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
