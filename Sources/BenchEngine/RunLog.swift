public import BenchCore
public import BenchEval
public import Foundation

/// A CLI run's results: kept in memory for the report, each record also appended to `records.jsonl` as it
/// completes (quality answers go to their task's own `items.jsonl`, written by ``EvalRun``), so that a crash or kill
/// loses no finished request.
public actor RunLog: RunResults {
    private var records: [RequestRecord] = []
    private var quality: [String: [Int: [EvalItemResult]]] = [:]
    private let file: JSONLinesFile?

    /// - Parameter url: the JSONL file to create (truncating any old one), or nil to keep records in memory only.
    public init(url: URL?) throws {
        file = try url.map(JSONLinesFile.init(url:))
    }

    public func append(_ record: RequestRecord) {
        records.append(record)
        file?.append(record)
    }

    /// Records of one target's step, in request-id order.
    public func records(target: String, step: Int) -> [RequestRecord] {
        records.filter { $0.target == target && $0.step == step }.sorted { $0.id < $1.id }
    }

    public func appendQuality(_ result: EvalItemResult, target: String, task: Int) {
        quality[target, default: [:]][task, default: []].append(result)
    }

    public func qualityResults(target: String, task: Int) -> [EvalItemResult] {
        (quality[target]?[task] ?? []).sorted { ($0.itemID, $0.repeatIndex) < ($1.itemID, $1.repeatIndex) }
    }

    public func close() {
        file?.close()
    }
}
