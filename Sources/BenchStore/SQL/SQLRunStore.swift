public import BenchCore
public import Foundation

/// The ``RunStore`` over an SQL database (SQLite or PostgreSQL): one implementation, the dialect differences kept
/// to the schema. Records are stored as their JSON document, keyed by run and request id.
public struct SQLRunStore: RunStore {
    public let database: any SQLDatabase
    /// Records per INSERT statement when appending.
    static let recordsPerStatement = 200

    public init(database: any SQLDatabase) {
        self.database = database
    }

    public func migrate() async throws {
        try await StoreSchema.migrate(database, now: Self.timestamp(Date()))
    }

    // MARK: Runs

    static let runColumns =
        "seq, id, status, spec, targets, created_at, started_at, finished_at, done, total, error"

    public func createRun(_ run: StoredRun, units: [WorkUnit]) async throws {
        if try await self.run(id: run.id) != nil { throw StoreError.conflict("run \(run.id) exists") }
        var statements = [
            SQLStatement(
                """
                INSERT INTO runs (id, status, spec, targets, created_at, started_at, finished_at, done, total, error)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING RETURNING id
                """,
                [
                    .text(run.id), .text(run.status.rawValue), .text(run.spec), .text(try Self.json(run.targets)),
                    .text(Self.timestamp(run.createdAt)), SQLValue(run.startedAt.map(Self.timestamp)),
                    SQLValue(run.finishedAt.map(Self.timestamp)), SQLValue(run.done), SQLValue(run.total),
                    SQLValue(run.error),
                ])
        ]
        for unit in units {
            statements.append(
                SQLStatement(
                    """
                    INSERT INTO work_units (run_id, unit_index, target, step, status, owner, lease_until, attempts)
                    VALUES (?, ?, ?, ?, ?, NULL, NULL, 0)
                    """,
                    [
                        .text(run.id), .integer(Int64(unit.index)), .text(unit.target), .integer(Int64(unit.step)),
                        .text(unit.status.rawValue),
                    ]))
        }
        let results = try await database.transaction(statements)
        if results.first?.isEmpty ?? true { throw StoreError.conflict("run \(run.id) exists") }
    }

    public func markStarted(runID: String, at date: Date) async throws {
        _ = try await database.query(
            SQLStatement(
                "UPDATE runs SET started_at = ? WHERE id = ? AND started_at IS NULL",
                [.text(Self.timestamp(date)), .text(runID)]))
    }

    public func updateProgress(runID: String, done: Int) async throws {
        _ = try await database.query(
            SQLStatement(
                "UPDATE runs SET done = ? WHERE id = ? AND status IN ('running', 'cancelled')",
                [.integer(Int64(done)), .text(runID)]))
    }

    public func finishRun(id: String, status: RunStatus, error: String?, done: Int, at date: Date) async throws -> Bool
    {
        !(try await database.query(
            SQLStatement(
                """
                UPDATE runs SET status = ?, error = ?, done = ?, finished_at = ?
                WHERE id = ? AND status IN ('queued', 'running') RETURNING id
                """,
                [
                    .text(status.rawValue), SQLValue(error), .integer(Int64(done)), .text(Self.timestamp(date)),
                    .text(id),
                ])
        ).isEmpty)
    }

    public func cancelRun(id: String, at date: Date) async throws -> StoredRun? {
        try await database.transaction([
            SQLStatement(
                "UPDATE runs SET status = 'cancelled', finished_at = ? WHERE id = ? AND status IN ('queued', 'running')",
                [.text(Self.timestamp(date)), .text(id)]),
            SQLStatement(
                "UPDATE work_units SET status = 'cancelled', owner = NULL WHERE run_id = ? AND status <> 'done'",
                [.text(id)]),
        ])
        return try await run(id: id)
    }

    // MARK: Work units

    static let unitColumns = "run_id, unit_index, target, step, status, owner, lease_until, attempts"

