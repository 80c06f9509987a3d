import BenchApp
public import BenchCore
import BenchReport
public import BenchStore
import Foundation

/// Runs the submitted benchmarks: a queue in the store, at most `maxConcurrentRuns` at once, records written as they
/// complete, events to subscribers. At start it resumes every run the store holds as queued or running, so a killed
/// server loses no finished request and sends none twice.
public actor RunCoordinator {
    public let store: any RunStore
    public let maxConcurrentRuns: Int
    /// Where API-key variables are read from.
    public let environment: [String: String]

    private let (queue, queueInput) = AsyncStream.makeStream(of: String.self)
    private var cancelTriggers: [String: CheckedContinuation<Void, Never>] = [:]
    /// Runs whose trigger fired before anyone waited on it.
    private var firedTriggers: Set<String> = []
    private var cancelRequested: Set<String> = []
    private var subscribers: [String: [UUID: AsyncStream<RunEvent>.Continuation]] = [:]
    private var lastProgressWrite: [String: ContinuousClock.Instant] = [:]
    public private(set) var counters = Counters()

    /// Totals since the server started, for `/metrics`.
    public struct Counters: Sendable {
        public var requests = 0
        public var failedRequests: [ProviderError.Kind: Int] = [:]
        public var queued = 0
        public var running = 0
    }

    public init(store: any RunStore, maxConcurrentRuns: Int, environment: [String: String]) {
        self.store = store
        self.maxConcurrentRuns = max(1, maxConcurrentRuns)
        self.environment = environment
    }

    /// Queues a new run (already validated and stored by the caller).
    public func enqueue(_ id: String) {
        counters.queued += 1
        queueInput.yield(id)
    }

    /// Works the queue until the task is cancelled (server shutdown). Runs interrupted by shutdown stay `running`
    /// in the store and resume at the next start.
    public func run() async {
        if let unfinished = try? await store.unfinishedRuns() {
            for run in unfinished { enqueue(run.id) }
        }
        let slots = AsyncSemaphore(limit: maxConcurrentRuns)
        await withDiscardingTaskGroup { group in
            for await id in queue {
                await slots.acquire()
                if Task.isCancelled { break }
                group.addTask {
                    await self.execute(id)
                    await slots.release()
                }
            }
        }
    }

    /// Asks a queued or running run to stop; finished records are kept.
    /// - Returns: the run as it now stands, or nil when there is none.
    public func cancel(_ id: String) async throws -> StoredRun? {
        guard var run = try await store.run(id: id) else { return nil }
        guard run.status.isActive else { return run }
        cancelRequested.insert(id)
        if run.status == .running {
            fireCancelTrigger(id)
        } else {
            run.status = .cancelled
            run.finishedAt = Date()
            try await store.updateRun(run)
            publish(id, .status(run), final: true)
        }
        return run
    }

    /// The events of a run from now on: first its current state; the stream ends after its final state.
    public func events(for run: StoredRun) -> AsyncStream<RunEvent> {
        let (stream, continuation) = AsyncStream.makeStream(of: RunEvent.self, bufferingPolicy: .bufferingNewest(4096))
        continuation.yield(.status(run))
        if !run.status.isActive {
            continuation.finish()
            return stream
        }
        subscribers[run.id, default: [:]][UUID()] = continuation
        return stream
    }

    /// Hands an event to every subscriber of the run, dropping those that went away.
    private func publish(_ id: String, _ event: RunEvent, final: Bool = false) {
        for (key, continuation) in subscribers[id] ?? [:] {
            if case .terminated = continuation.yield(event) { subscribers[id]?[key] = nil }
            if final { continuation.finish() }
        }
        if final { subscribers[id] = nil }
    }

    // MARK: Execution

    private func execute(_ id: String) async {
        counters.queued -= 1
        guard var run = try? await store.run(id: id), run.status.isActive, !cancelRequested.contains(id) else {
            return
        }
        counters.running += 1
        defer { counters.running -= 1 }
        do {
            let spec = try BenchSpec.parse(run.spec)
            let previous = try await allRecords(id)
            run.status = .running
            run.startedAt = run.startedAt ?? Date()
            run.done = previous.count
            run.total =
                spec.targets.count * spec.steps.reduce(0) { $0 + ($1.maxDuration == nil ? $1.maxRequests ?? 0 : 0) }
            if run.total == 0 { run.total = nil }
            try await store.updateRun(run)
            publish(id, .status(run))
            let sink = StoreRecordSink(store: store, runID: id) { batch in await self.committed(id, batch) }
            let benchmark = BenchmarkRun(
                spec: spec, outputDirectory: nil, environment: environment, sink: sink,
                resumption: previous.isEmpty ? nil : .init(after: previous),
                onStep: { target, step in await self.publish(id, .step(target: target, step)) }
            )
            let report = try await withCancelTrigger(id) { try await benchmark.run() }
            try await store.saveReport(runID: id, report: APIJSON.encoder(pretty: true).encode(report))
            try await finish(id, .succeeded)
        } catch {
            if cancelRequested.contains(id) {
                try? await finish(id, .cancelled)
            } else if Task.isCancelled {
                // Server shutdown: the run stays `running` and resumes at the next start.
                return
            } else {
                let message = (error as? SpecError).map { "invalid spec: \($0)" } ?? String(describing: error)
                try? await finish(id, .failed, error: message)
            }
        }
    }

    /// Runs `body`, cancelling it when ``cancel(_:)`` is called for the run.
    private func withCancelTrigger<T: Sendable>(_ id: String, _ body: @Sendable @escaping () async throws -> T)
        async throws -> T
    {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await body() }
            group.addTask {
                await self.waitForCancelTrigger(id)
                return nil
            }
            defer { group.cancelAll() }
            var outcome: Result<T, any Error> = .failure(CancellationError())
            while let next = await group.nextResult() {
                switch next {
                case .success(let value?):
                    outcome = .success(value)
                    fireCancelTrigger(id)  // lets the waiting child end
                case .success(nil):
                    group.cancelAll()  // the trigger fired: stop the run
                case .failure(let error):
                    outcome = .failure(error)
                    fireCancelTrigger(id)
                }
            }
            firedTriggers.remove(id)
            return try outcome.get()
        }
    }

    private func waitForCancelTrigger(_ id: String) async {
        if firedTriggers.contains(id) || cancelRequested.contains(id) { return }
        await withCheckedContinuation { cancelTriggers[id] = $0 }
    }

    private func fireCancelTrigger(_ id: String) {
        if let trigger = cancelTriggers.removeValue(forKey: id) {
            trigger.resume()
        } else {
            firedTriggers.insert(id)
        }
    }

    private func finish(_ id: String, _ status: RunStatus, error: String? = nil) async throws {
        guard var run = try await store.run(id: id) else { return }
        run.status = status
        run.finishedAt = Date()
        run.error = error
        run.done = try await store.recordCount(runID: id)
        try await store.updateRun(run)
        cancelRequested.remove(id)
        lastProgressWrite[id] = nil
        publish(id, .status(run), final: true)
    }

    /// A batch of records is stored: count it, tell subscribers, and write progress at most twice a second.
    private func committed(_ id: String, _ batch: [RequestRecord]) async {
        counters.requests += batch.count
        for record in batch {
            if let kind = record.error?.kind, record.outcome == .failed {
                counters.failedRequests[kind, default: 0] += 1
            }
            publish(id, .request(record))
        }
        let now = ContinuousClock.now
        if let last = lastProgressWrite[id], now - last < .milliseconds(500) { return }
        lastProgressWrite[id] = now
        if var run = try? await store.run(id: id), run.status == .running {
            run.done = (try? await store.recordCount(runID: id)) ?? run.done
            try? await store.updateRun(run)
        }
    }

    private func allRecords(_ id: String) async throws -> [RequestRecord] {
        var records: [RequestRecord] = []
        while true {
            let page = try await store.records(runID: id, afterRequestID: records.last?.id, limit: 5_000)
            records += page
            if page.count < 5_000 { return records }
        }
    }
}
