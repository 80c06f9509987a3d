public import BenchCore
import Foundation

/// Checks a JSON value against a JSON Schema: `type` (one or a list), `enum`, `const`, `properties`, `required`,
/// `additionalProperties` (false or a schema), `items`, `minItems`/`maxItems`, `minLength`/`maxLength`, `pattern`,
/// `minimum`/`maximum`, `exclusiveMinimum`/`exclusiveMaximum`, `anyOf`, `allOf`, `oneOf`. Other keywords are
/// ignored, which makes the check more lenient, never stricter.
public enum JSONSchemaValidator {
    /// The violations, each with the path of the value at fault; empty when the value is valid.
    public static func errors(_ value: JSONValue, schema: JSONValue, path: String = "$") -> [String] {
        guard case .object(let rules) = schema else { return schema == .bool(false) ? ["\(path): not allowed"] : [] }
        var errors: [String] = []
        if let type = rules["type"] {
            let allowed = type.array?.compactMap(\.string) ?? [type.string].compactMap { $0 }
            if !allowed.contains(where: { matches(value, type: $0) }) {
                errors.append("\(path): expected \(allowed.joined(separator: " or "))")
            }
        }
        if let options = rules["enum"]?.array, !options.contains(value) {
            errors.append("\(path): not one of the enum")
        }
        if let constant = rules["const"], constant != value { errors.append("\(path): not the constant") }
        switch value {
        case .object(let fields):
            for name in rules["required"]?.array?.compactMap(\.string) ?? [] where fields[name] == nil {
                errors.append("\(path): missing \(name)")
            }
            let properties = rules["properties"]?.object ?? [:]
            for (name, field) in fields {
                if let property = properties[name] {
                    errors += Self.errors(field, schema: property, path: "\(path).\(name)")
                } else if let additional = rules["additionalProperties"] {
                    errors += Self.errors(field, schema: additional, path: "\(path).\(name)")
                }
            }
        case .array(let items):
            if let itemSchema = rules["items"] {
                for (index, item) in items.enumerated() {
                    errors += Self.errors(item, schema: itemSchema, path: "\(path)[\(index)]")
                }
            }
            if let minimum = rules["minItems"]?.integer, items.count < minimum {
                errors.append("\(path): too few items")
            }
            if let maximum = rules["maxItems"]?.integer, items.count > maximum {
                errors.append("\(path): too many items")
            }
        case .string(let text):
            if let minimum = rules["minLength"]?.integer, text.count < minimum { errors.append("\(path): too short") }
            if let maximum = rules["maxLength"]?.integer, text.count > maximum { errors.append("\(path): too long") }
            if let pattern = rules["pattern"]?.string, AnswerFilter.match(pattern, in: text, last: false) == nil {
                errors.append("\(path): does not match \(pattern)")
            }
        case .number(let number):
            if let minimum = rules["minimum"]?.number, number < minimum { errors.append("\(path): below minimum") }
            if let maximum = rules["maximum"]?.number, number > maximum { errors.append("\(path): above maximum") }
            if let bound = rules["exclusiveMinimum"]?.number, number <= bound {
                errors.append("\(path): not above \(bound)")
            }
            if let bound = rules["exclusiveMaximum"]?.number, number >= bound {
                errors.append("\(path): not below \(bound)")
            }
        default:
            break
        }
        if let all = rules["allOf"]?.array {
            for schema in all { errors += Self.errors(value, schema: schema, path: path) }
        }
        if let any = rules["anyOf"]?.array, !any.contains(where: { Self.errors(value, schema: $0, path: path).isEmpty })
        {
            errors.append("\(path): matches none of anyOf")
        }
        if let one = rules["oneOf"]?.array,
            one.filter({ Self.errors(value, schema: $0, path: path).isEmpty }).count != 1
        {
            errors.append("\(path): does not match exactly one of oneOf")
        }
        return errors
    }

    static func matches(_ value: JSONValue, type: String) -> Bool {
        switch (type, value) {
        case ("object", .object), ("array", .array), ("string", .string), ("boolean", .bool), ("null", .null),
            ("number", .number):
            return true
        case ("integer", .number(let number)):
            return number.rounded() == number
        default:
            return false
        }
    }
}
