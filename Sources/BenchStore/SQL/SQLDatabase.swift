/// A value bound to, or read from, an SQL statement: the types both SQLite and PostgreSQL store natively.
public enum SQLValue: Sendable, Hashable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)

    public var int: Int? {
        switch self {
        case .integer(let value): Int(value)
        case .real(let value): Int(value)
        case .text(let value): Int(value)
        case .null: nil
        }
    }

    public var string: String? {
        if case .text(let value) = self { return value }
        return nil
    }

    public init(_ value: Int?) { self = value.map { .integer(Int64($0)) } ?? .null }
    public init(_ value: String?) { self = value.map { .text($0) } ?? .null }
}

/// One statement with `?` placeholders and its values (adapters translate placeholders to their dialect).
public struct SQLStatement: Sendable, Hashable {
    public var sql: String
    public var binds: [SQLValue]

    public init(_ sql: String, _ binds: [SQLValue] = []) {
        self.sql = sql
        self.binds = binds
    }
}

/// The SQL flavour a database speaks, where the schema has to differ.
public enum SQLDialect: Sendable, Hashable {
    case sqlite
    case postgres
}

/// The little a store needs from an SQL database: statements returning rows (values in column order), and an
/// all-or-nothing batch.
public protocol SQLDatabase: Sendable {
    var dialect: SQLDialect { get }
    func query(_ statement: SQLStatement) async throws -> [[SQLValue]]
    /// Runs the statements in one transaction, all or none; returns each statement's rows.
    @discardableResult
    func transaction(_ statements: [SQLStatement]) async throws -> [[[SQLValue]]]
    func close() async
}