    public func claimUnit(owner: String, leaseUntil: Int64, now: Int64) async throws -> WorkUnit? {
        let lock = database.dialect == .postgres ? " FOR UPDATE OF u SKIP LOCKED" : ""
        let claimed = try await database.query(
            SQLStatement(
                """
                UPDATE work_units SET status = 'running', owner = ?, lease_until = ?, attempts = attempts + 1
                WHERE (run_id, unit_index) = (
                    SELECT u.run_id, u.unit_index FROM work_units u JOIN runs r ON r.id = u.run_id
                    WHERE r.status IN ('queued', 'running')
                      AND (u.status = 'queued' OR (u.status = 'running' AND u.lease_until < ?))
                      AND NOT EXISTS (
                          SELECT 1 FROM work_units v
                          WHERE v.run_id = u.run_id AND v.unit_index < u.unit_index AND v.status <> 'done')
                    ORDER BY r.seq, u.unit_index LIMIT 1\(lock))
                RETURNING \(Self.unitColumns)
                """,
                [.text(owner), .integer(leaseUntil), .integer(now)]))
        guard let unit = try claimed.first.map(Self.workUnit) else { return nil }
        _ = try await database.query(
            SQLStatement("UPDATE runs SET status = 'running' WHERE id = ? AND status = 'queued'", [.text(unit.runID)]))
        return unit
    }

    public func renewLeases(owner: String, until: Int64) async throws -> [WorkUnit] {
        try await database.query(
            SQLStatement(
                """
                UPDATE work_units SET lease_until = ?
                WHERE owner = ? AND status = 'running'
                  AND run_id IN (SELECT id FROM runs WHERE status IN ('queued', 'running'))
                RETURNING \(Self.unitColumns)
                """,
                [.integer(until), .text(owner)])
        ).map(Self.workUnit).sorted { ($0.runID, $0.index) < ($1.runID, $1.index) }
    }

    public func finishUnit(runID: String, index: Int, owner: String) async throws -> Bool {
        !(try await database.query(
            SQLStatement(
                """
                UPDATE work_units SET status = 'done', owner = NULL
                WHERE run_id = ? AND unit_index = ? AND owner = ? AND status = 'running' RETURNING unit_index
                """,
                [.text(runID), .integer(Int64(index)), .text(owner)])
        ).isEmpty)
    }

    public func releaseUnits(owner: String) async throws {
        _ = try await database.query(
            SQLStatement(
                """
                UPDATE work_units SET status = 'queued', owner = NULL, lease_until = NULL
                WHERE owner = ? AND status = 'running'
                """,
                [.text(owner)]))
    }

    public func units(runID: String) async throws -> [WorkUnit] {
        try await database.query(
            SQLStatement(
                "SELECT \(Self.unitColumns) FROM work_units WHERE run_id = ? ORDER BY unit_index", [.text(runID)])
        ).map(Self.workUnit)
    }

    static func workUnit(_ row: [SQLValue]) throws -> WorkUnit {
        guard row.count == 8, let runID = row[0].string, let index = row[1].int, let target = row[2].string,
            let step = row[3].int, let status = row[4].string.flatMap(WorkUnit.Status.init(rawValue:))
        else { throw StoreError.database("a work_units row could not be read") }
        return WorkUnit(
            runID: runID, index: index, target: target, step: step, status: status, owner: row[5].string,
            leaseUntil: row[6].int.map(Int64.init), attempts: row[7].int ?? 0)
    }

    public func run(id: String) async throws -> StoredRun? {
        try await database.query(SQLStatement("SELECT \(Self.runColumns) FROM runs WHERE id = ?", [.text(id)]))
            .first.map(Self.storedRun)
    }

    public func listRuns(status: RunStatus?, target: String?, limit: Int, after: String?) async throws
        -> Page<StoredRun>
    {
        var sql = "SELECT \(Self.runColumns) FROM runs WHERE seq < ?"
        var binds: [SQLValue] = [.integer(Int64(try after.map(RunCursor.decode) ?? Int(Int64.max)))]
        if let status {
            sql += " AND status = ?"
            binds.append(.text(status.rawValue))
        }
        if let target {
            sql += #" AND targets LIKE ? ESCAPE '\'"#
            binds.append(.text("%" + Self.escapeLike(try Self.json([target]).dropFirst().dropLast()) + "%"))
        }
        sql += " ORDER BY seq DESC LIMIT ?"
        binds.append(.integer(Int64(limit + 1)))
        let rows = try await database.query(SQLStatement(sql, binds))
        let page = Array(rows.prefix(limit))
        let next = rows.count > limit ? page.last?.first?.int.map(RunCursor.encode) : nil
        return Page(items: try page.map(Self.storedRun), next: next)
    }

