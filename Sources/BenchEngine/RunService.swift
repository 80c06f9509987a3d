public import BenchCore
public import BenchReport
public import BenchStore
public import Foundation

/// What the HTTP API asks of a service's engine: admission and queueing of runs, inline runs, step summaries for
/// live events, local cancellation, schedules. The API module depends on this protocol, not on how the process is
/// wired.
public protocol RunService: Sendable {
    var store: any RunStore { get }
    /// The spec a document describes, saved targets resolved, as the service would run it.
    /// - Throws: ``SpecError`` naming the field by its path in the document.
    func validated(_ document: JSONValue) async throws -> BenchSpec
    /// Validates, stores and queues a run.
    /// - Throws: ``SpecError`` naming the field by its path in the document.
    func submit(_ document: JSONValue) async throws -> StoredRun
    /// Runs a small spec at once through the process's engine (its HTTP client, its endpoint limits), storing
    /// nothing; nil when it does not finish within `timeout`.
    func runInline(_ spec: BenchSpec, timeout: Duration) async throws -> BenchmarkReport?
    /// The summary of one target's step of a stored run, from its records (priced as the report prices it).
    func stepReport(_ spec: BenchSpec, target: String, step: Int, records: [RequestRecord]) -> BenchmarkReport.Step?
    /// Stops this process's units of a run and returns once they have stopped.
    func cancelLocally(runID: String) async
    /// Submits the runs of schedules that are due; returns their ids.
    func fireDueSchedules(now: Date) async throws -> [String]
}

/// A service's engine side: the engine, the queue runs enter by, the coordinator that executes them here (nil when
/// the process serves the API only), and the schedules.
public struct ServiceEngine: RunService {
    public let engine: Engine
    public let queue: RunQueue
    public let coordinator: RunCoordinator?
    public let schedules: ScheduledRuns

    public init(engine: Engine, queue: RunQueue, coordinator: RunCoordinator?, schedules: ScheduledRuns) {
        self.engine = engine
        self.queue = queue
        self.coordinator = coordinator
        self.schedules = schedules
    }

    public var store: any RunStore { queue.store }

    public func validated(_ document: JSONValue) async throws -> BenchSpec {
        try await queue.validated(document)
    }

    public func submit(_ document: JSONValue) async throws -> StoredRun {
        try await queue.submit(document)
    }

    public func runInline(_ spec: BenchSpec, timeout: Duration) async throws -> BenchmarkReport? {
        let engine = self.engine
        return try await withThrowingTaskGroup(of: BenchmarkReport?.self) { group in
            group.addTask { try await BenchmarkRun(spec: spec, engine: engine, outputDirectory: nil).run() }
            group.addTask {
                try await Task.sleep(for: timeout)
                return nil
            }
            defer { group.cancelAll() }
            return try await group.next() ?? nil
        }
    }

    public func stepReport(_ spec: BenchSpec, target: String, step: Int, records: [RequestRecord])
        -> BenchmarkReport.Step?
    {
        BenchmarkRun(spec: spec, engine: engine, outputDirectory: nil).stepReport(
            target: target, step: step, records: records)
    }

    public func cancelLocally(runID: String) async {
        await coordinator?.cancelLocally(runID: runID)
    }

    public func fireDueSchedules(now: Date) async throws -> [String] {
        try await schedules.fireDue(now: now)
    }
}
