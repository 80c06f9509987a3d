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

    /// Stores a new run and its units in one transaction.
    func createRun(_ run: StoredRun, units: [WorkUnit]) async throws
    func run(id: String) async throws -> StoredRun?
    /// Runs newest first, optionally only those with `status` or naming `target`; `after` is the previous page's
    /// cursor.
    func listRuns(status: RunStatus?, target: String?, limit: Int, after: String?) async throws -> Page<StoredRun>
    /// Replaces the run's mutable fields (status, times, progress, error).
    /// - Throws: ``StoreError/notFound(_:)``.
    func updateRun(_ run: StoredRun) async throws
    /// Records when a run started, the first time only.
    func markStarted(runID: String, at: Date) async throws
    /// Sets the finished-request count of a running or cancelled run (a cancelled run's last records may land
    /// after the cancel); no effect on a run that succeeded or failed.
    func updateProgress(runID: String, done: Int) async throws
    /// Ends a run that is still active with `status`; no effect on a run that has already ended.
    /// - Returns: whether this call ended it.
    @discardableResult
    func finishRun(id: String, status: RunStatus, error: String?, done: Int, at: Date) async throws -> Bool
    /// Ends a run that is still active: status cancelled, unfinished units cancelled. Nil when there is no such run.
    func cancelRun(id: String, at: Date) async throws -> StoredRun?
    /// Deletes the run with its records and report; false when there was none.
    func deleteRun(id: String) async throws -> Bool
    /// Runs left `running` or `queued`, oldest first: the work to resume after a restart.
    func unfinishedRuns() async throws -> [StoredRun]
    /// How many runs have each status (statuses with none are absent).
    func countRuns() async throws -> [RunStatus: Int]

    // MARK: Work units

    /// Claims the next unit for `owner` until `leaseUntil` (ms since 1970): the first unfinished unit of the oldest
    /// active run whose earlier units are done, if it is queued or its lease ended before `now`. Workers never get
    /// the same unit at once (PostgreSQL: `FOR UPDATE SKIP LOCKED`). The run turns `running`.
    func claimUnit(owner: String, leaseUntil: Int64, now: Int64) async throws -> WorkUnit?
    /// Extends the leases `owner` holds on units of active runs.
    /// - Returns: the units it still holds (a unit missing was taken over, or its run was cancelled).
    func renewLeases(owner: String, until: Int64) async throws -> [WorkUnit]
    /// Marks a unit `owner` holds as done.
    /// - Returns: false when `owner` no longer holds it.
    func finishUnit(runID: String, index: Int, owner: String) async throws -> Bool
    /// Returns the units `owner` holds to the queue (graceful shutdown).
    func releaseUnits(owner: String) async throws
    func units(runID: String) async throws -> [WorkUnit]

    /// Stores records in one transaction; those already stored are skipped.
    /// - Returns: how many were new.
    @discardableResult
    func appendRecords(runID: String, _ records: [RequestRecord]) async throws -> Int
    /// Records in request-id order, after `afterRequestID`.
    func records(runID: String, afterRequestID: Int?, limit: Int) async throws -> [RequestRecord]
    /// Every record of one target and step, in request-id order.
    func records(runID: String, target: String, step: Int) async throws -> [RequestRecord]
    func recordCount(runID: String) async throws -> Int
    /// Records in the order they were stored, after position `after` (0 for the first), and the position of the
    /// last one returned: how an event stream follows a run that other processes execute.
    func recordsStored(runID: String, after: Int64, limit: Int) async throws -> (records: [RequestRecord], last: Int64)

    /// Stores quality results of one target's quality task (`task` is its place in the spec's `quality` list), each
    /// under its key (item and repeat); a key already stored is kept as it is.
    func appendQualityResults(runID: String, target: String, task: Int, _ results: [StoredQualityResult]) async throws
    /// The stored quality results of one target's quality task, as the evaluator encoded them.
    func qualityResults(runID: String, target: String, task: Int) async throws -> [Data]

    func saveReport(runID: String, report: Data) async throws
    func report(runID: String) async throws -> Data?

    func saveTarget(_ target: StoredTarget) async throws
    func target(name: String) async throws -> StoredTarget?
    func listTargets() async throws -> [StoredTarget]
    func deleteTarget(name: String) async throws -> Bool

    /// Creates a schedule, or replaces the definition of the one with its name (keeping when it last fired).
    func saveSchedule(_ schedule: StoredSchedule) async throws
    /// The schedule of this name, if any.
    func schedule(name: String) async throws -> StoredSchedule?
    /// Every schedule, by name.
    func listSchedules() async throws -> [StoredSchedule]
    /// Deletes a schedule and its run list (the runs stay).
    func deleteSchedule(name: String) async throws -> Bool
    /// Takes the schedule's next firing: succeeds for exactly one caller when it has never fired or last fired at or
    /// before `notAfter`, setting its last firing to `at`.
    func claimScheduleFiring(name: String, lastFiredNotAfter notAfter: Date, at: Date) async throws -> Bool
    /// Adds a run started by the schedule.
    func addScheduleRun(name: String, runID: String, at: Date) async throws
    /// The schedule's runs, newest first.
    func scheduleRuns(name: String, limit: Int) async throws -> [String]
}

extension RunStore {
    /// Stores a new run that has no units (tests, runs executed outside the queue).
    public func createRun(_ run: StoredRun) async throws {
        try await createRun(run, units: [])
    }
}
