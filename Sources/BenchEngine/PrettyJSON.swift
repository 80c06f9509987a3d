import Foundation

/// The JSON files llmbench writes for people and tools to read (`report.json`, `summary.json`, `paired.json`, …):
/// pretty-printed with sorted keys, so they read and diff well, and written atomically.
enum PrettyJSON {
    static func write(_ value: some Encodable, to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(value).write(to: url, options: .atomic)
    }
}
