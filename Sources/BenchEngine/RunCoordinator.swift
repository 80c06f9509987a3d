public import BenchCore
import BenchEval
public import BenchStore
public import CoreMetrics
public import Foundation

/// The worker: claims units of work (a target's load step or quality task) from the store, executes each through the
/// engine exactly as the CLI does (``BenchmarkRun/execute(target:unit:into:)``), renews their leases, and finishes
/// a run — its report assembled from the stored records and results (``BenchmarkRun/report(from:)``) — when its last
/// unit is done. Any number of workers, in `llmbench serve` or in `llmbench worker` processes on other machines, can
/// share one PostgreSQL store: a unit is held by one worker at a time, and a dead worker's unit returns to the queue
/// when its lease ends and resumes from its stored results.
///
/// Its waits (polling for work, renewing leases) run on an injected timeline, so tests of that logic advance a test
/// clock; lease deadlines in the store are wall-clock times, read from `now`.
public actor RunCoordinator {
    public let store: any RunStore
    /// The engine units are executed through (its client, its endpoint limits, its client ceiling).
    public private(set) var engine: Engine
    /// Whether ``run()`` first measures (or loads) the client's ceiling on this host, for the reports it finishes.
    public let calibrate: Bool
    public let maxConcurrentUnits: Int
    /// This worker's name in the store.
    public let owner: String
    public let lease: Duration
    /// How often an idle worker looks for work.
    public let pollInterval: Duration
    private let timeline: Timeline
    private let now: @Sendable () -> Date
    private let metrics: Metrics

    private var cancelTriggers: [String: CheckedContinuation<Void, Never>] = [:]
    private var firedTriggers: Set<String> = []
    private var executing: [String: WorkUnit] = [:]
    /// Callers of ``cancelLocally(runID:)`` waiting for a run's units here to stop.
    private var stopWaiters: [String: [CheckedContinuation<Void, Never>]] = [:]
    private var lastProgressWrite: [String: Duration] = [:]
    private var running = 0

    /// What the coordinator counts, for `/metrics` (swift-metrics; the composition root chooses the backend).
    struct Metrics: Sendable {
        let requests: Counter
        let units: Gauge
        let factory: any MetricsFactory

        init(factory: any MetricsFactory) {
            self.factory = factory
            requests = Counter(label: "llmbench_requests_total", dimensions: [], factory: factory)
            units = Gauge(label: "llmbench_units_in_progress", dimensions: [], factory: factory)
        }

        func failed(_ kind: ProviderError.Kind) {
            Counter(label: "llmbench_provider_errors_total", dimensions: [("kind", kind.rawValue)], factory: factory)
                .increment()
        }
    }

    /// - Parameters:
    ///   - metrics: where the coordinator's counters go (requests finished, provider errors by kind, units running).
    ///   - timeline: the clock of polling and lease renewals.
    ///   - now: the wall clock of lease deadlines in the store.
    public init(
        store: any RunStore, engine: Engine, maxConcurrentUnits: Int, lease: Duration = .seconds(15),
        pollInterval: Duration = .milliseconds(200), owner: String? = nil,
        metrics: any MetricsFactory = MetricsSystem.factory, calibrate: Bool = false,
        timeline: Timeline = .continuous(), now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.calibrate = calibrate
        self.store = store
        self.engine = engine
        self.maxConcurrentUnits = max(1, maxConcurrentUnits)
        self.lease = lease
        self.pollInterval = pollInterval
        self.timeline = timeline
        self.now = now
        self.metrics = Metrics(factory: metrics)
        self.metrics.units.record(0)
        for kind in ProviderError.Kind.allCases {
            Counter(label: "llmbench_provider_errors_total", dimensions: [("kind", kind.rawValue)], factory: metrics)
                .increment(by: 0)
        }
        var generator = SystemRandomNumberGenerator()
        self.owner =
            owner
            ?? "\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier):\(String(generator.next() % 0xffff, radix: 16))"
    }

    /// Works until the task is cancelled (shutdown), then hands the units it holds back to the queue.
    public func run() async {
        if calibrate {
            engine.clientCeiling = try? await HarnessCalibration.cachedOrMeasured(engine: engine)
        }
        let slots = AsyncSemaphore(limit: maxConcurrentUnits)
        await withDiscardingTaskGroup { group in
            group.addTask { await self.renewLeases() }
            while !Task.isCancelled {
                await slots.acquire()
                if Task.isCancelled {
                    await slots.release()
                    break
                }
                let now = Self.milliseconds(self.now())
                if let unit = try? await store.claimUnit(
                    owner: owner, leaseUntil: now + Int64(lease.milliseconds), now: now)
                {
                    executing[Self.key(unit)] = unit
                    group.addTask {
                        await self.execute(unit)
                        await slots.release()
                    }
                } else {
                    await slots.release()
                    try? await timeline.sleep(for: pollInterval)
                }
            }
            group.cancelAll()
        }
        try? await store.releaseUnits(owner: owner)
    }

    /// Stops this worker's units of a run and returns once they have stopped (the store already says the run is
    /// cancelled; other workers learn it when they renew their leases).
    public func cancelLocally(runID: String) async {
        let keys = executing.keys.filter { executing[$0]?.runID == runID }
        guard !keys.isEmpty else { return }
        for key in keys { fireCancelTrigger(key) }
        await withCheckedContinuation { stopWaiters[runID, default: []].append($0) }
    }

    private func unitStopped(_ key: String, runID: String) {
        executing[key] = nil
        firedTriggers.remove(key)
        guard !executing.values.contains(where: { $0.runID == runID }) else { return }
        for waiter in stopWaiters.removeValue(forKey: runID) ?? [] { waiter.resume() }
    }

    /// Renews this worker's leases a few times per lease; a unit it no longer holds (taken over, or its run
    /// cancelled) is stopped here.
    private func renewLeases() async {
        while !Task.isCancelled {
            try? await timeline.sleep(for: lease / 3)
            guard !Task.isCancelled else { return }
            let until = Self.milliseconds(now()) + Int64(lease.milliseconds)
            guard let held = try? await store.renewLeases(owner: owner, until: until) else { continue }
            let heldKeys = Set(held.map(Self.key))
            for key in executing.keys where !heldKeys.contains(key) { fireCancelTrigger(key) }
        }
    }

    // MARK: Execution

    private func execute(_ unit: WorkUnit) async {
        let key = Self.key(unit)
        running += 1
        metrics.units.record(running)
        defer {
            running -= 1
            metrics.units.record(running)
            unitStopped(key, runID: unit.runID)
        }
        do {
            guard let run = try await store.run(id: unit.runID), run.status.isActive else { return }
            let spec = try BenchSpec.parse(run.spec)
            try await store.markStarted(runID: unit.runID, at: now())
            let results = StoreRunResults(store: store, runID: unit.runID) { batch in
                await self.committed(unit.runID, batch)
            }
            let previous =
                unit.step < spec.steps.count
                ? try await store.records(runID: unit.runID, target: unit.target, step: unit.step) : []
            let benchmark = BenchmarkRun(
                spec: spec, engine: engine, outputDirectory: nil,
                resumption: previous.isEmpty ? nil : .init(after: previous))
            try await withCancelTrigger(key) {
                try await benchmark.execute(target: unit.target, unit: unit.step, into: results)
            }
            guard try await store.finishUnit(runID: unit.runID, index: unit.index, owner: owner) else { return }
            if try await store.units(runID: unit.runID).allSatisfy({ $0.status == .done }) {
                let report = try await benchmark.report(from: results)
                try await store.saveReport(runID: unit.runID, report: APIJSON.encoder(pretty: true).encode(report))
                try await finish(unit.runID, .succeeded)
            }
        } catch is CancellationError {
            // Cancelled, taken over, or shutting down: what finished is stored; the store says what happens next.
            if let done = try? await store.recordCount(runID: unit.runID) {
                try? await store.updateProgress(runID: unit.runID, done: done)
            }
        } catch {
            let message = (error as? SpecError).map { "invalid spec: \($0)" } ?? String(describing: error)
            try? await finish(unit.runID, .failed, error: message)
        }
    }

    /// Runs `body`, cancelling it when the unit's trigger fires (run cancelled, lease lost).
    private func withCancelTrigger(_ key: String, _ body: @Sendable @escaping () async throws -> Void) async throws {
        try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask {
                try await body()
                return true
            }
            group.addTask {
                await self.waitForCancelTrigger(key)
                return false
            }
            defer { group.cancelAll() }
            var outcome: Result<Void, any Error> = .failure(CancellationError())
            while let next = await group.nextResult() {
                switch next {
                case .success(true):
                    outcome = .success(())
                    fireCancelTrigger(key)  // lets the waiting child end
                case .success(false):
                    group.cancelAll()  // the trigger fired: stop the unit
                case .failure(let error):
                    outcome = .failure(error)
                    fireCancelTrigger(key)
                }
            }
            try outcome.get()
        }
    }

    private func waitForCancelTrigger(_ key: String) async {
        if firedTriggers.contains(key) { return }
        await withCheckedContinuation { cancelTriggers[key] = $0 }
    }

    private func fireCancelTrigger(_ key: String) {
        if let trigger = cancelTriggers.removeValue(forKey: key) {
            trigger.resume()
        } else {
            firedTriggers.insert(key)
        }
    }

    private func finish(_ id: String, _ status: RunStatus, error: String? = nil) async throws {
        try await store.finishRun(
            id: id, status: status, error: error, done: try await store.recordCount(runID: id), at: now())
        lastProgressWrite[id] = nil
    }

    /// A batch of records is stored: count it and write the run's progress at most twice a second.
    private func committed(_ id: String, _ batch: [RequestRecord]) async {
        metrics.requests.increment(by: batch.count)
        for record in batch where record.outcome == .failed {
            if let kind = record.error?.kind { metrics.failed(kind) }
        }
        let now = timeline.now()
        if let last = lastProgressWrite[id], now - last < .milliseconds(500) { return }
        lastProgressWrite[id] = now
        if let done = try? await store.recordCount(runID: id) {
            try? await store.updateProgress(runID: id, done: done)
        }
    }

    static func key(_ unit: WorkUnit) -> String { "\(unit.runID)#\(unit.index)" }

    static func milliseconds(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }
}
