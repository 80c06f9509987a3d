public import BenchCore
import BenchEngine
import BenchMetrics
public import BenchReport
public import BenchStore
import Foundation
import HTTPTypes

/// What a run's event stream (`GET /v1/runs/{id}/events`) carries.
public enum RunEvent: Sendable {
    /// The run's state: on subscription, on every change, and last of all its final state.
    case status(StoredRun)
    /// A request finished and its record is stored; `position` is its place in the run's storage order (the
    /// event's id, which a reconnecting client sends back as `Last-Event-ID`).
    case request(RequestRecord, position: Int64)
    /// A load step finished: its summary.
    case step(target: String, BenchmarkReport.Step)

    /// The SSE event name.
    public var name: String {
        switch self {
        case .status(let run): run.status.isActive ? "status" : run.status.rawValue
        case .request: "request"
        case .step: "step"
        }
    }

    /// The event as one server-sent event (`event:` and one `data:` line of JSON).
    public func serverSentEvent() throws -> String {
        let encoder = APIJSON.encoder()
        let data: Data
        switch self {
        case .status(let run): data = try encoder.encode(RunView(run))
        case .request(let record, _): data = try encoder.encode(RequestView(record))
        case .step(let target, let step): data = try encoder.encode(StepView(target: target, step: step))
        }
        var id = ""
        if case .request(_, let position) = self { id = "id: \(position)\n" }
        return "\(id)event: \(name)\ndata: \(String(decoding: data, as: UTF8.self))\n\n"
    }

}

/// A request as the event stream shows it: identity, outcome and headline timings.
struct RequestView: Encodable {
    var id: Int
    var target: String
    var step: Int
    var outcome: String
    var ttftMs: Double?
    var e2eMs: Double?
    var outputTokens: Int
    var error: String?

    init(_ record: RequestRecord) {
        id = record.id
        target = record.target
        step = record.step
        outcome = record.outcome.rawValue
        if let dispatched = record.dispatchedAt {
            ttftMs = record.firstTokenAt.map { ($0 - dispatched).milliseconds }
            e2eMs = (record.endedAt - dispatched).milliseconds
        }
        outputTokens = record.outputTokens
        error = record.error?.description
    }

    enum CodingKeys: String, CodingKey {
        case id, target, step, outcome
        case ttftMs = "ttft_ms"
        case e2eMs = "e2e_ms"
        case outputTokens = "output_tokens"
        case error
    }
}

struct StepView: Encodable {
    var target: String
    var step: BenchmarkReport.Step
}

/// A run as the API shows it.
struct RunView: Encodable {
    var id: String
    var url: String
    var status: String
    var targets: [String]
    var createdAt: Date
    var startedAt: Date?
    var finishedAt: Date?
    var progress: Progress
    var error: String?

    struct Progress: Encodable {
        var done: Int
        var total: Int?
    }

    init(_ run: StoredRun) {
        id = run.id
        url = "/v1/runs/\(run.id)"
        status = run.status.rawValue
        targets = run.targets
        createdAt = run.createdAt
        startedAt = run.startedAt
        finishedAt = run.finishedAt
        progress = Progress(done: run.done, total: run.total)
        error = run.error
    }

    enum CodingKeys: String, CodingKey {
        case id, url, status, targets
        case createdAt = "created_at"
        case startedAt = "started_at"
        case finishedAt = "finished_at"
        case progress, error
    }
}
