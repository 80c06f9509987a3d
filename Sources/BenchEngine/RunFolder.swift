public import BenchCore
public import BenchReport
public import Foundation

/// A `llmbench bench` output folder: `report.json` and the raw `records.jsonl` beside it (a last line cut by a kill
/// is skipped).
public struct RunFolder: Sendable {
    public let url: URL

    public init(_ url: URL) {
        self.url = url
    }

    /// - Throws: ``SpecError`` naming the file when the report is missing or not a report.
    public func report() throws -> BenchmarkReport {
        let file = url.appendingPathComponent("report.json")
        do {
            return try JSONDecoder().decode(BenchmarkReport.self, from: Data(contentsOf: file))
        } catch {
            throw SpecError(file.path, "not a readable llmbench report: \(FileProblem.reason(error))")
        }
    }

    /// The raw records; empty when the folder has none (a report assembled by the service).
    /// - Throws: ``SpecError`` naming the line that is not a record.
    public func records() throws -> [RequestRecord] {
        let file = url.appendingPathComponent("records.jsonl")
        guard let text = try? String(contentsOf: file, encoding: .utf8) else { return [] }
        do {
            return try JSONLinesFile.decode(RequestRecord.self, from: text)
        } catch let error as JSONLinesFile.LineError {
            throw SpecError("\(file.path):\(error.line)", "not a request record: \(error.underlying)")
        }
    }
}
