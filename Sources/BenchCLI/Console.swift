import Foundation

/// Writes lines to standard output and standard error.
enum Console {
    static func info(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    static func error(_ line: String) {
        FileHandle.standardError.write(Data(("llmbench: " + line + "\n").utf8))
    }
}
