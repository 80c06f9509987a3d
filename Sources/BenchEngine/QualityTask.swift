import BenchCore
public import BenchEval
import Foundation

/// A quality task that a `bench` spec runs against every target after its load steps (`quality:` in the spec): a
/// built-in smoke suite or a task file, optionally over the user's copy of the dataset.
public struct QualityTask: Sendable, Hashable {
    public enum Source: Sendable, Hashable {
        case suite(SmokeSuite)
        /// A task file; `dataset` replaces the file's own dataset path.
        case file(path: String, dataset: String?)
        /// A task written into the spec itself (the service takes these, with `dataset: {items: [...]}`).
        case inline(TaskDefinition)
    }

    public var source: Source
    /// Only the first `limit` items.
    public var limit: Int?
    /// Requests in flight at once.
    public var concurrency: Int

    public init(source: Source, limit: Int? = nil, concurrency: Int = 4) {
        self.source = source
        self.limit = limit
        self.concurrency = concurrency
    }

    /// The task, read and checked.
    /// - Throws: ``SpecError`` naming `field` when the task file cannot be read or is invalid.
    public func load(field: String) throws -> TaskDefinition {
        var task: TaskDefinition
        switch source {
        case .suite(let suite):
            task = suite.task
        case .inline(let given):
            task = given
        case .file(let path, let dataset):
            let url = URL(fileURLWithPath: path)
            do {
                let text = try String(contentsOf: url, encoding: .utf8)
                task = try TaskDefinition(
                    document: try BenchSpec.document(text), directory: url.deletingLastPathComponent())
            } catch let error as DatasetError {
                throw SpecError("\(field).task", "\(path): \(error)")
            } catch let error as SpecError {
                throw SpecError("\(field).task", "\(path): \(error.problem)")
            } catch {
                throw SpecError("\(field).task", "cannot read \(path): \(FileProblem.reason(error))")
            }
            if let dataset { task = task.reading(dataset) }
        }
        if let limit { task.limit = limit }
        return task
    }

    /// The same task with relative paths resolved against `folder` (the spec file's).
    func resolved(against folder: URL) -> QualityTask {
        guard case .file(let path, let dataset) = source else { return self }
        func absolute(_ path: String) -> String {
            path.hasPrefix("/") ? path : folder.appendingPathComponent(path).path
        }
        var copy = self
        copy.source = .file(path: absolute(path), dataset: dataset.map(absolute))
        return copy
    }
}
