import BenchCore

/// Reads typed values out of a parsed spec document, naming the field path in every error and rejecting
/// unknown keys (so a typo is an error, not a silently ignored setting).
struct SpecReader {
    let path: String
    private let fields: [String: JSONValue]

    init(_ value: JSONValue, path: String, allowed: Set<String>) throws {
        guard case .object(let fields) = value else {
            throw SpecError(path.isEmpty ? "spec" : path, "expected a mapping of fields, got \(Self.describe(value))")
        }
        for key in fields.keys where !allowed.contains(key) {
            let known = allowed.sorted().joined(separator: ", ")
            throw SpecError(Self.join(path, key), "unknown field (known fields: \(known))")
        }
        self.path = path
        self.fields = fields
    }

    func field(_ key: String) -> String { Self.join(path, key) }

    func value(_ key: String) -> JSONValue? {
        guard let value = fields[key], value != .null else { return nil }
        return value
    }

    func string(_ key: String) throws -> String? {
        guard let value = value(key) else { return nil }
        guard case .string(let text) = value else {
            throw SpecError(field(key), "expected text, got \(Self.describe(value))")
        }
        return text
    }

    func requiredString(_ key: String) throws -> String {
        guard let text = try string(key), !text.isEmpty else { throw SpecError(field(key), "is required") }
        return text
    }

    func number(_ key: String) throws -> Double? {
        guard let value = value(key) else { return nil }
        return try Self.number(value, field: field(key))
    }

    func positiveNumber(_ key: String) throws -> Double? {
        guard let number = try number(key) else { return nil }
        guard number > 0 else { throw SpecError(field(key), "must be greater than 0, got \(number)") }
        return number
    }

    func nonNegativeNumber(_ key: String) throws -> Double? {
        guard let number = try number(key) else { return nil }
        guard number >= 0 else { throw SpecError(field(key), "must not be negative, got \(number)") }
        return number
    }

    func positiveInteger(_ key: String) throws -> Int? {
        guard let value = value(key) else { return nil }
        return try Self.positiveInteger(value, field: field(key))
    }

    func bool(_ key: String) throws -> Bool? {
        guard let value = value(key) else { return nil }
        guard case .bool(let flag) = value else {
            throw SpecError(field(key), "expected true or false, got \(Self.describe(value))")
        }
        return flag
    }

    /// A list of values, where a single value counts as a list of one.
    func list(_ key: String) -> [JSONValue]? {
        guard let value = value(key) else { return nil }
        if case .array(let items) = value { return items }
        return [value]
    }

    func stringMap(_ key: String) throws -> [String: String] {
        guard let value = value(key) else { return [:] }
        guard case .object(let map) = value else {
            throw SpecError(field(key), "expected a mapping of names to text, got \(Self.describe(value))")
        }
        return try map.mapValues { entry in
            switch entry {
            case .string(let text): return text
            case .number(let number): return number.rounded() == number ? String(Int(number)) : String(number)
            case .bool(let flag): return String(flag)
            default: throw SpecError(field(key), "values must be text, got \(Self.describe(entry))")
            }
        }
    }

    func object(_ key: String) throws -> [String: JSONValue] {
        guard let value = value(key) else { return [:] }
        guard case .object(let map) = value else {
            throw SpecError(field(key), "expected a mapping, got \(Self.describe(value))")
        }
        return map
    }

    func nested(_ key: String, allowed: Set<String>) throws -> SpecReader? {
        guard let value = value(key) else { return nil }
        return try SpecReader(value, path: field(key), allowed: allowed)
    }

    static func number(_ value: JSONValue, field: String) throws -> Double {
        switch value {
        case .number(let number): return number
        case .string(let text):
            // Text is never read as a number: a quoted "10" is as wrong a type as "ten".
            throw SpecError(field, "expected a number, got the text \"\(text)\"")
        default:
            throw SpecError(field, "expected a number, got \(describe(value))")
        }
    }

    static func positiveInteger(_ value: JSONValue, field: String) throws -> Int {
        let number = try number(value, field: field)
        guard number.rounded() == number, number >= 1, number < 1e9 else {
            throw SpecError(field, "expected a whole number of at least 1, got \(number)")
        }
        return Int(number)
    }

    static func join(_ path: String, _ key: String) -> String {
        path.isEmpty ? key : "\(path).\(key)"
    }

    static func describe(_ value: JSONValue) -> String {
        switch value {
        case .null: return "nothing"
        case .bool(let flag): return String(flag)
        case .number(let number): return String(number)
        case .string(let text): return "\"\(text)\""
        case .array: return "a list"
        case .object: return "a mapping"
        }
    }
}
