import Foundation
import Logging
import NIOCore
public import PostgresNIO

/// A PostgreSQL database through a PostgresNIO connection pool. The pool must be running: use
/// ``withDatabase(url:_:)``, or run ``client`` in the service group.
public struct PostgresDatabase: SQLDatabase {
    public let dialect = SQLDialect.postgres
    /// The connection pool (a `Service`).
    public let client: PostgresClient
    private let logger: Logger

    /// - Parameter url: `postgres://user[:password]@host[:port]/database` (`postgresql://` too).
    /// - Throws: ``StoreError/database(_:)`` naming what is wrong with the URL (never echoing the password).
    public init(url: String) throws {
        guard let parts = URLComponents(string: url), ["postgres", "postgresql"].contains(parts.scheme ?? ""),
            let host = parts.host, !host.isEmpty
        else {
            throw StoreError.database("expected a URL like postgres://user:password@host:5432/database")
        }
        let database = String(parts.path.drop { $0 == "/" })
        var configuration = PostgresClient.Configuration(
            host: host, port: parts.port ?? 5432, username: parts.user ?? "postgres", password: parts.password,
            database: database.isEmpty ? nil : database, tls: .disable
        )
        configuration.options.maximumConnections = 8
        var logger = Logger(label: "llmbench.postgres")
        logger.logLevel = .critical
        self.logger = logger
        client = PostgresClient(configuration: configuration, backgroundLogger: logger)
    }

    /// Runs `body` with the pool running, and stops the pool after it.
    public static func withDatabase<T: Sendable>(
        url: String, _ body: @Sendable (PostgresDatabase) async throws -> T
    ) async throws -> T {
        let database = try PostgresDatabase(url: url)
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                await database.client.run()
                return nil
            }
            defer { group.cancelAll() }
            return try await body(database)
        }
    }

    public func query(_ statement: SQLStatement) async throws -> [[SQLValue]] {
        do {
            return try await Self.rows(client.query(Self.postgresQuery(statement), logger: logger))
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.database(String(reflecting: error))
        }
    }

    public func transaction(_ statements: [SQLStatement]) async throws -> [[[SQLValue]]] {
        do {
            return try await client.withTransaction(logger: logger) { connection in
                var results: [[[SQLValue]]] = []
                for statement in statements {
                    results.append(
                        try await Self.rows(connection.query(Self.postgresQuery(statement), logger: logger)))
                }
                return results
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.database(String(reflecting: error))
        }
    }

    public func close() async {}

    /// `?` placeholders become `$1`, `$2`, …
    static func postgresQuery(_ statement: SQLStatement) -> PostgresQuery {
        var sql = ""
        var index = 0
        for character in statement.sql {
            if character == "?" {
                index += 1
                sql += "$\(index)"
            } else {
                sql.append(character)
            }
        }
        var binds = PostgresBindings(capacity: statement.binds.count)
        for value in statement.binds {
            switch value {
            case .null: binds.appendNull()
            case .integer(let number): binds.append(number)
            case .real(let number): binds.append(number)
            case .text(let text): binds.append(text)
            }
        }
        return PostgresQuery(unsafeSQL: sql, binds: binds)
    }

    static func rows(_ sequence: PostgresRowSequence) async throws -> [[SQLValue]] {
        var rows: [[SQLValue]] = []
        for try await row in sequence {
            rows.append(
                try row.map { cell -> SQLValue in
                    guard cell.bytes != nil else { return .null }
                    switch cell.dataType {
                    case .int2, .int4, .int8: return .integer(try cell.decode(Int64.self))
                    case .float4, .float8: return .real(try cell.decode(Double.self))
                    default: return .text(try cell.decode(String.self))
                    }
                })
        }
        return rows
    }
}
