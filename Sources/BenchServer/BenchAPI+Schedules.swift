import BenchEngine
import BenchCore
import BenchReport
import BenchStore
import Foundation
import Hummingbird

/// Scheduled benchmarks (monitoring): a spec run every `every_s` seconds, and what changed from run to run.
extension BenchAPI {
    typealias ScheduleDefinition = ScheduledRuns.Definition

    /// A schedule as the API shows it.
    struct ScheduleView: Encodable {
        var name: String
        var spec: JSONValue
        var everyS: Double
        var changeThreshold: Double
        var createdAt: Date
        var lastRunAt: Date?
        var nextRunAt: Date

        init(_ schedule: StoredSchedule, _ definition: ScheduleDefinition) {
            name = schedule.name
            spec = definition.spec
            everyS = definition.everyS
            changeThreshold = definition.changeThreshold
            createdAt = schedule.createdAt
            lastRunAt = schedule.lastRunAt
            nextRunAt = schedule.lastRunAt.map { $0.addingTimeInterval(definition.everyS) } ?? schedule.createdAt
        }

        enum CodingKeys: String, CodingKey {
            case name, spec
            case everyS = "every_s"
            case changeThreshold = "change_threshold"
            case createdAt = "created_at"
            case lastRunAt = "last_run_at"
            case nextRunAt = "next_run_at"
        }
    }

    /// A schedule with its recent runs, the changes of its latest finished run and the drift of its answers.
    struct ScheduleDetail: Encodable {
        var schedule: ScheduleView
        var runs: [RunView]
        /// The run the changes describe, and how many earlier runs formed the baseline.
        var latestRun: String?
        var baselineRuns: Int
        var changes: [MetricChange]
        var drift: [DriftSignal]
        /// Flagged changes and drift alerts, in words.
        var alerts: [String]

        func encode(to encoder: any Encoder) throws {
            try schedule.encode(to: encoder)
            var container = encoder.container(keyedBy: Key.self)
            try container.encode(runs, forKey: .runs)
            try container.encodeIfPresent(latestRun, forKey: .latestRun)
            try container.encode(baselineRuns, forKey: .baselineRuns)
            try container.encode(changes, forKey: .changes)
            try container.encode(drift, forKey: .drift)
            try container.encode(alerts, forKey: .alerts)
        }

        enum Key: String, CodingKey {
            case runs, changes, drift, alerts
            case latestRun = "latest_run"
            case baselineRuns = "baseline_runs"
        }
    }

    /// The longest interval a schedule may have: a year, in seconds.
    static let longestScheduleInterval: Double = 365 * 24 * 3600

    /// Previous successful runs that form a schedule's baseline.
    static let baselineRuns = 5

    /// `POST /v1/schedules`: `{"name", "spec", "every_s", "change_threshold"}`; the spec is checked as a run's.
    func createSchedule(_ request: Request) async throws -> Response {
        let fields = try await jsonObject(
            request, expected: "expected a JSON object: {\"name\", \"spec\", \"every_s\"}")
        guard case .string(let name)? = fields["name"], Self.isScheduleName(name) else {
            throw Problem(
                .unprocessableContent, "expected a name of 1–64 letters, digits, '.', '_' or '-'", field: "/name")
        }
        guard let every = fields["every_s"]?.number, every >= configuration.minScheduleInterval,
            every <= Self.longestScheduleInterval
        else {
            throw Problem(
                .unprocessableContent,
                "expected a number of seconds from \(NumberFormatting.value(configuration.minScheduleInterval)) to "
                    + "\(Int(Self.longestScheduleInterval)) (a year)",
                field: "/every_s")
        }
        let threshold = fields["change_threshold"]?.number ?? ChangeDetection.defaultThreshold
        guard threshold > 0, threshold <= 10 else {
            throw Problem(.unprocessableContent, "expected a share above 0 and at most 10", field: "/change_threshold")
        }
        guard let spec = fields["spec"], case .object = spec else {
            throw Problem(.unprocessableContent, "expected the spec to run, as an object", field: "/spec")
        }
        _ = try await Problem.unprocessable(pointer: { "/spec" + $0 }) { try await service.validated(spec) }
        if try await store.schedule(name: name) != nil {
            throw Problem(.conflict, "a schedule named \"\(name)\" exists; delete it first")
        }
        let definition = ScheduleDefinition(spec: spec, everyS: every, changeThreshold: threshold)
        let saved = StoredSchedule(
            name: name, definition: String(decoding: try APIJSON.encoder().encode(definition), as: UTF8.self))
        try await store.saveSchedule(saved)
        return try Self.json(
            ScheduleView(saved, definition), status: .created, headers: [.location: "/v1/schedules/\(name)"])
    }

