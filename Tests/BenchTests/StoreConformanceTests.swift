import BenchCore
import BenchStore
import Foundation
import Testing

/// The stores a test can use: in memory and SQLite always; PostgreSQL when `LLMBENCH_TEST_POSTGRES_URL` names a
/// server (scripts/test starts a throwaway one when PostgreSQL is installed; `LLMBENCH_REQUIRE_POSTGRES=1` makes
/// its absence a failure).
enum StoreKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case memory, sqlite, postgres

    static var postgresURL: String? { ProcessInfo.processInfo.environment["LLMBENCH_TEST_POSTGRES_URL"] }

    static var available: [StoreKind] {
        let required = ProcessInfo.processInfo.environment["LLMBENCH_REQUIRE_POSTGRES"] == "1"
        return postgresURL != nil || required ? allCases : [.memory, .sqlite]
    }

    var testDescription: String { rawValue }

    /// Runs `body` with a fresh, migrated store of this kind, removed afterwards.
    func withStore(_ body: @Sendable (any RunStore) async throws -> Void) async throws {
        switch self {
        case .memory:
            try await body(InMemoryRunStore())
        case .sqlite:
            try await Self.withTemporarySQLiteFile { path in
                let database = try await SQLiteDatabase(path: path)
                let store = SQLRunStore(database: database)
                try await store.migrate()
                do {
                    try await body(store)
                } catch {
                    await database.close()
                    throw error
                }
                await database.close()
            }
        case .postgres:
            let url = try #require(Self.postgresURL, "LLMBENCH_TEST_POSTGRES_URL is required")
            try await Self.withScratchDatabase(serverURL: url) { scratchURL in
                try await PostgresDatabase.withDatabase(url: scratchURL) { database in
                    let store = SQLRunStore(database: database)
                    try await store.migrate()
                    try await body(store)
                }
            }
        }
    }

    /// A path for an SQLite file, removed with its WAL files afterwards.
    static func withTemporarySQLiteFile(_ body: (String) async throws -> Void) async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("llmbench-\(UUID()).sqlite").path
        defer {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        }
        try await body(path)
    }

    /// Creates a database of its own on the server for one test, and drops it after.
    static func withScratchDatabase(
        serverURL: String, _ body: @Sendable (String) async throws -> Void
    ) async throws {
        let name = "llmbench_test_\(UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased())"
        var components = try #require(URLComponents(string: serverURL))
        try await PostgresDatabase.withDatabase(url: serverURL) { admin in
            _ = try await admin.query(SQLStatement("CREATE DATABASE \(name)"))
        }
        components.path = "/" + name
        let scratchURL = try #require(components.string)
        var failure: (any Error)?
        do { try await body(scratchURL) } catch { failure = error }
        try await PostgresDatabase.withDatabase(url: serverURL) { admin in
            _ = try await admin.query(SQLStatement("DROP DATABASE IF EXISTS \(name) WITH (FORCE)"))
        }
        if let failure { throw failure }
    }
}

/// One behaviour, three stores: what the service relies on holds for every one of them.
extension LiveTests {
    @Suite struct StoreConformanceTests {
        static let epoch = Date(timeIntervalSince1970: 1_800_000_000.125)

        static func run(_ id: String, status: RunStatus = .queued, targets: [String] = ["t"], offset: Double = 0)
            -> StoredRun
        {
            StoredRun(
                id: id, status: status, spec: #"{"targets":[]}"#, targets: targets,
                createdAt: epoch.addingTimeInterval(offset))
        }

        static func record(_ id: Int, target: String = "t", step: Int = 0) -> RequestRecord {
            var record = blankRecord()
            record.id = id
            record.target = target
            record.step = step
            record.chunkTimes = [.nanoseconds(1_000 + id), .nanoseconds(2_000 + id)]
            record.usage = TokenUsage(inputTokens: 10, outputTokens: id)
            return record
        }