    public func updateRun(_ run: StoredRun) async throws {
        let updated = try await database.query(
            SQLStatement(
                """
                UPDATE runs SET status = ?, started_at = ?, finished_at = ?, done = ?, total = ?, error = ?
                WHERE id = ? RETURNING id
                """,
                [
                    .text(run.status.rawValue), SQLValue(run.startedAt.map(Self.timestamp)),
                    SQLValue(run.finishedAt.map(Self.timestamp)), SQLValue(run.done), SQLValue(run.total),
                    SQLValue(run.error), .text(run.id),
                ]))
        if updated.isEmpty { throw StoreError.notFound("run \(run.id)") }
    }

    public func deleteRun(id: String) async throws -> Bool {
        !(try await database.query(SQLStatement("DELETE FROM runs WHERE id = ? RETURNING id", [.text(id)])).isEmpty)
    }

    public func unfinishedRuns() async throws -> [StoredRun] {
        try await database.query(
            SQLStatement("SELECT \(Self.runColumns) FROM runs WHERE status IN ('queued', 'running') ORDER BY seq")
        ).map(Self.storedRun)
    }

    public func countRuns() async throws -> [RunStatus: Int] {
        var counts: [RunStatus: Int] = [:]
        for row in try await database.query(SQLStatement("SELECT status, COUNT(*) FROM runs GROUP BY status")) {
            if let status = row.first?.string.flatMap(RunStatus.init(rawValue:)), let count = row.last?.int {
                counts[status] = count
            }
        }
        return counts
    }

    // MARK: Records

    public func appendRecords(runID: String, _ records: [RequestRecord]) async throws -> Int {
        guard !records.isEmpty else { return 0 }
        guard try await run(id: runID) != nil else { throw StoreError.notFound("run \(runID)") }
        let encoder = JSONEncoder()
        var statements: [SQLStatement] = []
        for start in stride(from: 0, to: records.count, by: Self.recordsPerStatement) {
            let chunk = records[start..<min(records.count, start + Self.recordsPerStatement)]
            var binds: [SQLValue] = []
            for record in chunk {
                binds += [
                    .text(runID), .integer(Int64(record.id)), .text(record.target), .integer(Int64(record.step)),
                    .text(String(decoding: try encoder.encode(record), as: UTF8.self)),
                ]
            }
            statements.append(
                SQLStatement(
                    "INSERT INTO run_records (run_id, request_id, target, step, record) VALUES "
                        + Array(repeating: "(?, ?, ?, ?, ?)", count: chunk.count).joined(separator: ", ")
                        + " ON CONFLICT (run_id, request_id) DO NOTHING RETURNING request_id",
                    binds))
        }
        return try await database.transaction(statements).reduce(0) { $0 + $1.count }
    }

    public func records(runID: String, afterRequestID: Int?, limit: Int) async throws -> [RequestRecord] {
        try Self.decodeRecords(
            await database.query(
                SQLStatement(
                    "SELECT record FROM run_records WHERE run_id = ? AND request_id > ? ORDER BY request_id LIMIT ?",
                    [.text(runID), .integer(Int64(afterRequestID ?? -1)), .integer(Int64(limit))])))
    }

    public func records(runID: String, target: String, step: Int) async throws -> [RequestRecord] {
        try Self.decodeRecords(
            await database.query(
                SQLStatement(
                    "SELECT record FROM run_records WHERE run_id = ? AND target = ? AND step = ? ORDER BY request_id",
                    [.text(runID), .text(target), .integer(Int64(step))])))
    }

    public func appendQualityResults(
        runID: String, target: String, task: Int, _ results: [StoredQualityResult]
    ) async throws {
        guard !results.isEmpty else { return }
        guard try await run(id: runID) != nil else { throw StoreError.notFound("run \(runID)") }
        let statements = stride(from: 0, to: results.count, by: Self.recordsPerStatement).map { start in
            let chunk = results[start..<min(results.count, start + Self.recordsPerStatement)]
            return SQLStatement(
                "INSERT INTO quality_results (run_id, target, task, result_key, result) VALUES "
                    + Array(repeating: "(?, ?, ?, ?, ?)", count: chunk.count).joined(separator: ", ")
                    + " ON CONFLICT (run_id, target, task, result_key) DO NOTHING",
                chunk.flatMap { result -> [SQLValue] in
                    [
                        .text(runID), .text(target), .integer(Int64(task)), .text(result.key),
                        .text(String(decoding: result.json, as: UTF8.self)),
                    ]
                })
        }
        _ = try await database.transaction(statements)
    }

