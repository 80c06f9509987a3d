import BenchCore
import Logging
import NIOCore
import SQLiteNIO

/// An SQLite file (WAL journal, foreign keys on) behind one connection. SQLite allows one writer at a time, so
/// every statement and transaction here runs in turn.
public actor SQLiteDatabase: SQLDatabase {
    public nonisolated let dialect = SQLDialect.sqlite
    private let connection: SQLiteConnection
    private let turn = AsyncSemaphore(limit: 1)

    /// Opens (creating if needed) the database at `path`; `":memory:"` opens a private in-memory database.
    public init(path: String) async throws {
        var logger = Logger(label: "llmbench.sqlite")
        logger.logLevel = .critical
        do {
            connection = try await SQLiteConnection.open(
                storage: path == ":memory:" ? .memory : .file(path: path), logger: logger)
            for pragma in [
                "PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL", "PRAGMA foreign_keys=ON",
                "PRAGMA busy_timeout=5000",
            ] {
                _ = try await connection.query(pragma)
            }
        } catch {
            throw StoreError.database("cannot open SQLite database \(path): \(error)")
        }
    }

    public func query(_ statement: SQLStatement) async throws -> [[SQLValue]] {
        try await exclusively { try await self.run(statement) }
    }

    public func transaction(_ statements: [SQLStatement]) async throws -> [[[SQLValue]]] {
        try await exclusively {
            _ = try await self.run(SQLStatement("BEGIN IMMEDIATE"))
            do {
                var results: [[[SQLValue]]] = []
                for statement in statements { results.append(try await self.run(statement)) }
                _ = try await self.run(SQLStatement("COMMIT"))
                return results
            } catch {
                _ = try? await self.run(SQLStatement("ROLLBACK"))
                throw error
            }
        }
    }

    /// Runs `body` with no other statement of this database in between (the actor alone would interleave callers
    /// at every suspension).
    private func exclusively<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        _ = await turn.acquire()
        do {
            let result = try await body()
            await turn.release()
            return result
        } catch {
            await turn.release()
            throw error
        }
    }

    public func close() async {
        try? await connection.close()
    }

    private func run(_ statement: SQLStatement) async throws -> [[SQLValue]] {
        let binds: [SQLiteData] = statement.binds.map {
            switch $0 {
            case .null: .null
            case .integer(let value): .integer(Int(value))
            case .real(let value): .float(value)
            case .text(let value): .text(value)
            }
        }
        do {
            return try await connection.query(statement.sql, binds).map { row in
                row.columns.map { column in
                    switch column.data {
                    case .integer(let value): .integer(Int64(value))
                    case .float(let value): .real(value)
                    case .text(let value): .text(value)
                    case .blob(let buffer): .text(String(buffer: buffer))
                    case .null: .null
                    }
                }
            }
        } catch {
            throw StoreError.database("\(error)")
        }
    }
}
