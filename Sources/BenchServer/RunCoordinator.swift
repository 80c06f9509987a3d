public import BenchApp
public import BenchCore
import BenchEval
public import BenchReport
public import BenchStore
import Foundation

/// The worker: claims units of work (a target's load step) from the store, executes them, renews their leases, and
/// finishes a run — its report computed from the stored records — when its last unit is done. Any number of
/// workers, in `llmbench serve` or in `llmbench worker` processes on other machines, can share one PostgreSQL store:
/// a unit is held by one worker at a time, and a dead worker's unit returns to the queue when its lease ends and
/// resumes from its stored records.
public actor RunCoordinator {
    public let store: any RunStore
    public let maxConcurrentUnits: Int
    /// Where API-key variables are read from.
    public let environment: [String: String]
    /// This worker's name in the store.
    public let owner: String
    public let lease: Duration
    /// How often an idle worker looks for work.
    public let pollInterval: Duration
    /// Requests in flight per endpoint across this worker's units, when limited.
    public let endpointLimits: EndpointLimits?
    /// Whether ``run()`` first measures (or loads) the client's ceiling on this host.
    public let calibrate: Bool
    /// The client's ceiling on this host, written into the reports this worker finishes.
    public private(set) var clientCeiling: HarnessCeiling?

    private var cancelTriggers: [String: CheckedContinuation<Void, Never>] = [:]
    private var firedTriggers: Set<String> = []
    private var executing: [String: WorkUnit] = [:]
    /// Callers of ``cancelLocally(runID:)`` waiting for a run's units here to stop.
    private var stopWaiters: [String: [CheckedContinuation<Void, Never>]] = [:]
    private var lastProgressWrite: [String: ContinuousClock.Instant] = [:]
    public private(set) var counters = Counters()

    /// Totals since this worker started, for `/metrics`.
    public struct Counters: Sendable {
        public var requests = 0
        public var failedRequests: [ProviderError.Kind: Int] = [:]
        public var running = 0
    }

    public init(
        store: any RunStore, maxConcurrentUnits: Int, environment: [String: String], lease: Duration = .seconds(15),
        pollInterval: Duration = .milliseconds(200), owner: String? = nil, maxInFlightPerEndpoint: Int? = nil,
        calibrate: Bool = false
    ) {
        self.calibrate = calibrate
        endpointLimits = maxInFlightPerEndpoint.map(EndpointLimits.init(limit:))
        self.store = store
        self.maxConcurrentUnits = max(1, maxConcurrentUnits)
        self.environment = environment
        self.lease = lease
        self.pollInterval = pollInterval
        var generator = SystemRandomNumberGenerator()
        self.owner =
            owner
            ?? "\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier):\(String(generator.next() % 0xffff, radix: 16))"
    }

    /// Works until the task is cancelled (shutdown), then hands the units it holds back to the queue.
    public func run() async {
        if calibrate, maxConcurrentUnits > 0 {
            clientCeiling = try? await HarnessCalibration.cachedOrMeasured(environment: environment)
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
                let now = Self.milliseconds(Date())
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
                    try? await Task.sleep(for: pollInterval)
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
            try? await Task.sleep(for: lease / 3)
            guard !Task.isCancelled else { return }
            let until = Self.milliseconds(Date()) + Int64(lease.milliseconds)
            guard let held = try? await store.renewLeases(owner: owner, until: until) else { continue }
            let heldKeys = Set(held.map(Self.key))
            for key in executing.keys where !heldKeys.contains(key) { fireCancelTrigger(key) }
        }
    }

    // MARK: Execution

    private func execute(_ unit: WorkUnit) async {
        let key = Self.key(unit)
        counters.running += 1
        defer {
            counters.running -= 1
            unitStopped(key, runID: unit.runID)
        }
        do {
            guard let run = try await store.run(id: unit.runID), run.status.isActive else { return }
            let spec = try BenchSpec.parse(run.spec)
            try await store.markStarted(runID: unit.runID, at: Date())
            let sink = StoreRecordSink(store: store, runID: unit.runID) { batch in
                await self.committed(unit.runID, batch)
            }
            let quality = QualityRun(spec: spec, outputDirectory: nil, environment: environment, log: { _ in })
            let tasks = try quality.tasks()
            if unit.step >= spec.steps.count {
                try await executeQuality(unit, index: unit.step - spec.steps.count, tasks: tasks, quality: quality)
            } else {
                let previous = try await store.records(runID: unit.runID, target: unit.target, step: unit.step)
                let benchmark = BenchmarkRun(
                    spec: spec, outputDirectory: nil, environment: environment, sink: sink,
                    resumption: previous.isEmpty ? nil : .init(after: previous), sharedLimits: endpointLimits)
                try await withCancelTrigger(key) {
                    try await benchmark.execute(target: unit.target, step: unit.step)
                }
            }
            guard try await store.finishUnit(runID: unit.runID, index: unit.index, owner: owner) else { return }
            if try await store.units(runID: unit.runID).allSatisfy({ $0.status == .done }) {
                var finishing = BenchmarkRun(spec: spec, outputDirectory: nil, environment: environment)
                finishing.clientCeiling = clientCeiling
                var report = try await finishing.report(from: sink)
                var stored: [String: [[EvalItemResult]]] = [:]
                for target in spec.targets {
                    for index in tasks.indices {
                        stored[target.name, default: []].append(
                            try await storedQuality(unit.runID, target: target.name, task: index))
                    }
                }
                quality.assemble(tasks, results: { stored[$0]?[$1] ?? [] }, into: &report)
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

    /// Runs a target's quality task, resuming after the results the store holds; each result is stored as it
    /// completes.
    private func executeQuality(_ unit: WorkUnit, index: Int, tasks: [TaskDefinition], quality: QualityRun)
        async throws
    {
        guard let target = quality.spec.targets.first(where: { $0.name == unit.target }) else {
            throw SpecError("targets", "no target named \(unit.target)")
        }
        let done = try await storedQuality(unit.runID, target: unit.target, task: index)
        let store = self.store
        try await withCancelTrigger(Self.key(unit)) {
            _ = try await quality.execute(
                tasks[index], index: index, target: target, skip: Set(done.map(\.key)),
                onResult: { result in
                    try await store.appendQualityResults(
                        runID: unit.runID, target: unit.target, task: index,
                        [StoredQualityResult(key: result.key, json: try JSONEncoder().encode(result))])
                })
        }
    }

    /// The quality results stored for a target's task.
    private func storedQuality(_ runID: String, target: String, task: Int) async throws -> [EvalItemResult] {
        try await store.qualityResults(runID: runID, target: target, task: task).map {
            try JSONDecoder().decode(EvalItemResult.self, from: $0)
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
            id: id, status: status, error: error, done: try await store.recordCount(runID: id), at: Date())
        lastProgressWrite[id] = nil
    }

    /// A batch of records is stored: count it and write the run's progress at most twice a second.
    private func committed(_ id: String, _ batch: [RequestRecord]) async {
        counters.requests += batch.count
        for record in batch where record.outcome == .failed {
            if let kind = record.error?.kind { counters.failedRequests[kind, default: 0] += 1 }
        }
        let now = ContinuousClock.now
        if let last = lastProgressWrite[id], now - last < .milliseconds(500) { return }
        lastProgressWrite[id] = now
        if let done = try? await store.recordCount(runID: id) {
            try? await store.updateProgress(runID: id, done: done)
        }
    }

    static func key(_ unit: WorkUnit) -> String { "\(unit.runID)#\(unit.index)" }

    static func milliseconds(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }
}
