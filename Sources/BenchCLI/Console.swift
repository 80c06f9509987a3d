import Foundation

/// Writes lines to standard output and standard error.
enum Console {
    static func info(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    /// A logger that prefixes each line with the time elapsed since it was made.
    static func timestamped() -> @Sendable (String) -> Void {
        let start = ContinuousClock.now
        return { line in
            let seconds = Int((ContinuousClock.now - start).components.seconds)
            info(String(format: "[%3d:%02d] ", seconds / 60, seconds % 60) + line)
        }
    }

    /// `value` as readable JSON with sorted keys.
    static func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func error(_ line: String) {
        FileHandle.standardError.write(Data(("llmbench: " + line + "\n").utf8))
    }
}
