import BenchCore
import BenchEval
import Foundation

/// Labels people gave to stored answers, for judge-agreement checks: a JSON-lines file of
/// `{"item_id": …, "label": …}` with an optional `"repeat"` (default 0).
public enum HumanLabels {
    /// The labels keyed like ``EvalItemResult/key``.
    /// - Throws: ``DatasetError`` naming the line at fault.
    public static func read(_ path: String) throws -> [String: String] {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw DatasetError(location: path, problem: "cannot read: \(FileProblem.reason(error))")
        }
        var labels: [String: String] = [:]
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
        where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            let entry = try? JSONParser.parse(String(line))
            let item = entry?["item_id"]?.string ?? entry?["item_id"]?.integer.map(String.init)
            guard let item, let label = entry?["label"]?.string else {
                throw DatasetError(location: "\(path):\(index + 1)", problem: "expected {\"item_id\": …, \"label\": …}")
            }
            labels[EvalItemResult.key(itemID: item, repeatIndex: entry?["repeat"]?.integer ?? 0)] = label
        }
        guard !labels.isEmpty else { throw DatasetError(location: path, problem: "holds no labels") }
        return labels
    }
}
