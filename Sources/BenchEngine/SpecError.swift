import Foundation

/// An invalid benchmark spec or flag: names the field and the problem.
public struct SpecError: Error, Hashable, CustomStringConvertible {
    /// The path of the offending field, e.g. `targets[1].base_url` or `--concurrency`.
    public var field: String
    public var problem: String

    public init(_ field: String, _ problem: String) {
        self.field = field
        self.problem = problem
    }

    public var description: String { "\(field): \(problem)" }
}

extension SpecError {
    /// The field as a JSON pointer (RFC 6901) into the document it was read from — `targets[1].base_url` is
    /// `/targets/1/base_url`, the document itself (`spec`) is the empty pointer — so an API can name the field as
    /// the client sent it; nil when the field is not a path into a document (a flag, a file, a target's name).
    public var jsonPointer: String? {
        if field == "spec" { return "" }
        guard !field.isEmpty, !field.hasPrefix("-"), !field.hasPrefix("/"), !field.contains(" ") else { return nil }
        var tokens: [String] = []
        for part in field.split(separator: ".", omittingEmptySubsequences: false) {
            var rest = Substring(part)
            let name = rest.prefix { $0 != "[" }
            if !name.isEmpty { tokens.append(String(name)) }
            rest = rest.dropFirst(name.count)
            while rest.hasPrefix("["), let close = rest.firstIndex(of: "]") {
                tokens.append(String(rest[rest.index(after: rest.startIndex)..<close]))
                rest = rest[rest.index(after: close)...]
            }
            guard rest.isEmpty else { return nil }
        }
        return tokens.map {
            "/" + $0.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
        }
        .joined()
    }
}