        @Test(arguments: StoreKind.available)
        func runsRoundTripAndConflict(kind: StoreKind) async throws {
            try await kind.withStore { store in
                try await store.migrate()  // a second migration is a no-op
                var run = Self.run("run_a", targets: ["x", "y"])
                try await store.createRun(run)
                #expect(try await store.run(id: "run_a") == run)
                await #expect(throws: StoreError.conflict("run run_a exists")) { try await store.createRun(run) }
                run.status = .running
                run.startedAt = Self.epoch.addingTimeInterval(1)
                run.done = 7
                run.total = 10
                try await store.updateRun(run)
                #expect(try await store.run(id: "run_a") == run)
                #expect(try await store.run(id: "nope") == nil)
                try await store.markStarted(runID: "run_a", at: Self.epoch.addingTimeInterval(5))
                try await store.updateProgress(runID: "run_a", done: 9)
                #expect(try await store.run(id: "run_a")?.startedAt == run.startedAt)
                #expect(try await store.run(id: "run_a")?.done == 9)
                #expect(
                    try await store.finishRun(id: "run_a", status: .succeeded, error: nil, done: 10, at: Self.epoch))
                // An ended run stays as it ended.
                #expect(
                    try await store.finishRun(id: "run_a", status: .failed, error: "late", done: 0, at: Self.epoch)
                        == false)
                try await store.updateProgress(runID: "run_a", done: 1)
                let ended = try #require(try await store.run(id: "run_a"))
                #expect(ended.status == .succeeded && ended.done == 10 && ended.error == nil)
                #expect(try await store.cancelRun(id: "run_a", at: Self.epoch)?.status == .succeeded)
                await #expect(throws: StoreError.notFound("run run_b")) {
                    try await store.updateRun(Self.run("run_b"))
                }
                #expect(try await store.cancelRun(id: "run_b", at: Self.epoch) == nil)
            }
        }

        @Test(arguments: StoreKind.available)
        func listingsPageNewestFirstAndFilter(kind: StoreKind) async throws {
            try await kind.withStore { store in
                for index in 1...5 {
                    try await store.createRun(
                        Self.run(
                            "run_\(index)", status: index % 2 == 0 ? .succeeded : .queued,
                            targets: index == 3 ? ["a_b"] : ["axb"], offset: Double(index)))
                }
                var pages: [[String]] = []
                var cursor: String?
                repeat {
                    let page = try await store.listRuns(status: nil, target: nil, limit: 2, after: cursor)
                    pages.append(page.items.map(\.id))
                    cursor = page.next
                } while cursor != nil
                #expect(pages == [["run_5", "run_4"], ["run_3", "run_2"], ["run_1"]])
                let succeeded = try await store.listRuns(status: .succeeded, target: nil, limit: 10, after: nil)
                #expect(succeeded.items.map(\.id) == ["run_4", "run_2"] && succeeded.next == nil)
                // `_` is a LIKE wildcard: it must match itself only.
                let named = try await store.listRuns(status: nil, target: "a_b", limit: 10, after: nil)
                #expect(named.items.map(\.id) == ["run_3"])
                await #expect(throws: StoreError.invalidCursor("bogus")) {
                    _ = try await store.listRuns(status: nil, target: nil, limit: 2, after: "bogus")
                }
                #expect(try await store.unfinishedRuns().map(\.id) == ["run_1", "run_3", "run_5"])
                #expect(try await store.countRuns() == [.queued: 3, .succeeded: 2])
            }
        }

        @Test(arguments: StoreKind.available)
        func recordsAreStoredOnceAndReadBackExactly(kind: StoreKind) async throws {
            try await kind.withStore { store in
                try await store.createRun(Self.run("run_r"))
                let first = [0, 1, 2].map { Self.record($0) }
                #expect(try await store.appendRecords(runID: "run_r", first) == 3)
                // A resumed run re-appending what is stored adds only what is new.
                let overlap = [Self.record(2), Self.record(3, target: "u", step: 1)]
                #expect(try await store.appendRecords(runID: "run_r", overlap) == 1)
                #expect(try await store.recordCount(runID: "run_r") == 4)
                #expect(try await store.records(runID: "run_r", afterRequestID: nil, limit: 10) == first + [overlap[1]])
                #expect(try await store.records(runID: "run_r", afterRequestID: 1, limit: 1) == [first[2]])
                #expect(try await store.records(runID: "run_r", target: "u", step: 1) == [overlap[1]])
                // More rows than one statement carries, in one transaction.
                let many = (100..<600).map { Self.record($0) }
                #expect(try await store.appendRecords(runID: "run_r", many) == 500)
                #expect(try await store.recordCount(runID: "run_r") == 504)
                await #expect(throws: StoreError.notFound("run run_missing")) {
                    try await store.appendRecords(runID: "run_missing", [Self.record(1)])
                }
            }
        }

        @Test(arguments: StoreKind.available)
        func qualityResultsAreKeptOncePerKeyAndDeletedWithTheirRun(kind: StoreKind) async throws {
            try await kind.withStore { store in
                try await store.createRun(Self.run("run_q"))
                func result(_ key: String, _ text: String) -> StoredQualityResult {
                    StoredQualityResult(key: key, json: Data(text.utf8))
                }
                try await store.appendQualityResults(
                    runID: "run_q", target: "t", task: 0, [result("b#0", #"{"s":1}"#), result("a#0", #"{"s":0}"#)])
                // A resumed unit re-sending a stored key keeps the first answer.
                try await store.appendQualityResults(
                    runID: "run_q", target: "t", task: 0, [result("a#0", #"{"s":9}"#), result("c#0", #"{"s":2}"#)])
                try await store.appendQualityResults(runID: "run_q", target: "u", task: 0, [result("a#0", "{}")])
                let stored = try await store.qualityResults(runID: "run_q", target: "t", task: 0)
                #expect(stored.map { String(decoding: $0, as: UTF8.self) } == [#"{"s":0}"#, #"{"s":1}"#, #"{"s":2}"#])
                #expect(try await store.qualityResults(runID: "run_q", target: "t", task: 1).isEmpty)
                let many = (0..<400).map { result(String(format: "k%04d", $0), "{}") }
                try await store.appendQualityResults(runID: "run_q", target: "t", task: 2, many)
                #expect(try await store.qualityResults(runID: "run_q", target: "t", task: 2).count == 400)
                await #expect(throws: StoreError.notFound("run run_missing")) {
                    try await store.appendQualityResults(
                        runID: "run_missing", target: "t", task: 0, [result("a", "{}")])
                }
                #expect(try await store.deleteRun(id: "run_q"))
                #expect(try await store.qualityResults(runID: "run_q", target: "t", task: 0).isEmpty)
            }
        }

        static func units(_ runID: String, steps: Int) -> [WorkUnit] {
            (0..<steps).map { WorkUnit(runID: runID, index: $0, target: "t", step: $0) }
        }

        @Test(arguments: StoreKind.available)
        func unitsRunOneAfterAnotherUnderLeases(kind: StoreKind) async throws {
            try await kind.withStore { store in
                try await store.createRun(Self.run("run_a", offset: 0), units: Self.units("run_a", steps: 2))
                try await store.createRun(Self.run("run_b", offset: 1), units: Self.units("run_b", steps: 1))
                let first = try #require(try await store.claimUnit(owner: "w1", leaseUntil: 1_000, now: 0))
                #expect(first.runID == "run_a" && first.index == 0 && first.attempts == 1 && first.owner == "w1")
                #expect(try await store.run(id: "run_a")?.status == .running)
                // run_a's second unit waits for its first: the next worker gets run_b.
                let second = try #require(try await store.claimUnit(owner: "w2", leaseUntil: 1_000, now: 0))
                #expect(second.runID == "run_b" && second.index == 0)
                #expect(try await store.claimUnit(owner: "w3", leaseUntil: 1_000, now: 0) == nil)
                #expect(try await store.renewLeases(owner: "w1", until: 2_000).map(\.index) == [0])
                // w2 stopped renewing: at 1500 its lease is over and w3 takes the unit over.
                let takeover = try #require(try await store.claimUnit(owner: "w3", leaseUntil: 5_000, now: 1_500))
                #expect(takeover.runID == "run_b" && takeover.attempts == 2)
                #expect(try await store.renewLeases(owner: "w2", until: 3_000).isEmpty)
                #expect(try await store.finishUnit(runID: "run_b", index: 0, owner: "w2") == false)
                #expect(try await store.finishUnit(runID: "run_b", index: 0, owner: "w3"))
                #expect(try await store.finishUnit(runID: "run_a", index: 0, owner: "w1"))
                let next = try #require(try await store.claimUnit(owner: "w1", leaseUntil: 9_000, now: 1_600))
                #expect(next.runID == "run_a" && next.index == 1 && next.step == 1)
                // Cancelling ends the run and its unfinished units; the worker's lease is not renewed.
                #expect(try await store.cancelRun(id: "run_a", at: Self.epoch)?.status == .cancelled)
                #expect(try await store.units(runID: "run_a").map(\.status) == [.done, .cancelled])
                #expect(try await store.renewLeases(owner: "w1", until: 10_000).isEmpty)
                #expect(try await store.claimUnit(owner: "w1", leaseUntil: 9_000, now: 20_000) == nil)
                // A worker shutting down hands its unit back at once.
                try await store.createRun(Self.run("run_c", offset: 2), units: Self.units("run_c", steps: 1))
                _ = try await store.claimUnit(owner: "w4", leaseUntil: 99_000, now: 20_000)
                try await store.releaseUnits(owner: "w4")
                let again = try #require(try await store.claimUnit(owner: "w5", leaseUntil: 99_000, now: 20_001))
                #expect(again.runID == "run_c" && again.attempts == 2)
            }
        }

        @Test(arguments: StoreKind.available)
        func concurrentClaimsNeverShareAUnit(kind: StoreKind) async throws {
            try await kind.withStore { store in
                for index in 0..<12 {
                    try await store.createRun(
                        Self.run("run_\(index)", offset: Double(index)), units: Self.units("run_\(index)", steps: 1))
                }
                let claimed = try await withThrowingTaskGroup(of: [String].self) { group in
                    for worker in 0..<6 {
                        group.addTask {
                            var mine: [String] = []
                            while let unit = try await store.claimUnit(owner: "w\(worker)", leaseUntil: 1_000, now: 0) {
                                mine.append(unit.runID)
                            }
                            return mine
                        }
                    }
                    return try await group.reduce(into: []) { $0 += $1 }
                }
                #expect(claimed.count == 12 && Set(claimed).count == 12)
            }
        }

        @Test(arguments: StoreKind.available)
        func recordsCanBeFollowedInTheOrderTheyWereStored(kind: StoreKind) async throws {
            try await kind.withStore { store in
                try await store.createRun(Self.run("run_f"))
                try await store.appendRecords(runID: "run_f", [Self.record(5), Self.record(1)])
                try await store.appendRecords(runID: "run_f", [Self.record(3)])
                let first = try await store.recordsStored(runID: "run_f", after: 0, limit: 2)
                #expect(first.records.map(\.id) == [5, 1])
                let second = try await store.recordsStored(runID: "run_f", after: first.last, limit: 2)
                #expect(second.records.map(\.id) == [3])
                let none = try await store.recordsStored(runID: "run_f", after: second.last, limit: 2)
                #expect(none.records.isEmpty && none.last == second.last)
            }
        }

        @Test(arguments: StoreKind.available)
        func reportsAndDeletionCascade(kind: StoreKind) async throws {
            try await kind.withStore { store in
                try await store.createRun(Self.run("run_d"))
                try await store.appendRecords(runID: "run_d", [Self.record(0)])
                try await store.saveReport(runID: "run_d", report: Data(#"{"v":1}"#.utf8))
                try await store.saveReport(runID: "run_d", report: Data(#"{"v":2}"#.utf8))
                #expect(try await store.report(runID: "run_d") == Data(#"{"v":2}"#.utf8))
                #expect(try await store.deleteRun(id: "run_d"))
                #expect(try await store.deleteRun(id: "run_d") == false)
                #expect(try await store.recordCount(runID: "run_d") == 0)
                #expect(try await store.report(runID: "run_d") == nil)
            }
        }

        @Test(arguments: StoreKind.available)
        func savedTargetsUpsertKeepingTheirCreationTime(kind: StoreKind) async throws {
            try await kind.withStore { store in
                let created = StoredTarget(
                    name: "groq-70b", definition: #"{"kind":"groq"}"#, createdAt: Self.epoch, updatedAt: Self.epoch)
                try await store.saveTarget(created)
                var changed = created
                changed.definition = #"{"kind":"groq","model":"m"}"#
                changed.createdAt = Self.epoch.addingTimeInterval(50)
                changed.updatedAt = Self.epoch.addingTimeInterval(60)
                try await store.saveTarget(changed)
                let stored = try #require(try await store.target(name: "groq-70b"))
                #expect(stored.definition == changed.definition && stored.createdAt == Self.epoch)
                #expect(stored.updatedAt == changed.updatedAt)
                try await store.saveTarget(StoredTarget(name: "a", definition: "{}"))
                #expect(try await store.listTargets().map(\.name) == ["a", "groq-70b"])
                #expect(try await store.deleteTarget(name: "a"))
                #expect(try await store.deleteTarget(name: "a") == false)
            }
        }

        @Test(arguments: StoreKind.available)
        func scheduleFiringsAreClaimedOnceAndKeepTheirRuns(kind: StoreKind) async throws {
            try await kind.withStore { store in
                let schedule = StoredSchedule(name: "nightly", definition: #"{"every_s":60}"#, createdAt: Self.epoch)
                try await store.saveSchedule(schedule)
                // Never fired: the first claim wins, a second one for the same instant does not.
                #expect(
                    try await store.claimScheduleFiring(name: "nightly", lastFiredNotAfter: Self.epoch, at: Self.epoch))
                #expect(
                    try await store.claimScheduleFiring(
                        name: "nightly", lastFiredNotAfter: Self.epoch.addingTimeInterval(-60), at: Self.epoch)
                        == false)
                try await store.addScheduleRun(name: "nightly", runID: "r1", at: Self.epoch)
                // Sixty seconds later it is due again.
                let later = Self.epoch.addingTimeInterval(60)
                #expect(try await store.claimScheduleFiring(name: "nightly", lastFiredNotAfter: Self.epoch, at: later))
                try await store.addScheduleRun(name: "nightly", runID: "r2", at: later)
                #expect(try await store.scheduleRuns(name: "nightly", limit: 10) == ["r2", "r1"])
                #expect(try await store.scheduleRuns(name: "nightly", limit: 1) == ["r2"])
                // Replacing the definition keeps the creation and firing times.
                var changed = schedule
                changed.definition = #"{"every_s":120}"#
                changed.createdAt = later
                try await store.saveSchedule(changed)
                let stored = try #require(try await store.schedule(name: "nightly"))
                #expect(stored.definition == changed.definition && stored.createdAt == Self.epoch)
                #expect(stored.lastRunAt == later)
                #expect(try await store.listSchedules().map(\.name) == ["nightly"])
                #expect(
                    try await store.claimScheduleFiring(name: "other", lastFiredNotAfter: later, at: later) == false)
                #expect(try await store.deleteSchedule(name: "nightly"))
                #expect(try await store.schedule(name: "nightly") == nil)
                #expect(try await store.scheduleRuns(name: "nightly", limit: 10).isEmpty)
            }
        }
    }

    @Suite struct SQLiteDurabilityTests {
        @Test func dataSurvivesClosingAndReopeningTheFile() async throws {
            try await StoreKind.withTemporarySQLiteFile { path in
                let first = try await SQLiteDatabase(path: path)
                let store = SQLRunStore(database: first)
                try await store.migrate()
                try await store.createRun(StoreConformanceTests.run("run_s"))
                _ = try await store.appendRecords(runID: "run_s", [StoreConformanceTests.record(0)])
                await first.close()
                let second = try await SQLiteDatabase(path: path)
                let reopened = SQLRunStore(database: second)
                try await reopened.migrate()
                #expect(try await reopened.recordCount(runID: "run_s") == 1)
                #expect(try await second.query(SQLStatement("PRAGMA journal_mode")).first?.first == .text("wal"))
                await second.close()
            }
        }
    }
}
