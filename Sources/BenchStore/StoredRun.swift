public import Foundation

/// Where a run is in its life.
public enum RunStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// Accepted, waiting for a worker.
    case queued
    /// Being executed (or was, when the process died: it resumes at the next start).
    case running
    /// Finished; its report is stored.
    case succeeded
    /// Ended by an error that was not a request failure (invalid spec found late, storage failure).
    case failed
    /// Stopped on request; finished records are kept.
    case cancelled

    /// Whether the run can still change.
    public var isActive: Bool { self == .queued || self == .running }
}

/// A run as stored: its spec as submitted, where it stands, and its report once done.
public struct StoredRun: Sendable, Hashable, Codable {
    public var id: String
    public var status: RunStatus
    /// The spec document as submitted (JSON). It names key variables, never keys.
    public var spec: String
    /// Target names of the spec, for filtering.
    public var targets: [String]
    public var createdAt: Date
    public var startedAt: Date?
    public var finishedAt: Date?
    /// Requests finished so far, and the total when known.
    public var done: Int
    public var total: Int?
    /// Why the run failed, when it did.
    public var error: String?

    public init(
        id: String, status: RunStatus = .queued, spec: String, targets: [String], createdAt: Date = Date(),
        startedAt: Date? = nil, finishedAt: Date? = nil, done: Int = 0, total: Int? = nil, error: String? = nil
    ) {
        self.id = id
        self.status = status
        self.spec = spec
        self.targets = targets
        self.createdAt = createdAt
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.done = done
        self.total = total
        self.error = error
    }

    /// A new run id: `run_` and 20 random base-32 characters (100 bits).
    public static func newID() -> String {
        let alphabet = Array("0123456789abcdefghjkmnpqrstvwxyz")
        var generator = SystemRandomNumberGenerator()
        return "run_" + String((0..<20).map { _ in alphabet[Int(generator.next() % 32)] })
    }
}

/// A saved model endpoint: a name and its definition (the spec's target object, as JSON). Keys are referenced by
/// environment-variable name only.
public struct StoredTarget: Sendable, Hashable, Codable {
    public var name: String
    /// The target's spec object (JSON).
    public var definition: String
    public var createdAt: Date
    public var updatedAt: Date

    public init(name: String, definition: String, createdAt: Date = Date(), updatedAt: Date = Date()) {
        self.name = name
        self.definition = definition
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// A page of a listing and the cursor of the next one (nil on the last page).
public struct Page<Item: Sendable>: Sendable {
    public var items: [Item]
    public var next: String?

    public init(items: [Item], next: String?) {
        self.items = items
        self.next = next
    }
}

/// Errors a store reports to its callers.
public enum StoreError: Error, Hashable, CustomStringConvertible {
    case notFound(String)
    case conflict(String)
    case invalidCursor(String)
    case database(String)

    public var description: String {
        switch self {
        case .notFound(let what): "not found: \(what)"
        case .conflict(let what): "conflict: \(what)"
        case .invalidCursor(let cursor): "invalid page cursor \"\(cursor)\""
        case .database(let message): "database error: \(message)"
        }
    }
}

/// One quality result as the store keeps it: its key (item and repeat) and its JSON.
public struct StoredQualityResult: Sendable, Hashable {
    public var key: String
    public var json: Data

    public init(key: String, json: Data) {
        self.key = key
        self.json = json
    }
}

/// A benchmark the service runs on a schedule (`/v1/schedules`), and when it last fired.
public struct StoredSchedule: Sendable, Hashable, Codable {
    public var name: String
    /// The schedule's definition (JSON: spec, interval, thresholds).
    public var definition: String
    public var createdAt: Date
    public var updatedAt: Date
    /// When its last run was started; nil before the first.
    public var lastRunAt: Date?

    /// A schedule; see the properties.
    public init(
        name: String, definition: String, createdAt: Date = Date(), updatedAt: Date = Date(), lastRunAt: Date? = nil
    ) {
        self.name = name
        self.definition = definition
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.lastRunAt = lastRunAt
    }
}
