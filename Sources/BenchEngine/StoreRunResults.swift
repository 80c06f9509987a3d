public import BenchCore
public import BenchEval
public import BenchStore
import Foundation

/// A service run's results in the store: records written as they complete, with group commit (the first waiting
/// append writes every record that arrived meanwhile in one transaction, and each append returns only once its own
/// record is stored), and quality results one by one. A kill after an append has returned loses nothing.
public actor StoreRunResults: RunResults {
    let store: any RunStore
    let runID: String
    /// Told about every committed batch (progress, events).
    let onCommitted: @Sendable ([RequestRecord]) async -> Void

    private var pending: [RequestRecord] = []
    private var nextTicket = 0
    private var writing = false
    private var waiters: [(ticket: Int, continuation: CheckedContinuation<Void, any Error>)] = []

    public init(
        store: any RunStore, runID: String, onCommitted: @escaping @Sendable ([RequestRecord]) async -> Void = { _ in }
    ) {
        self.store = store
        self.runID = runID
        self.onCommitted = onCommitted
    }

    public func append(_ record: RequestRecord) async throws {
        let ticket = nextTicket
        nextTicket += 1
        pending.append(record)
        if writing {
            try await withCheckedThrowingContinuation { waiters.append((ticket, $0)) }
            return
        }
        writing = true
        defer { writing = false }
        while !pending.isEmpty {
            let batch = pending
            pending = []
            let through = nextTicket - 1
            do {
                try await store.appendRecords(runID: runID, batch)
            } catch {
                // Nothing queued behind a failed write can be stored either: every waiter learns of it.
                pending = []
                resume(through: .max, with: .failure(error))
                throw error
            }
            resume(through: through, with: .success(()))
            await onCommitted(batch)
        }
    }

    public func records(target: String, step: Int) async throws -> [RequestRecord] {
        try await store.records(runID: runID, target: target, step: step)
    }

    public func appendQuality(_ result: EvalItemResult, target: String, task: Int) async throws {
        try await store.appendQualityResults(
            runID: runID, target: target, task: task,
            [StoredQualityResult(key: result.key, json: try JSONEncoder().encode(result))])
    }

    public func qualityResults(target: String, task: Int) async throws -> [EvalItemResult] {
        try await store.qualityResults(runID: runID, target: target, task: task).map {
            try JSONDecoder().decode(EvalItemResult.self, from: $0)
        }.sorted { ($0.itemID, $0.repeatIndex) < ($1.itemID, $1.repeatIndex) }
    }

    private func resume(through ticket: Int, with result: Result<Void, any Error>) {
        let ready = waiters.filter { $0.ticket <= ticket }
        waiters.removeAll { $0.ticket <= ticket }
        for waiter in ready { waiter.continuation.resume(with: result) }
    }
}
