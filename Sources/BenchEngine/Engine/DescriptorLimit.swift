#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The process's open-file limit (`RLIMIT_NOFILE`), which caps how many connections the harness can hold open: each
/// stream is one descriptor. The engine raises the soft limit to the hard one when it starts, as servers do, so a
/// run of thousands of streams is not refused by a default of 1,024; what the hard limit still forbids is said in
/// the report, not discovered as "Too many open files" failures.
public struct DescriptorLimit: Sendable, Hashable {
    /// The limit in force after raising, and the ceiling only a privileged process can lift.
    public var soft: Int
    public var hard: Int

    /// Descriptors kept for everything but connections: the standard streams, the records file, the store, logs,
    /// the event loops' own.
    public static let reserve = 64

    public init(soft: Int, hard: Int) {
        self.soft = soft
        self.hard = hard
    }

    /// The connections the limit leaves room for.
    public var connections: Int { max(0, soft - Self.reserve) }

    /// Raises the soft limit to the hard one (capped at `cap`; an unlimited hard limit is taken as `cap`), keeping
    /// the current limit when the system refuses, and returns the limit in force.
    @discardableResult
    public static func raised(cap: Int = 1 << 20) -> DescriptorLimit {
        var limit = rlimit()
        guard getrlimit(resourceNumber, &limit) == 0 else { return DescriptorLimit(soft: 1_024, hard: 1_024) }
        let hard = limit.rlim_max == unlimited ? cap : Int(clamping: limit.rlim_max)
        let current = limit.rlim_cur == unlimited ? cap : Int(clamping: limit.rlim_cur)
        let wanted = min(hard, cap)
        if wanted > current {
            limit.rlim_cur = rlim_t(wanted)
            if setrlimit(resourceNumber, &limit) == 0 { return DescriptorLimit(soft: wanted, hard: hard) }
        }
        return DescriptorLimit(soft: current, hard: hard)
    }

    /// A report note when `connections` (what a run may open) do not fit: the limit, what is needed, and the fix.
    public func note(forConnections connections: Int) -> String? {
        guard connections > self.connections else { return nil }
        let needed = connections + Self.reserve
        return
            "the open-file limit is \(soft) (hard \(hard)): room for about \(self.connections) connections, and this run may open \(connections); streams beyond it fail with \"Too many open files\". Raise it before starting llmbench (`ulimit -n \(needed)`, or LimitNOFILE=\(needed) for a systemd service)"
    }

    #if canImport(Glibc)
    private static let resourceNumber = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
    /// RLIM_INFINITY, which Swift imports as a signed -1 on Linux.
    private static let unlimited = rlim_t.max
    #else
    private static let resourceNumber = RLIMIT_NOFILE
    private static let unlimited = RLIM_INFINITY
    #endif
}
