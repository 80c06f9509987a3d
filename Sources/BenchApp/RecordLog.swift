import BenchCore
import Foundation

/// Collects a run's records in memory and appends each one to `records.jsonl` as it completes, so a crash or kill
/// loses no finished request.
actor RecordLog: RecordSink {
    private var records: [RequestRecord] = []
    private let file: JSONLinesFile?

    /// - Parameter url: the JSONL file to create (truncating any old one), or nil to keep records in memory only.
    init(url: URL?) throws {
        file = try url.map(JSONLinesFile.init(url:))
    }

    func append(_ record: RequestRecord) {
        records.append(record)
        file?.append(record)
    }

    /// Records of one target's step, in request-id order.
    func records(target: String, step: Int) -> [RequestRecord] {
        records.filter { $0.target == target && $0.step == step }.sorted { $0.id < $1.id }
    }

    func close() {
        file?.close()
    }
}
