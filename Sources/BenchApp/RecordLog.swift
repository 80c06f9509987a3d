import BenchCore
import Foundation

/// Collects a run's records in memory and appends each one to `records.jsonl` as it completes, so a crash or kill
/// loses no finished request.
actor RecordLog: RecordSink {
    private var records: [RequestRecord] = []
    private let file: FileHandle?
    private let encoder: JSONEncoder

    /// - Parameter url: the JSONL file to create (truncating any old one), or nil to keep records in memory only.
    init(url: URL?) throws {
        encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        if let url {
            _ = FileManager.default.createFile(atPath: url.path, contents: nil)
            file = try FileHandle(forWritingTo: url)
        } else {
            file = nil
        }
    }

    func append(_ record: RequestRecord) {
        records.append(record)
        if let file, var line = try? encoder.encode(record) {
            line.append(UInt8(ascii: "\n"))
            file.write(line)
        }
    }

    /// Records of one target's step, in request-id order.
    func records(target: String, step: Int) -> [RequestRecord] {
        records.filter { $0.target == target && $0.step == step }.sorted { $0.id < $1.id }
    }

    func close() {
        try? file?.close()
    }
}
