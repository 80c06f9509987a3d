public import BenchCore
public import Foundation

/// A ``RunStore`` in memory: for tests and for `serve --database memory`. Nothing survives the process.
public actor InMemoryRunStore: RunStore {
    private var runs: [String: (seq: Int, run: StoredRun)] = [:]
    private var nextSeq = 1
    private var records: [String: [Int: RequestRecord]] = [:]
    private var reports: [String: Data] = [:]
    private var targets: [String: StoredTarget] = [:]
    private var schedules: [String: StoredSchedule] = [:]
    /// Per schedule: its run ids, oldest first.
    private var scheduleRunIDs: [String: [String]] = [:]
    private var units: [String: [WorkUnit]] = [:]
    /// Per run: target, task, then key → JSON.
    private var quality: [String: [String: [Int: [String: Data]]]] = [:]
    /// Records in storage order, per run.
    private var storageOrder: [String: [Int]] = [:]

    public init() {}

    public func migrate() async throws {}

    public func createRun(_ run: StoredRun, units: [WorkUnit]) async throws {
        guard runs[run.id] == nil else { throw StoreError.conflict("run \(run.id) exists") }
        runs[run.id] = (nextSeq, run)
        nextSeq += 1
        self.units[run.id] = units.sorted { $0.index < $1.index }
    }

    public func markStarted(runID: String, at date: Date) async throws {
        if runs[runID]?.run.startedAt == nil { runs[runID]?.run.startedAt = date }
    }

    public func updateProgress(runID: String, done: Int) async throws {
        if let status = runs[runID]?.run.status, status == .running || status == .cancelled {
            runs[runID]?.run.done = done
        }
    }

    public func finishRun(id: String, status: RunStatus, error: String?, done: Int, at date: Date) async throws -> Bool
    {
        guard var entry = runs[id], entry.run.status.isActive else { return false }
        entry.run.status = status
        entry.run.error = error
        entry.run.done = done
        entry.run.finishedAt = date
        runs[id] = entry
        return true
    }

    public func cancelRun(id: String, at date: Date) async throws -> StoredRun? {
        guard var entry = runs[id] else { return nil }
        guard entry.run.status.isActive else { return entry.run }
        entry.run.status = .cancelled
        entry.run.finishedAt = date
        runs[id] = entry
        units[id] = units[id]?.map { unit in
            var unit = unit
            if unit.status != .done { unit.status = .cancelled }
            unit.owner = nil
            return unit
        }
        return entry.run
    }

    public func claimUnit(owner: String, leaseUntil: Int64, now: Int64) async throws -> WorkUnit? {
        for (runID, entry) in runs.sorted(by: { $0.value.seq < $1.value.seq }) where entry.run.status.isActive {
            guard var list = units[runID], let position = list.firstIndex(where: { $0.status != .done }) else {
                continue
            }
            var unit = list[position]
            let expired = unit.status == .running && (unit.leaseUntil ?? 0) < now
            guard unit.status == .queued || expired else { continue }
            unit.status = .running
            unit.owner = owner
            unit.leaseUntil = leaseUntil
            unit.attempts += 1
            list[position] = unit
            units[runID] = list
            if entry.run.status == .queued {
                runs[runID]?.run.status = .running
            }
            return unit
        }
        return nil
    }

    public func renewLeases(owner: String, until: Int64) async throws -> [WorkUnit] {
        var held: [WorkUnit] = []
        for (runID, list) in units where runs[runID]?.run.status.isActive == true {
            units[runID] = list.map { unit in
                guard unit.owner == owner, unit.status == .running else { return unit }
                var renewed = unit
                renewed.leaseUntil = until
                held.append(renewed)
                return renewed
            }
        }
        return held.sorted { ($0.runID, $0.index) < ($1.runID, $1.index) }
    }

    public func finishUnit(runID: String, index: Int, owner: String) async throws -> Bool {
        guard var list = units[runID], let position = list.firstIndex(where: { $0.index == index }),
            list[position].owner == owner, list[position].status == .running
        else { return false }
        list[position].status = .done
        list[position].owner = nil
        units[runID] = list
        return true
    }

    public func releaseUnits(owner: String) async throws {
        for (runID, list) in units {
            units[runID] = list.map { unit in
                guard unit.owner == owner, unit.status == .running else { return unit }
                var released = unit
                released.status = .queued
                released.owner = nil
                released.leaseUntil = nil
                return released
            }
        }
    }

    public func units(runID: String) async throws -> [WorkUnit] { units[runID] ?? [] }

    public func run(id: String) async throws -> StoredRun? { runs[id]?.run }

    public func listRuns(status: RunStatus?, target: String?, limit: Int, after: String?) async throws
        -> Page<StoredRun>
    {
        let before = try after.map(RunCursor.decode) ?? Int.max
        let matching = runs.values
            .filter { $0.seq < before }
            .filter { status == nil || $0.run.status == status }
            .filter { target == nil || $0.run.targets.contains(target!) }
            .sorted { $0.seq > $1.seq }
        let page = Array(matching.prefix(limit))
        let next = matching.count > limit ? page.last.map { RunCursor.encode($0.seq) } : nil
        return Page(items: page.map(\.run), next: next)
    }

    public func updateRun(_ run: StoredRun) async throws {
        guard let existing = runs[run.id] else { throw StoreError.notFound("run \(run.id)") }
        runs[run.id] = (existing.seq, run)
    }

    public func deleteRun(id: String) async throws -> Bool {
        records[id] = nil
        reports[id] = nil
        units[id] = nil
        quality[id] = nil
        storageOrder[id] = nil
        return runs.removeValue(forKey: id) != nil
    }

    public func unfinishedRuns() async throws -> [StoredRun] {
        runs.values.filter { $0.run.status.isActive }.sorted { $0.seq < $1.seq }.map(\.run)
    }

    public func countRuns() async throws -> [RunStatus: Int] {
        Dictionary(grouping: runs.values, by: \.run.status).mapValues(\.count)
    }

    public func appendRecords(runID: String, _ new: [RequestRecord]) async throws -> Int {
        guard runs[runID] != nil else { throw StoreError.notFound("run \(runID)") }
        var stored = records[runID] ?? [:]
        var added = 0
        for record in new where stored[record.id] == nil {
            stored[record.id] = record
            storageOrder[runID, default: []].append(record.id)
            added += 1
        }
        records[runID] = stored
        return added
    }

    public func records(runID: String, afterRequestID: Int?, limit: Int) async throws -> [RequestRecord] {
        let after = afterRequestID ?? Int.min
        return Array((records[runID] ?? [:]).values.filter { $0.id > after }.sorted { $0.id < $1.id }.prefix(limit))
    }

    public func records(runID: String, target: String, step: Int) async throws -> [RequestRecord] {
        (records[runID] ?? [:]).values.filter { $0.target == target && $0.step == step }.sorted { $0.id < $1.id }
    }

    public func recordCount(runID: String) async throws -> Int { records[runID]?.count ?? 0 }

    public func appendQualityResults(
        runID: String, target: String, task: Int, _ results: [StoredQualityResult]
    ) async throws {
        guard runs[runID] != nil else { throw StoreError.notFound("run \(runID)") }
        for result in results
        where quality[runID, default: [:]][target, default: [:]][task, default: [:]][result.key] == nil {
            quality[runID, default: [:]][target, default: [:]][task, default: [:]][result.key] = result.json
        }
    }

    public func qualityResults(runID: String, target: String, task: Int) async throws -> [Data] {
        (quality[runID]?[target]?[task] ?? [:]).sorted { $0.key < $1.key }.map(\.value)
    }

    public func recordsStored(runID: String, after: Int64, limit: Int) async throws
        -> (records: [RequestRecord], last: Int64)
    {
        let order = storageOrder[runID] ?? []
        let start = Int(max(0, after))
        guard start < order.count else { return ([], after) }
        let slice = order[start..<min(order.count, start + limit)]
        return (slice.compactMap { records[runID]?[$0] }, Int64(start + slice.count))
    }

    public func saveReport(runID: String, report: Data) async throws {
        guard runs[runID] != nil else { throw StoreError.notFound("run \(runID)") }
        reports[runID] = report
    }

    public func report(runID: String) async throws -> Data? { reports[runID] }

    public func saveTarget(_ target: StoredTarget) async throws {
        var saved = target
        if let existing = targets[target.name] { saved.createdAt = existing.createdAt }
        targets[target.name] = saved
    }

    public func target(name: String) async throws -> StoredTarget? { targets[name] }

    public func listTargets() async throws -> [StoredTarget] { targets.values.sorted { $0.name < $1.name } }

    public func deleteTarget(name: String) async throws -> Bool { targets.removeValue(forKey: name) != nil }

    public func saveSchedule(_ schedule: StoredSchedule) async throws {
        var saved = schedule
        if let existing = schedules[schedule.name] {
            saved.createdAt = existing.createdAt
            saved.lastRunAt = existing.lastRunAt
        }
        schedules[schedule.name] = saved
    }

    public func schedule(name: String) async throws -> StoredSchedule? { schedules[name] }

    public func listSchedules() async throws -> [StoredSchedule] { schedules.values.sorted { $0.name < $1.name } }

    public func deleteSchedule(name: String) async throws -> Bool {
        scheduleRunIDs[name] = nil
        return schedules.removeValue(forKey: name) != nil
    }

    public func claimScheduleFiring(name: String, lastFiredNotAfter notAfter: Date, at: Date) async throws -> Bool {
        guard var schedule = schedules[name], schedule.lastRunAt.map({ $0 <= notAfter }) ?? true else { return false }
        schedule.lastRunAt = at
        schedules[name] = schedule
        return true
    }

    public func addScheduleRun(name: String, runID: String, at: Date) async throws {
        guard schedules[name] != nil else { throw StoreError.notFound("schedule \(name)") }
        scheduleRunIDs[name, default: []].append(runID)
    }

    public func scheduleRuns(name: String, limit: Int) async throws -> [String] {
        Array((scheduleRunIDs[name] ?? []).reversed().prefix(limit))
    }
}

/// Page cursors of run listings: the position of the last run of a page, as text.
enum RunCursor {
    static func encode(_ seq: Int) -> String { "r\(seq)" }

    static func decode(_ cursor: String) throws -> Int {
        guard cursor.hasPrefix("r"), let seq = Int(cursor.dropFirst()), seq > 0 else {
            throw StoreError.invalidCursor(cursor)
        }
        return seq
    }
}
