public import BenchEval
public import Foundation

/// The benchmarks llmbench knows by name: the task files it ships (`tasks/` in the repository, bundled with the
/// binary), each naming its prompt format, scoring and — for a standard benchmark — the files its data comes from
/// (``TaskDefinition/data``). `llmbench eval gsm8k` reads `gsm8k.yaml` from here and its data from the
/// ``DataStore``.
public enum BenchmarkRegistry {
    /// The folder of the shipped task files.
    public static var folder: URL? {
        Bundle.module.resourceURL.map { $0.appendingPathComponent("tasks") }
    }

    /// The names of every shipped task, sorted.
    public static var names: [String] {
        guard let folder, let files = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else {
            return []
        }
        return files.filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }.sorted()
    }

    /// The shipped task of that name.
    /// - Throws: ``SpecError`` on an unknown name, listing the benchmarks.
    public static func task(named name: String) throws -> TaskDefinition {
        guard let folder, names.contains(name) else {
            throw SpecError(
                "benchmark",
                "no task file and no benchmark named \"\(name)\" (benchmarks: \(benchmarks.joined(separator: ", ")); `llmbench data list` shows them)"
            )
        }
        let url = folder.appendingPathComponent(name + ".yaml")
        return try withData(
            TaskDefinition(
                document: try BenchSpec.document(String(contentsOf: url, encoding: .utf8)), directory: folder))
    }

    /// A task whose `data: NAME` borrows a benchmark's files, with those files filled in.
    /// - Throws: ``SpecError`` when NAME is no benchmark.
    public static func withData(_ task: TaskDefinition) throws -> TaskDefinition {
        guard let other = task.dataFrom else { return task }
        guard other != task.name, benchmarks.contains(other) else {
            throw SpecError(
                "data", "\(task.name) takes its data from \"\(other)\", which is no benchmark with data of its own")
        }
        var copy = task
        copy.data = try Self.task(named: other).data
        copy.dataFrom = nil
        return copy
    }

    /// The names of the shipped tasks that name their own data files: the benchmarks `llmbench data` fetches (variants
    /// that borrow another's files, `data: NAME`, are left out).
    public static var benchmarks: [String] {
        names.filter { name in
            guard let folder,
                let text = try? String(contentsOf: folder.appendingPathComponent(name + ".yaml"), encoding: .utf8),
                let task = try? TaskDefinition(document: BenchSpec.document(text), directory: folder)
            else { return false }
            return task.dataFrom == nil && !task.data.isEmpty
        }
    }
}
