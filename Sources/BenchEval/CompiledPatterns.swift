import Foundation
import Synchronization

/// Regular expressions compiled once per pattern and kept for the process. Answer filters, judge-verdict reading and
/// the toxicity rules run the same few patterns on every answer of an evaluation, and compiling one (ICU parses it
/// and builds its character classes) cost more than everything else an item needs: a fifth of the client's CPU
/// per item in `perf record` of `scripts/bench-eval` before this cache (docs/PERFORMANCE.md). Compiled expressions
/// are immutable and safe to share; the lock only guards the table.
enum CompiledPatterns {
    private struct Key: Hashable {
        var pattern: String
        var options: UInt
    }

    /// `NSRegularExpression` is immutable once made; it is shared read-only.
    private struct Compiled: @unchecked Sendable {
        let regex: NSRegularExpression?
    }

    private static let table = Mutex<[Key: Compiled]>([:])

    /// The compiled `pattern`, nil when it is not a valid expression.
    static func regex(_ pattern: String, options: NSRegularExpression.Options = []) -> NSRegularExpression? {
        let key = Key(pattern: pattern, options: options.rawValue)
        if let known = table.withLock({ $0[key] }) { return known.regex }
        let compiled = Compiled(regex: try? NSRegularExpression(pattern: pattern, options: options))
        table.withLock { $0[key] = compiled }
        return compiled.regex
    }
}
