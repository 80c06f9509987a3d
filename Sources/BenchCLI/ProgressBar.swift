import BenchEngine
import Foundation

/// A live progress line for a running step on standard error — bar, requests done, failures, time left — redrawn at
/// most ten times a second, and only when standard error is a terminal (a log file gets the plain lines).
actor ProgressBar {
    private var lastDraw = ContinuousClock.now - .seconds(1)
    private var drawn = false
    let enabled: Bool

    init(enabled: Bool = Console.isTerminal(FileHandle.standardError)) {
        self.enabled = enabled
    }

    func update(_ progress: BenchmarkRun.StepProgress) {
        guard enabled, ContinuousClock.now - lastDraw >= .milliseconds(100) else { return }
        lastDraw = ContinuousClock.now
        drawn = true
        FileHandle.standardError.write(Data(("\r\u{1B}[2K" + progress.bar()).utf8))
    }

    /// Clears the line at the end of the run.
    func clear() {
        guard enabled, drawn else { return }
        drawn = false
        Self.clearLine()
    }

    /// Clears the terminal's current line (before a log line is written over the bar; the next update redraws it).
    nonisolated static func clearLine() {
        FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8))
    }
}
