/// How requests arrive in an open-loop step.
public enum ArrivalProcess: String, Sendable, Hashable, Codable {
    /// Evenly spaced: request i starts at i / rate.
    case constant
    /// A Poisson process: exponential inter-arrival times with mean 1 / rate, from a seeded generator.
    case poisson
}

/// The shape of the load in one step of a run.
public enum LoadShape: Sendable, Hashable {
    /// Closed loop: `users` workers, each sending its next request as soon as the previous one ends.
    case concurrency(users: Int)
    /// Open loop: requests start at `perSecond` regardless of completions, optionally capped at
    /// `maxInFlight` concurrent requests (the excess waits for a slot; the wait is reported as queue time).
    case rate(perSecond: Double, arrival: ArrivalProcess, maxInFlight: Int?)
    /// Open loop on a recorded workload: request i starts at the trace's arrival i ÷ `speed`, with the trace's
    /// prompt and answer lengths, optionally capped at `maxInFlight` concurrent requests.
    case trace(ReplayTrace, speed: Double, maxInFlight: Int?)

    /// A short label such as `c=8` or `rate=5/s poisson`.
    public var label: String {
        switch self {
        case .concurrency(let users):
            return "c=\(users)"
        case .rate(let perSecond, let arrival, let maxInFlight):
            var label = "rate=\(formatRate(perSecond))/s"
            if arrival == .poisson { label += " poisson" }
            if let maxInFlight { label += " max=\(maxInFlight)" }
            return label
        case .trace(let trace, let speed, let maxInFlight):
            var label = "trace=\(trace.name)"
            if speed != 1 { label += " ×\(formatRate(speed))" }
            if let maxInFlight { label += " max=\(maxInFlight)" }
            return label
        }
    }

    private func formatRate(_ value: Double) -> String {
        value.rounded() == value ? String(Int(value)) : String(value)
    }
}

/// One step of a run: a load shape with its stop conditions and measurement window.
public struct LoadStep: Sendable, Hashable {
    /// Request ids reserved for a step that only a duration limits.
    public static let idsWithoutRequestLimit = 1_000_000

    public var shape: LoadShape
    /// Stop dispatching after this many requests.
    public var maxRequests: Int?
    /// Stop dispatching at this time after the step starts; requests still in flight are then cancelled.
    public var maxDuration: Duration?
    /// Time after the step start excluded from the measurement window.
    public var warmup: Duration
    /// Time before the step end excluded from the measurement window.
    public var cooldown: Duration

    public init(
        shape: LoadShape, maxRequests: Int? = nil, maxDuration: Duration? = nil,
        warmup: Duration = .zero, cooldown: Duration = .zero
    ) {
        self.shape = shape
        self.maxRequests = maxRequests
        self.maxDuration = maxDuration
        self.warmup = warmup
        self.cooldown = cooldown
    }
}
