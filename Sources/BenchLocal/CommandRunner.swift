import BenchCore
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs external programs (pip, python, cmake) with their output appended to a log file, reporting progress while
/// they run.
enum CommandRunner {
    /// The first executable called `name` on `PATH`.
    static func which(_ name: String) -> URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(directory)).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }

    /// Runs a program to completion (see ``ChildProcess`` for why not Foundation's `Process`). Cancelling the
    /// calling task terminates the program.
    /// - Parameters:
    ///   - log: output (stdout and stderr) is appended here.
    ///   - onTick: called about once a second with the elapsed time and the log's last line.
    /// - Returns: the exit status.
    static func run(
        _ executable: URL, _ arguments: [String], log: URL,
        onTick: (@Sendable (Duration, String) -> Void)? = nil
    ) async throws -> Int32 {
        try FileManager.default.createDirectory(at: log.deletingLastPathComponent(), withIntermediateDirectories: true)
        let child = try ChildProcess.spawn(executable, arguments, log: log)
        let start = ContinuousClock.now
        var lastTick = start
        do {
            while true {
                if let status = child.exitStatus() { return status }
                try await Task.sleep(for: .milliseconds(100))
                if let onTick, ContinuousClock.now - lastTick >= .seconds(1) {
                    lastTick = .now
                    onTick(lastTick - start, lastLine(of: log))
                }
            }
        } catch {
            child.terminate()
            throw error
        }
    }

    /// The last non-empty line of a text file (reads at most its last 4 KB).
    static func lastLine(of file: URL) -> String {
        guard let handle = try? FileHandle(forReadingFrom: file) else { return "" }
        defer { try? handle.close() }
        let size = handle.seekToEndOfFile()
        handle.seek(toFileOffset: size > 4096 ? size - 4096 : 0)
        let text = String(decoding: handle.readDataToEndOfFile(), as: UTF8.self)
        return text.split(whereSeparator: \.isNewline).last.map(String.init) ?? ""
    }

    /// The last `count` lines of a text file, for error messages.
    static func tail(of file: URL, lines count: Int) -> String {
        guard let text = try? String(contentsOf: file, encoding: .utf8) else { return "" }
        return text.split(whereSeparator: \.isNewline).suffix(count).joined(separator: "\n")
    }
}
