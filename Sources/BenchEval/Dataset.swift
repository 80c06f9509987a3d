public import BenchCore
import Foundation

/// One item of an evaluation dataset: its fields as they are in the file, and an id (the file's `id` or `key`
/// field, else its position).
public struct EvalItem: Sendable, Hashable {
    public var id: String
    public var fields: [String: JSONValue]

    public init(id: String, fields: [String: JSONValue]) {
        self.id = id
        self.fields = fields
    }

    /// A field as text (numbers and booleans written plainly, lists and objects as JSON); nil when absent. A dotted
    /// path reaches into objects and lists: `question.stem`, `choices.0`.
    public func text(_ name: String) -> String? {
        switch value(name) {
        case .string(let text)?: return text
        case .number(let number)?: return number.rounded() == number ? String(Int(number)) : String(number)
        case .bool(let flag)?: return String(flag)
        case .null?, nil: return nil
        case let value?: return (try? JSONEncoder().encode(value)).map { String(decoding: $0, as: UTF8.self) }
        }
    }

    /// The value at a field name or dotted path.
    public func value(_ path: String) -> JSONValue? {
        if let direct = fields[path] { return direct }
        let parts = path.split(separator: ".").map(String.init)
        guard parts.count > 1, var current = fields[parts[0]] else { return nil }
        for part in parts.dropFirst() {
            switch current {
            case .object(let object):
                guard let next = object[part] else { return nil }
                current = next
            case .array(let items):
                guard let index = Int(part), items.indices.contains(index) else { return nil }
                current = items[index]
            default:
                return nil
            }
        }
        return current
    }
}

/// A dataset file that cannot be read, with the place at fault.
public struct DatasetError: Error, Hashable, CustomStringConvertible {
    public var location: String
    public var problem: String

    public init(location: String, problem: String) {
        self.location = location
        self.problem = problem
    }

    public var description: String { "\(location): \(problem)" }
}

/// Reads datasets in the formats their sources publish: JSON lines, CSV with a header row (RFC 4180), or a JSON
/// array of objects; the format follows the extension unless given.
public enum DatasetLoader {
    public enum Format: String, Sendable, CaseIterable {
        case jsonl, csv, json
    }

    /// - Parameter columns: for CSV files without a header row (MMLU), the column names; every row is then data.
    public static func load(path: String, format: Format? = nil, columns: [String]? = nil) throws -> [EvalItem] {
        let url = URL(fileURLWithPath: path)
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw DatasetError(location: path, problem: "cannot read: \(FileProblem.reason(error))")
        }
        let kind = format ?? Format(rawValue: url.pathExtension.lowercased())
        switch kind {
        case .jsonl?: return try jsonLines(text, source: path)
        case .csv?: return try csv(text, source: path, columns: columns)
        case .json?: return try jsonArray(text, source: path)
        case nil: throw DatasetError(location: path, problem: "unknown format: use .jsonl, .csv or .json")
        }
    }

    public static func jsonLines(_ text: String, source: String) throws -> [EvalItem] {
        var items: [EvalItem] = []
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !trimmed.isEmpty else { continue }
            guard case .object(let fields) = try? JSONParser.parse(trimmed) else {
                throw DatasetError(location: "\(source) line \(number + 1)", problem: "not a JSON object")
            }
            items.append(item(fields, position: items.count))
        }
        return items
    }

    public static func jsonArray(_ text: String, source: String) throws -> [EvalItem] {
        guard case .array(let values) = try? JSONParser.parse(text) else {
            throw DatasetError(location: source, problem: "expected a JSON array of objects")
        }
        return try values.enumerated().map { index, value in
            guard case .object(let fields) = value else {
                throw DatasetError(location: "\(source)[\(index)]", problem: "not a JSON object")
            }
            return item(fields, position: index)
        }
    }

    /// - Parameter columns: the column names when the file has no header row.
    public static func csv(_ text: String, source: String, columns: [String]? = nil) throws -> [EvalItem] {
        let rows = try csvRows(text, source: source)
        guard let header = columns ?? rows.first else { return [] }
        let data = columns == nil ? Array(rows.dropFirst()) : rows
        let firstRow = columns == nil ? 2 : 1
        return try data.enumerated().map { index, row in
            guard row.count == header.count else {
                throw DatasetError(
                    location: "\(source) row \(index + firstRow)",
                    problem: "\(row.count) columns, expected \(header.count)")
            }
            return item(
                Dictionary(zip(header, row.map(JSONValue.string)), uniquingKeysWith: { first, _ in first }),
                position: index)
        }
    }

    /// CSV rows: quoted fields may hold commas, line breaks and doubled quotes; lines end in LF or CRLF; blank
    /// lines are skipped.
    public static func csvRows(_ text: String, source: String) throws -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var quoted = false
        var fieldStarted = false
        var characters = text.makeIterator()
        var pending: Character? = characters.next()
        func endRow() {
            if fieldStarted || !row.isEmpty || !field.isEmpty {
                row.append(field)
                rows.append(row)
            }
            row = []
            field = ""
            fieldStarted = false
        }
        while let character = pending {
            pending = characters.next()
            if quoted {
                if character == "\"" {
                    if pending == "\"" {
                        field.append("\"")
                        pending = characters.next()
                    } else {
                        quoted = false
                    }
                } else {
                    field.append(character)
                }
                continue
            }
            switch character {
            case "\"" where field.isEmpty:
                quoted = true
                fieldStarted = true
            case ",":
                row.append(field)
                field = ""
                fieldStarted = true
            case "\n", "\r\n":
                endRow()
            case "\r":
                if pending == "\n" { pending = characters.next() }
                endRow()
            default:
                field.append(character)
                fieldStarted = true
            }
        }
        if quoted { throw DatasetError(location: source, problem: "a quoted field is not closed") }
        endRow()
        return rows
    }

    static func item(_ fields: [String: JSONValue], position: Int) -> EvalItem {
        let id = (fields["id"] ?? fields["key"] ?? fields["task_id"] ?? fields["question_id"]).flatMap { value in
            EvalItem(id: "", fields: ["v": value]).text("v")
        }
        return EvalItem(id: id ?? String(position), fields: fields)
    }
}

