import BenchCore

/// A bound on a count, as IFEval's `relation` arguments give it.
struct CountConstraint: Sendable, Hashable {
    enum Relation: String, Sendable, CaseIterable {
        case lessThan = "less than"
        case atLeast = "at least"
    }

    var relation: Relation
    var bound: Int

    func isSatisfied(by count: Int) -> Bool {
        switch relation {
        case .lessThan: count < bound
        case .atLeast: count >= bound
        }
    }
}

/// One instruction's kwargs, read into Swift values. Every failure is a ``DatasetError`` that names the instruction
/// and the argument. Null values count as not given.
struct InstructionArguments {
    let instruction: String
    private let values: [String: JSONValue]

    /// - Parameter accepted: The argument names the instruction takes; any other name given is an error.
    init(_ kwargs: JSONValue, instruction: String, accepted: Set<String>) throws {
        self.instruction = instruction
        switch kwargs {
        case .null: values = [:]
        case .object(let fields): values = fields.filter { $0.value != .null }
        default: throw DatasetError(location: instruction, problem: "kwargs must be an object")
        }
        if let unexpected = values.keys.sorted().first(where: { !accepted.contains($0) }) {
            throw failure(unexpected, "is not an argument of this instruction")
        }
    }

    /// A required, non-blank string.
    func text(_ name: String) throws -> String {
        guard let value = try optionalText(name) else { throw failure(name, "is missing") }
        return value
    }

    /// A non-blank string, or nil when not given.
    func optionalText(_ name: String) throws -> String? {
        guard let value = values[name] else { return nil }
        guard let text = value.string, !text.isBlank else {
            throw failure(name, "must be a non-empty string, not \(Self.describe(value))")
        }
        return text
    }

    /// A required, non-empty list of non-blank strings.
    func texts(_ name: String) throws -> [String] {
        guard let value = values[name] else { throw failure(name, "is missing") }
        let texts = value.array?.compactMap(\.string) ?? []
        guard !texts.isEmpty, texts.count == value.array?.count, !texts.contains(where: \.isBlank) else {
            throw failure(name, "must be a non-empty list of non-empty strings, not \(Self.describe(value))")
        }
        return texts
    }

    /// A required whole number of at least `minimum`.
    func count(_ name: String, minimum: Int = 0) throws -> Int {
        guard let value = values[name] else { throw failure(name, "is missing") }
        guard let number = value.integer, number >= minimum else {
            throw failure(name, "must be a whole number of at least \(minimum), not \(Self.describe(value))")
        }
        return number
    }

    /// A required count bound: the number under `countName`, the relation under `relationName`.
    func constraint(count countName: String, relation relationName: String) throws -> CountConstraint {
        let bound = try count(countName)
        let name = try text(relationName)
        guard let relation = CountConstraint.Relation(rawValue: name) else {
            let allowed = CountConstraint.Relation.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: " or ")
            throw failure(relationName, "must be \(allowed), not \"\(name)\"")
        }
        return CountConstraint(relation: relation, bound: bound)
    }

    func failure(_ name: String, _ problem: String) -> DatasetError {
        DatasetError(location: instruction, problem: "argument \"\(name)\" \(problem)")
    }

    private static func describe(_ value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool(let flag): "\(flag)"
        case .number(let number): value.integer.map(String.init) ?? "\(number)"
        case .string(let text): "\"\(text)\""
        case .array: "a list"
        case .object: "an object"
        }
    }
}
