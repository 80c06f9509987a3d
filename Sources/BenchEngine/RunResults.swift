public import BenchCore
public import BenchEval

/// Where a run's results are kept as they complete, and read back from to resume it and to report it: the request
/// records of its load steps and the results of its quality tasks. The CLI keeps them in its output folder
/// (``RunLog``), the service in its store (``StoreRunResults``); a run executes and reports through the same code
/// either way.
public protocol RunResults: RecordSink {
    /// Keeps one finished quality result of a target's task (the index of the task in the spec's `quality`).
    func appendQuality(_ result: EvalItemResult, target: String, task: Int) async throws
    /// Every quality result kept so far for a target's task, in item order.
    func qualityResults(target: String, task: Int) async throws -> [EvalItemResult]
}
