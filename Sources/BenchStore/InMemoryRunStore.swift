public import BenchCore
public import Foundation

/// A ``RunStore`` in memory: for tests and for `serve --database memory`. Nothing survives the process.
public actor InMemoryRunStore: RunStore {
    private var runs: [String: (seq: Int, run: StoredRun)] = [:]
    private var nextSeq = 1
    private var records: [String: [Int: RequestRecord]] = [:]
    private var reports: [String: Data] = [:]
    private var targets: [String: StoredTarget] = [:]

    public init() {}

    public func migrate() async throws {}

    public func createRun(_ run: StoredRun) async throws {
        guard runs[run.id] == nil else { throw StoreError.conflict("run \(run.id) exists") }
        runs[run.id] = (nextSeq, run)
        nextSeq += 1
    }

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
