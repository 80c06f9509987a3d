/// The versioned schema of the SQL stores. A migration is applied once, in one transaction that also records its
/// version; concurrent starts (several workers on one PostgreSQL) serialise on a lock, and a loser that finds the
/// version applied moves on.
enum StoreSchema {
    struct Migration: Sendable {
        let version: Int
        let statements: @Sendable (SQLDialect) -> [String]
    }

    static let migrations: [Migration] = [
        Migration(version: 1) { dialect in
            let serial = dialect == .sqlite ? "INTEGER PRIMARY KEY AUTOINCREMENT" : "BIGSERIAL PRIMARY KEY"
            return [
                """
                CREATE TABLE runs (
                    seq \(serial),
                    id TEXT NOT NULL UNIQUE,
                    status TEXT NOT NULL,
                    spec TEXT NOT NULL,
                    targets TEXT NOT NULL,
                    created_at TEXT NOT NULL,
                    started_at TEXT,
                    finished_at TEXT,
                    done BIGINT NOT NULL,
                    total BIGINT,
                    error TEXT
                )
                """,
                "CREATE INDEX runs_by_status ON runs (status, seq)",
                """
                CREATE TABLE run_records (
                    run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
                    request_id BIGINT NOT NULL,
                    target TEXT NOT NULL,
                    step BIGINT NOT NULL,
                    record TEXT NOT NULL,
                    PRIMARY KEY (run_id, request_id)
                )
                """,
                "CREATE INDEX run_records_by_step ON run_records (run_id, target, step)",
                """
                CREATE TABLE run_reports (
                    run_id TEXT PRIMARY KEY REFERENCES runs (id) ON DELETE CASCADE,
                    report TEXT NOT NULL
                )
                """,
                """
                CREATE TABLE saved_targets (
                    name TEXT PRIMARY KEY,
                    definition TEXT NOT NULL,
                    created_at TEXT NOT NULL,
                    updated_at TEXT NOT NULL
                )
                """,
            ]
        },
        Migration(version: 2) { dialect in
            [
                """
                CREATE TABLE work_units (
                    run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
                    unit_index BIGINT NOT NULL,
                    target TEXT NOT NULL,
                    step BIGINT NOT NULL,
                    status TEXT NOT NULL,
                    owner TEXT,
                    lease_until BIGINT,
                    attempts BIGINT NOT NULL,
                    PRIMARY KEY (run_id, unit_index)
                )
                """,
                "CREATE INDEX work_units_by_status ON work_units (status, run_id, unit_index)",
            ]
                // SQLite's rowid already numbers records in storage order; PostgreSQL needs a column for it.
                + (dialect == .postgres ? ["ALTER TABLE run_records ADD COLUMN stored_seq BIGSERIAL"] : [])
        },
        Migration(version: 3) { _ in
            [
                """
                CREATE TABLE quality_results (
                    run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
                    target TEXT NOT NULL,
                    task BIGINT NOT NULL,
                    result_key TEXT NOT NULL,
                    result TEXT NOT NULL,
                    PRIMARY KEY (run_id, target, task, result_key)
                )
                """
            ]
        },
        Migration(version: 4) { _ in
            [
                """
                CREATE TABLE schedules (
                    name TEXT PRIMARY KEY,
                    definition TEXT NOT NULL,
                    created_at TEXT NOT NULL,
                    updated_at TEXT NOT NULL,
                    last_run_at TEXT
                )
                """,
                """
                CREATE TABLE schedule_runs (
                    schedule TEXT NOT NULL REFERENCES schedules (name) ON DELETE CASCADE,
                    run_id TEXT NOT NULL,
                    started_at TEXT NOT NULL,
                    PRIMARY KEY (schedule, run_id)
                )
                """,
            ]
        },
    ]

    static let versionTable =
        "CREATE TABLE IF NOT EXISTS llmbench_schema (version BIGINT PRIMARY KEY, applied_at TEXT NOT NULL)"

    /// Applies every migration the database lacks.
    static func migrate(_ database: any SQLDatabase, now: String) async throws {
        _ = try await database.query(SQLStatement(versionTable))
        for migration in migrations {
            if try await applied(database).contains(migration.version) { continue }
            var statements: [SQLStatement] = []
            if database.dialect == .postgres {
                // One migrator at a time across processes; the lock ends with the transaction.
                statements.append(SQLStatement("SELECT pg_advisory_xact_lock(7301)"))
            }
            statements += migration.statements(database.dialect).map { SQLStatement($0) }
            statements.append(
                SQLStatement(
                    "INSERT INTO llmbench_schema (version, applied_at) VALUES (?, ?)",
                    [.integer(Int64(migration.version)), .text(now)]))
            do {
                try await database.transaction(statements)
            } catch {
                // Another process may have applied it meanwhile; anything else is a real failure.
                guard try await applied(database).contains(migration.version) else { throw error }
            }
        }
    }

    static func applied(_ database: any SQLDatabase) async throws -> Set<Int> {
        Set(try await database.query(SQLStatement("SELECT version FROM llmbench_schema")).compactMap { $0.first?.int })
    }
}
