import BenchCore
public import BenchEval
public import Foundation

/// An evaluation's output folder: `summary.json` and `items.jsonl` (one result per line, appended as they
/// finished; a last line cut by a kill is skipped).
public struct EvalResultsFolder: Sendable {
    public let url: URL

    public init(_ url: URL) {
        self.url = url
    }

    /// The stored results.
    /// - Throws: ``DatasetError`` when `items.jsonl` is missing or a line before the last is not a result.
    public func results() throws -> [EvalItemResult] {
        let file = url.appendingPathComponent("items.jsonl")
        let text: String
        do {
            text = try String(contentsOf: file, encoding: .utf8)
        } catch {
            throw DatasetError(location: file.path, problem: "cannot read: \(FileProblem.reason(error))")
        }
        let results: [EvalItemResult]
        do {
            results = try JSONLinesFile.decode(EvalItemResult.self, from: text)
        } catch let error as JSONLinesFile.LineError {
            throw DatasetError(
                location: "\(file.path):\(error.line)", problem: "not an item result: \(error.underlying)")
        }
        return results.sorted { ($0.itemID, $0.repeatIndex) < ($1.itemID, $1.repeatIndex) }
    }

    /// The stored summary.
    public func summary() throws -> EvalSummary {
        let file = url.appendingPathComponent("summary.json")
        do {
            return try JSONDecoder().decode(EvalSummary.self, from: Data(contentsOf: file))
        } catch {
            throw DatasetError(location: file.path, problem: "cannot read the summary: \(FileProblem.reason(error))")
        }
    }

    /// Writes `results` and their summary here.
    public func write(_ summary: EvalSummary, results: [EvalItemResult]) throws {
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var lines = Data()
        for result in results {
            lines.append(try encoder.encode(result))
            lines.append(0x0A)
        }
        try lines.write(to: url.appendingPathComponent("items.jsonl"), options: .atomic)
        try write(summary)
    }

    /// Writes the summary here (`summary.json`, readable, keys sorted).
    public func write(_ summary: EvalSummary) throws {
        try PrettyJSON.write(summary, to: url.appendingPathComponent("summary.json"))
    }
}
