import BenchEngine
import BenchCore
import BenchReport
import BenchStore
import Foundation

/// Follows a run through the store — wherever its workers run — and turns what changes into ``RunEvent``s: the
/// run's state first and on every change, each record as it is stored, each step's summary as its unit finishes,
/// and the run's final state last.
struct RunEventsFollower: Sendable {
    let service: any RunService
    let runID: String
    var interval: Duration = .milliseconds(200)

    /// Emits events until the run ends (or the task is cancelled: the client went away).
    /// - Parameter after: the storage position of the last record the client has (its `Last-Event-ID`).
    func follow(after: Int64 = 0, _ emit: (RunEvent) async throws -> Void) async throws {
        var lastRun: StoredRun?
        var position = after
        var finishedUnits: Set<Int> = []
        var spec: BenchSpec?
        let store = service.store
        while !Task.isCancelled {
            guard let run = try await store.run(id: runID) else { return }
            // Records first, so that they come before the final state.
            while true {
                let page = try await store.recordsStored(runID: runID, after: position, limit: 1)
                guard let record = page.records.first else { break }
                position = page.last
                try await emit(.request(record, position: position))
            }
            for unit in try await store.units(runID: runID) where unit.status == .done {
                guard finishedUnits.insert(unit.index).inserted else { continue }
                if spec == nil { spec = try? BenchSpec.parse(run.spec) }
                guard let spec else { continue }
                let records = try await store.records(runID: runID, target: unit.target, step: unit.step)
                if let step = service.stepReport(spec, target: unit.target, step: unit.step, records: records) {
                    try await emit(.step(target: unit.target, step))
                }
            }
            if run != lastRun {
                try await emit(.status(run))
                lastRun = run
            }
            if !run.status.isActive { return }
            try await Task.sleep(for: interval)
        }
    }
}
