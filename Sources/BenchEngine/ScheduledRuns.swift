public import BenchCore
public import BenchStore
public import Foundation

/// Scheduled benchmarks (monitoring): each schedule's spec is submitted every `every_s` seconds, each firing
/// claimed in the store first so that one server of several fires it.
public struct ScheduledRuns: Sendable {
    /// What a schedule runs and how its runs are compared (stored as the schedule's definition).
    public struct Definition: Codable, Sendable {
        public var spec: JSONValue
        public var everyS: Double
        public var changeThreshold: Double

        public init(spec: JSONValue, everyS: Double, changeThreshold: Double) {
            self.spec = spec
            self.everyS = everyS
            self.changeThreshold = changeThreshold
        }

        enum CodingKeys: String, CodingKey {
            case spec
            case everyS = "every_s"
            case changeThreshold = "change_threshold"
        }

        /// The definition a stored schedule holds.
        public init(_ schedule: StoredSchedule) throws {
            self = try JSONDecoder().decode(Definition.self, from: Data(schedule.definition.utf8))
        }
    }

    public let queue: RunQueue
    /// How often due schedules are looked for.
    public let tick: Duration

    public init(queue: RunQueue, tick: Duration) {
        self.queue = queue
        self.tick = tick
    }

    /// Starts a run of every schedule that is due (never fired, or fired `every_s` ago or more). One schedule's
    /// failure (a saved target deleted since, a store error) does not hold up the others.
    /// - Returns: the runs started.
    @discardableResult
    public func fireDue(now: Date = Date()) async throws -> [String] {
        let store = queue.store
        var started: [String] = []
        for schedule in try await store.listSchedules() {
            guard let definition = try? Definition(schedule),
                try await store.claimScheduleFiring(
                    name: schedule.name, lastFiredNotAfter: now.addingTimeInterval(-definition.everyS), at: now)
            else { continue }
            do {
                let run = try await queue.submit(definition.spec)
                try await store.addScheduleRun(name: schedule.name, runID: run.id, at: now)
                started.append(run.id)
            } catch {
                continue
            }
        }
        return started
    }

    /// Fires due schedules every ``tick`` until cancelled.
    public func run() async {
        while !Task.isCancelled {
            _ = try? await fireDue()
            do { try await Task.sleep(for: tick) } catch { return }
        }
    }
}
