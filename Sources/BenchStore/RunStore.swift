public import BenchCore
public import Foundation

/// Durable storage of runs, their raw records and reports, and saved targets. Every implementation passes the same
/// conformance suite (in memory, SQLite, PostgreSQL).
///
/// Records are keyed by (run, request id): appending a record that is already stored does nothing, so a resumed
/// run can never duplicate one.
public protocol RunStore: Sendable {
    /// Brings the schema to the current version (idempotent).
    func migrate() async throws

    func createRun(_ run: StoredRun) async throws
    func run(id: String) async throws -> StoredRun?
    /// Runs newest first, optionally only those with `status` or naming `target`; `after` is the previous page's
    /// cursor.
    func listRuns(status: RunStatus?, target: String?, limit: Int, after: String?) async throws -> Page<StoredRun>
    /// Replaces the run's mutable fields (status, times, progress, error).
    /// - Throws: ``StoreError/notFound(_:)``.
    func updateRun(_ run: StoredRun) async throws
    /// Deletes the run with its records and report; false when there was none.
    func deleteRun(id: String) async throws -> Bool
    /// Runs left `running` or `queued`, oldest first: the work to resume after a restart.
    func unfinishedRuns() async throws -> [StoredRun]
    /// How many runs have each status (statuses with none are absent).
    func countRuns() async throws -> [RunStatus: Int]

    /// Stores records in one transaction; those already stored are skipped.
    /// - Returns: how many were new.
    @discardableResult
    func appendRecords(runID: String, _ records: [RequestRecord]) async throws -> Int
    /// Records in request-id order, after `afterRequestID`.
    func records(runID: String, afterRequestID: Int?, limit: Int) async throws -> [RequestRecord]
    /// Every record of one target and step, in request-id order.
    func records(runID: String, target: String, step: Int) async throws -> [RequestRecord]
    func recordCount(runID: String) async throws -> Int

    func saveReport(runID: String, report: Data) async throws
    func report(runID: String) async throws -> Data?

    func saveTarget(_ target: StoredTarget) async throws
    func target(name: String) async throws -> StoredTarget?
    func listTargets() async throws -> [StoredTarget]
    func deleteTarget(name: String) async throws -> Bool
}
