import BenchCore
import Foundation

/// How long each phase of a command took, in the order they ran: "install 0:03 · server start 0:01 · … · total 2:31".
struct PhaseTimes: Sendable {
    private(set) var phases: [(name: String, duration: Duration)] = []
    private var mark = ContinuousClock.now
    private let start = ContinuousClock.now

    /// Ends the phase that began at the previous mark (or at creation) and names it.
    mutating func end(_ name: String) {
        let now = ContinuousClock.now
        phases.append((name, now - mark))
        mark = now
    }

    /// One line: each phase's time, then the total since creation.
    var summary: String {
        (phases.map { "\($0.name) \(Self.clock($0.duration))" } + ["total \(Self.clock(ContinuousClock.now - start))"])
            .joined(separator: " · ")
    }

    /// m:ss, whole seconds rounded.
    static func clock(_ duration: Duration) -> String {
        let seconds = Int(duration.seconds.rounded())
        return "\(seconds / 60):" + String(format: "%02d", seconds % 60)
    }
}