/// A prompt template: `{{field}}` is replaced by the item's field (as text). A field the item lacks is an error
/// naming it, never an empty string. A field may be followed by modifiers, applied left to right, for the prompt
/// formats of reference implementations: `{{ctx_b|capitalize}}` (first character upper case, the rest lower case,
/// as Python's `str.capitalize`), `{{question|strip}}` (surrounding white space removed), `{{subject|words}}`
/// (underscores turned into spaces).
public struct PromptTemplate: Sendable, Hashable {
    public var text: String

    public init(_ text: String) {
        self.text = text
    }

    /// The fields the template uses, in order of first use.
    public var fieldNames: [String] {
        var names: [String] = []
        var rest = Substring(text)
        while let open = rest.range(of: "{{"), let close = rest[open.upperBound...].range(of: "}}") {
            let name = rest[open.upperBound..<close.lowerBound].split(separator: "|", omittingEmptySubsequences: false)[
                0
            ]
            .trimmingCharacters(in: .whitespaces)
            if !names.contains(name) { names.append(name) }
            rest = rest[close.upperBound...]
        }
        return names
    }

    public func render(_ item: EvalItem) throws -> String {
        var result = ""
        var rest = Substring(text)
        while let open = rest.range(of: "{{"), let close = rest[open.upperBound...].range(of: "}}") {
            result += rest[..<open.lowerBound]
            let parts = rest[open.upperBound..<close.lowerBound].split(separator: "|", omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespaces) }
            let name = parts[0]
            guard var value = item.text(name) else {
                throw DatasetError(
                    location: "item \(item.id)", problem: "the template uses {{\(name)}}, which the item lacks")
            }
            for modifier in parts.dropFirst() {
                value = try Self.apply(modifier, to: value, in: item)
            }
            result += value
            rest = rest[close.upperBound...]
        }
        return result + rest
    }

    /// The modifiers a field may carry.
    public static let modifiers = ["capitalize", "strip", "words"]

    private static func apply(_ modifier: String, to value: String, in item: EvalItem) throws -> String {
        switch modifier {
        case "capitalize": return value.prefix(1).uppercased() + value.dropFirst().lowercased()
        case "strip": return value.trimmingCharacters(in: .whitespacesAndNewlines)
        case "words": return value.replacingOccurrences(of: "_", with: " ")
        default:
            throw DatasetError(
                location: "item \(item.id)",
                problem: "unknown template modifier |\(modifier) (known: \(modifiers.joined(separator: ", ")))")
        }
    }
}
