public import BenchCore
import Foundation

/// An edit a task applies to each rendered prompt and each choice before asking (its `clean:` list), for
/// benchmarks whose reference implementation cleans the published text: HellaSwag's endings carry WikiHow
/// artefacts such as `[title]` and `[step]`, which lm-evaluation-harness removes before scoring.
public enum TextEdit: Sendable, Hashable {
    /// Surrounding white space removed.
    case strip
    /// Every occurrence of the first text replaced by the second, left to right without overlaps (Python's
    /// `str.replace`).
    case replace(String, String)
    /// Every match of a regular expression removed.
    case remove(pattern: String)

    /// `text` after `edits`, in order.
    public static func apply(_ edits: [TextEdit], to text: String) -> String {
        edits.reduce(text) { text, edit in
            switch edit {
            case .strip:
                return text.trimmingCharacters(in: .whitespacesAndNewlines)
            case .replace(let target, let replacement):
                return text.replacingOccurrences(of: target, with: replacement)
            case .remove(let pattern):
                guard let regex = CompiledPatterns.regex(pattern) else { return text }
                return regex.stringByReplacingMatches(
                    in: text, range: NSRange(text.startIndex..., in: text), withTemplate: "")
            }
        }
    }

    /// Reads a task file's `clean:` list: `strip`, `{replace: [FROM, TO]}`, `{remove: REGEX}`.
    /// - Throws: ``DatasetError`` naming the entry at fault.
    static func list(_ value: JSONValue?) throws -> [TextEdit] {
        guard let value else { return [] }
        guard let entries = value.array else {
            throw DatasetError(location: "clean", problem: "expected a list of edits")
        }
        return try entries.enumerated().map { index, entry in
            let place = "clean[\(index)]"
            if entry.string == "strip" { return .strip }
            if let pair = entry["replace"]?.array, pair.count == 2, let from = pair[0].string, let to = pair[1].string,
                !from.isEmpty
            {
                return .replace(from, to)
            }
            if let pattern = entry["remove"]?.string {
                guard CompiledPatterns.regex(pattern) != nil else {
                    throw DatasetError(
                        location: "\(place).remove", problem: "not a valid regular expression: \(pattern)")
                }
                return .remove(pattern: pattern)
            }
            throw DatasetError(location: place, problem: "expected strip, {replace: [FROM, TO]} or {remove: REGEX}")
        }
    }
}