    public func qualityResults(runID: String, target: String, task: Int) async throws -> [Data] {
        try await database.query(
            SQLStatement(
                "SELECT result FROM quality_results WHERE run_id = ? AND target = ? AND task = ? ORDER BY result_key",
                [.text(runID), .text(target), .integer(Int64(task))])
        ).compactMap { $0.first?.string.map { Data($0.utf8) } }
    }

    public func recordCount(runID: String) async throws -> Int {
        try await database.query(
            SQLStatement("SELECT COUNT(*) FROM run_records WHERE run_id = ?", [.text(runID)])
        ).first?.first?.int ?? 0
    }

    public func recordsStored(runID: String, after: Int64, limit: Int) async throws
        -> (records: [RequestRecord], last: Int64)
    {
        let position = database.dialect == .postgres ? "stored_seq" : "rowid"
        let rows = try await database.query(
            SQLStatement(
                """
                SELECT \(position), record FROM run_records WHERE run_id = ? AND \(position) > ?
                ORDER BY \(position) LIMIT ?
                """,
                [.text(runID), .integer(after), .integer(Int64(limit))]))
        let records = try Self.decodeRecords(rows.map { Array($0.dropFirst()) })
        return (records, rows.last?.first?.int.map(Int64.init) ?? after)
    }

    // MARK: Reports

    public func saveReport(runID: String, report: Data) async throws {
        guard try await run(id: runID) != nil else { throw StoreError.notFound("run \(runID)") }
        try await database.transaction([
            SQLStatement(
                """
                INSERT INTO run_reports (run_id, report) VALUES (?, ?)
                ON CONFLICT (run_id) DO UPDATE SET report = excluded.report
                """,
                [.text(runID), .text(String(decoding: report, as: UTF8.self))])
        ])
    }

    public func report(runID: String) async throws -> Data? {
        try await database.query(SQLStatement("SELECT report FROM run_reports WHERE run_id = ?", [.text(runID)]))
            .first?.first?.string.map { Data($0.utf8) }
    }

    // MARK: Targets

    public func saveTarget(_ target: StoredTarget) async throws {
        try await database.transaction([
            SQLStatement(
                """
                INSERT INTO saved_targets (name, definition, created_at, updated_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (name) DO UPDATE SET definition = excluded.definition, updated_at = excluded.updated_at
                """,
                [
                    .text(target.name), .text(target.definition), .text(Self.timestamp(target.createdAt)),
                    .text(Self.timestamp(target.updatedAt)),
                ])
        ])
    }

    public func target(name: String) async throws -> StoredTarget? {
        try await database.query(
            SQLStatement(
                "SELECT name, definition, created_at, updated_at FROM saved_targets WHERE name = ?", [.text(name)])
        ).first.map(Self.storedTarget)
    }

    public func listTargets() async throws -> [StoredTarget] {
        try await database.query(
            SQLStatement("SELECT name, definition, created_at, updated_at FROM saved_targets ORDER BY name")
        ).map(Self.storedTarget)
    }

    public func deleteTarget(name: String) async throws -> Bool {
        !(try await database.query(
            SQLStatement("DELETE FROM saved_targets WHERE name = ? RETURNING name", [.text(name)])
        ).isEmpty)
    }

    // MARK: Schedules

    public func saveSchedule(_ schedule: StoredSchedule) async throws {
        try await database.transaction([
            SQLStatement(
                """
                INSERT INTO schedules (name, definition, created_at, updated_at, last_run_at) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (name) DO UPDATE SET definition = excluded.definition, updated_at = excluded.updated_at
                """,
                [
                    .text(schedule.name), .text(schedule.definition), .text(Self.timestamp(schedule.createdAt)),
                    .text(Self.timestamp(schedule.updatedAt)),
                    schedule.lastRunAt.map { .text(Self.timestamp($0)) } ?? .null,
                ])
        ])
    }

    public func schedule(name: String) async throws -> StoredSchedule? {
        try await database.query(
            SQLStatement(
                "SELECT name, definition, created_at, updated_at, last_run_at FROM schedules WHERE name = ?",
                [.text(name)])
        ).first.map(Self.storedSchedule)
    }

