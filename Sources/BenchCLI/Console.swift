import BenchEngine
import Foundation

/// Writes lines to standard output and standard error.
enum Console {
    static func info(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    /// A logger that prefixes each line with the time elapsed since it was made. On a terminal, the ticks of long
    /// work ("building… 45 %, about 2m left", "downloading…") redraw one live line with a bar instead of scrolling.
    static func timestamped() -> @Sendable (String) -> Void {
        let start = ContinuousClock.now
        let live = isTerminal(FileHandle.standardOutput)
        return { line in
            let seconds = Int((ContinuousClock.now - start).components.seconds)
            let stamped = String(format: "[%3d:%02d] ", seconds / 60, seconds % 60) + line
            if live, line.contains("…") {
                let bar = percent(in: line).map { " " + TextBar.render(fraction: $0 / 100, width: 20) } ?? ""
                FileHandle.standardOutput.write(Data(("\r\u{1B}[2K" + stamped + bar).utf8))
            } else {
                info((live ? "\r\u{1B}[2K" : "") + stamped)
            }
        }
    }

    /// The first "NN %" in a line.
    static func percent(in line: String) -> Double? {
        guard let sign = line.range(of: " %") else { return nil }
        return line[..<sign.lowerBound].split(separator: " ").last.flatMap { Double($0) }
    }

    /// `value` as readable JSON with sorted keys.
    static func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// Whether `handle` is a terminal (progress bars and colour are for people, not log files).
    static func isTerminal(_ handle: FileHandle) -> Bool {
        isatty(handle.fileDescriptor) == 1
    }

    /// Colour for terminals only, and never when NO_COLOR is set (no-color.org).
    static let colours =
        isTerminal(FileHandle.standardOutput) && ProcessInfo.processInfo.environment["NO_COLOR"] == nil

    /// `text` in an ANSI colour when colours are on: green for good news, yellow for notes, red for failures.
    static func paint(_ text: String, _ colour: Colour) -> String {
        colours ? "\u{1B}[\(colour.rawValue)m\(text)\u{1B}[0m" : text
    }

    enum Colour: Int {
        case red = 31, green = 32, yellow = 33, bold = 1
    }

    /// A progress or note line on standard error (when standard output carries JSON).
    static func status(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// A run's log line, coloured by what it says: a step's summary green without failures, red with them; notes
    /// yellow.
    static func highlight(_ line: String) -> String {
        guard colours else { return line }
        if line.hasPrefix("  note:") { return paint(line, .yellow) }
        if line.hasPrefix("▶") { return paint(line, .bold) }
        if line.hasPrefix("  "), line.contains(" ok, "), let range = line.range(of: " failed") {
            let failed = line[..<range.lowerBound].split(separator: " ").last.flatMap { Int($0) } ?? 0
            return paint(line, failed == 0 ? .green : .red)
        }
        return line
    }

    static func error(_ line: String) {
        FileHandle.standardError.write(Data(("llmbench: " + line + "\n").utf8))
    }
}
