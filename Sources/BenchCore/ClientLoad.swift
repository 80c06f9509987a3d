/// How loaded the llmbench process itself was while a request ran: the evidence for or against a measurement that
/// timed the client instead of the model. Sampled by the run's client monitor every 100 ms; a record carries the
/// last sample taken before it finished.
public struct ClientLoad: Sendable, Hashable, Codable {
    /// Process CPU time (user + system) ÷ (wall time × usable cores) over the window, 0–1: 1 means every core the
    /// process may use was busy with it.
    public var cpuShare: Double
    /// How late a 100 ms timer on Swift's cooperative thread pool (the pool that runs the request tasks) fired, in
    /// milliseconds.
    public var timerLagMs: Double
    /// How long a job submitted to the HTTP event loops waited before it ran, the worst over the loops, in
    /// milliseconds; nil when the transport has no event loops to probe.
    public var eventLoopLagMs: Double?
    /// The sample's number among its step's samples (0, 1, 2, …), so that records finishing between two samples
    /// count their shared sample once; nil in records from before it was kept.
    public var sample: Int?

    /// A sample; see the properties for what each figure is.
    public init(cpuShare: Double, timerLagMs: Double, eventLoopLagMs: Double?, sample: Int? = nil) {
        self.cpuShare = cpuShare
        self.timerLagMs = timerLagMs
        self.eventLoopLagMs = eventLoopLagMs
        self.sample = sample
    }

    enum CodingKeys: String, CodingKey {
        case cpuShare = "cpu_share"
        case timerLagMs = "timer_lag_ms"
        case eventLoopLagMs = "event_loop_lag_ms"
        case sample
    }
}