    public func listSchedules() async throws -> [StoredSchedule] {
        try await database.query(
            SQLStatement("SELECT name, definition, created_at, updated_at, last_run_at FROM schedules ORDER BY name")
        ).map(Self.storedSchedule)
    }

    public func deleteSchedule(name: String) async throws -> Bool {
        let deleted = try await database.query(
            SQLStatement("DELETE FROM schedules WHERE name = ? RETURNING name", [.text(name)]))
        _ = try await database.query(SQLStatement("DELETE FROM schedule_runs WHERE schedule = ?", [.text(name)]))
        return !deleted.isEmpty
    }

    public func claimScheduleFiring(name: String, lastFiredNotAfter notAfter: Date, at: Date) async throws -> Bool {
        // Timestamps are fixed-width UTC text, so text order is time order.
        !(try await database.query(
            SQLStatement(
                """
                UPDATE schedules SET last_run_at = ? WHERE name = ? AND (last_run_at IS NULL OR last_run_at <= ?)
                RETURNING name
                """, [.text(Self.timestamp(at)), .text(name), .text(Self.timestamp(notAfter))])
        ).isEmpty)
    }

    public func addScheduleRun(name: String, runID: String, at: Date) async throws {
        try await database.transaction([
            SQLStatement(
                "INSERT INTO schedule_runs (schedule, run_id, started_at) VALUES (?, ?, ?)",
                [.text(name), .text(runID), .text(Self.timestamp(at))])
        ])
    }

    public func scheduleRuns(name: String, limit: Int) async throws -> [String] {
        try await database.query(
            SQLStatement(
                "SELECT run_id FROM schedule_runs WHERE schedule = ? ORDER BY started_at DESC, run_id DESC LIMIT ?",
                [.text(name), .integer(Int64(limit))])
        ).compactMap { $0.first?.string }
    }

    // MARK: Encoding

    static func storedRun(_ row: [SQLValue]) throws -> StoredRun {
        guard row.count == 11, let id = row[1].string, let statusName = row[2].string,
            let status = RunStatus(rawValue: statusName), let spec = row[3].string, let targets = row[4].string,
            let created = row[5].string.flatMap(date)
        else { throw StoreError.database("a runs row could not be read") }
        return StoredRun(
            id: id, status: status, spec: spec,
            targets: try JSONDecoder().decode([String].self, from: Data(targets.utf8)), createdAt: created,
            startedAt: row[6].string.flatMap(date), finishedAt: row[7].string.flatMap(date), done: row[8].int ?? 0,
            total: row[9].int, error: row[10].string
        )
    }

    static func storedSchedule(_ row: [SQLValue]) throws -> StoredSchedule {
        guard row.count == 5, let name = row[0].string, let definition = row[1].string,
            let created = row[2].string.flatMap(date), let updated = row[3].string.flatMap(date)
        else { throw StoreError.database("a schedules row could not be read") }
        return StoredSchedule(
            name: name, definition: definition, createdAt: created, updatedAt: updated,
            lastRunAt: row[4].string.flatMap(date))
    }

    static func storedTarget(_ row: [SQLValue]) throws -> StoredTarget {
        guard row.count == 4, let name = row[0].string, let definition = row[1].string,
            let created = row[2].string.flatMap(date), let updated = row[3].string.flatMap(date)
        else { throw StoreError.database("a saved_targets row could not be read") }
        return StoredTarget(name: name, definition: definition, createdAt: created, updatedAt: updated)
    }

    static func decodeRecords(_ rows: [[SQLValue]]) throws -> [RequestRecord] {
        let decoder = JSONDecoder()
        return try rows.map { row in
            guard let text = row.first?.string else { throw StoreError.database("a record row could not be read") }
            return try decoder.decode(RequestRecord.self, from: Data(text.utf8))
        }
    }

    static func json(_ strings: [String]) throws -> String {
        String(decoding: try JSONEncoder().encode(strings), as: UTF8.self)
    }

    static func escapeLike(_ text: some StringProtocol) -> String {
        text.reduce(into: "") { result, character in
            if character == "%" || character == "_" || character == "\\" { result.append("\\") }
            result.append(character)
        }
    }

    /// Instants as ISO 8601 text with milliseconds, UTC.
    static func timestamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    static func date(_ text: String) -> Date? {
        try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text)
    }
}