    func listSchedules() async throws -> Response {
        let views = try await store.listSchedules().map { ScheduleView($0, try Self.definition($0)) }
        return try Self.json(["items": views])
    }

    func getSchedule(_ context: BasicRequestContext) async throws -> Response {
        let name = try context.parameters.require("name")
        guard let schedule = try await store.schedule(name: name) else { throw Problem.notFound("schedule \(name)") }
        let definition = try Self.definition(schedule)
        var runs: [StoredRun] = []
        for id in try await store.scheduleRuns(name: name, limit: 20) {
            if let run = try await store.run(id: id) { runs.append(run) }
        }
        // The newest finished run against the finished runs before it.
        var reports: [(run: StoredRun, report: BenchmarkReport)] = []
        for run in runs where run.status == .succeeded {
            guard reports.count <= Self.baselineRuns, let data = try await store.report(runID: run.id),
                let report = try? JSONDecoder().decode(BenchmarkReport.self, from: data)
            else { continue }
            reports.append((run, report))
        }
        var changes: [MetricChange] = []
        var drift: [DriftSignal] = []
        if let latest = reports.first {
            changes = ChangeDetection.changes(
                latest: latest.report, previous: reports.dropFirst().map(\.report),
                threshold: definition.changeThreshold)
            if reports.count > 1 {
                let now = try await store.records(runID: latest.run.id, afterRequestID: nil, limit: 100_000)
                let before = try await store.records(runID: reports[1].run.id, afterRequestID: nil, limit: 100_000)
                drift = latest.report.targets.compactMap { DriftSignal(target: $0.name, latest: now, previous: before) }
            }
        }
        let alerts =
            changes.filter(\.flagged).map {
                "\($0.target) \($0.step): \($0.metric) \($0.verdict) "
                    + "\(Int(($0.relativeChange * 100).rounded())) % (\(NumberFormatting.value($0.baseline)) → \(NumberFormatting.value($0.latest)))"
            }
            + drift.filter(\.alert).map {
                "\($0.target): \($0.changedAnswers) of \($0.comparedPrompts) answers changed since the previous run — the model behind the name may have changed"
            }
        return try Self.json(
            ScheduleDetail(
                schedule: ScheduleView(schedule, definition), runs: runs.map(RunView.init),
                latestRun: reports.first?.run.id, baselineRuns: max(0, reports.count - 1), changes: changes,
                drift: drift, alerts: alerts))
    }

    func deleteSchedule(_ context: BasicRequestContext) async throws -> Response {
        let name = try context.parameters.require("name")
        guard try await store.deleteSchedule(name: name) else { throw Problem.notFound("schedule \(name)") }
        return Response(status: .noContent)
    }

    static func definition(_ schedule: StoredSchedule) throws -> ScheduleDefinition {
        try ScheduleDefinition(schedule)
    }

    static func isScheduleName(_ name: String) -> Bool {
        (1...64).contains(name.count)
            && name.unicodeScalars.allSatisfy {
                CharacterSet.alphanumerics.contains($0) && $0.isASCII || ".-_".unicodeScalars.contains($0)
            }
    }
}
