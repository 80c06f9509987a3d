public import BenchCore
import Foundation

/// Samples the load of the llmbench process itself while a step runs: CPU share, timer lag on the cooperative
/// thread pool and (through a probe the transport supplies) event-loop lag. Records are stamped with the latest
/// sample when they finish (``RequestRecord/clientLoad``), so the client-bound verdict of a step is computed from
/// its stored records like every other figure.
public actor ClientLoadMonitor {
    /// Measures how long a job waits before the transport's event loops run it; nil when there is nothing to probe.
    public typealias EventLoopProbe = @Sendable () async -> Duration?

    private let interval: Duration
    private let eventLoopProbe: EventLoopProbe?
    private let cores: Int
    /// The last sample; nil before the first one.
    public private(set) var latest: ClientLoad?

    public init(interval: Duration = .milliseconds(100), eventLoopProbe: EventLoopProbe? = nil) {
        self.interval = interval
        self.eventLoopProbe = eventLoopProbe
        cores = max(1, ProcessInfo.processInfo.activeProcessorCount)
    }

    /// Samples every `interval` (the first time after 10 ms) until the calling task is cancelled.
    ///
    /// cpu share = Δ(user + system CPU time) ÷ (Δ wall time × cores); timer lag = (wake-up − sleep start) − interval.
    public func run() async {
        var lastCPU = Self.processCPUTime()
        var lastWall = ContinuousClock.now
        // The first sample comes after 10 ms, so that short steps' records carry one too.
        var wait = min(interval, .milliseconds(10))
        var number = 0
        while true {
            let asleep = ContinuousClock.now
            do { try await Task.sleep(for: wait) } catch { return }
            let timerLag = max(.zero, ContinuousClock.now - asleep - wait)
            wait = interval
            let loopLag = await eventLoopProbe?()
            let cpu = Self.processCPUTime()
            let wall = ContinuousClock.now
            let share = (cpu - lastCPU).seconds / ((wall - lastWall).seconds * Double(cores))
            latest = ClientLoad(
                cpuShare: min(1, max(0, share)), timerLagMs: timerLag.milliseconds,
                eventLoopLagMs: loopLag?.milliseconds, sample: number)
            number += 1
            (lastCPU, lastWall) = (cpu, wall)
        }
    }

    /// User plus system CPU time of this process so far.
    static func processCPUTime() -> Duration {
        var usage = rusage()
        #if os(Linux)
        getrusage(RUSAGE_SELF.rawValue, &usage)
        #else
        getrusage(RUSAGE_SELF, &usage)
        #endif
        func duration(_ time: timeval) -> Duration {
            .seconds(Int64(time.tv_sec)) + .microseconds(Int64(time.tv_usec))
        }
        return duration(usage.ru_utime) + duration(usage.ru_stime)
    }
}
