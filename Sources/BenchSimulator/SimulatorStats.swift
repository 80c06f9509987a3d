import BenchCore
import Synchronization

/// What the simulator did, for checking a client's measurements against the truth (`GET /sim/stats`).
public struct SimulatorStatsSnapshot: Sendable, Hashable, Codable {
    public var requests: Int
    public var completed: Int
    public var activeStreams: Int
    public var peakStreams: Int
    public var tokensSent: Int
    public var rateLimited: Int
    public var serverError: Int
    public var cut: Int
    public var stall: Int
    public var malformed: Int

    enum CodingKeys: String, CodingKey {
        case requests, completed
        case activeStreams = "active_streams"
        case peakStreams = "peak_streams"
        case tokensSent = "tokens_sent"
        case rateLimited = "rate_limited"
        case serverError = "server_error"
        case cut, stall, malformed
    }
}

/// What the simulator really did for one streamed request, on its own clock (milliseconds since it started): the
/// truth a client's measurements are checked against (`GET /sim/requests`), including whatever lateness the
/// simulator itself suffered.
public struct SimulatorRequestTiming: Sendable, Hashable, Codable {
    /// The request reached the handler.
    public var arrivedMs: Double
    /// The first chunk with text was handed to the connection, and the last one.
    public var firstContentMs: Double?
    public var lastContentMs: Double?
    /// The response was finished.
    public var endedMs: Double
    /// Tokens and text chunks sent.
    public var tokens: Int
    public var chunks: Int

    enum CodingKeys: String, CodingKey {
        case arrivedMs = "arrived_ms"
        case firstContentMs = "first_content_ms"
        case lastContentMs = "last_content_ms"
        case endedMs = "ended_ms"
        case tokens, chunks
    }
}

/// Live counters of the simulator, shared by its request handlers.
final class SimulatorStats: Sendable {
    private let state = Mutex(
        SimulatorStatsSnapshot(
            requests: 0, completed: 0, activeStreams: 0, peakStreams: 0, tokensSent: 0, rateLimited: 0,
            serverError: 0, cut: 0, stall: 0, malformed: 0
        )
    )
    private let timingList = Mutex<[SimulatorRequestTiming]>([])
    /// The simulator's clock origin.
    let origin = ContinuousClock.now

    /// Milliseconds from the origin to `instant`.
    func offset(_ instant: ContinuousClock.Instant) -> Double { (instant - origin).milliseconds }

    /// Keeps what one streamed request did.
    func keep(_ timing: SimulatorRequestTiming) {
        timingList.withLock { $0.append(timing) }
    }

    /// Every streamed request so far, in the order they ended.
    var timings: [SimulatorRequestTiming] { timingList.withLock { $0 } }

    /// Counts a new request and returns its sequence number (0, 1, 2, …).
    func arrive() -> Int {
        state.withLock { state in
            defer { state.requests += 1 }
            return state.requests
        }
    }

    func record(_ fault: Fault) {
        state.withLock {
            switch fault {
            case .rateLimited: $0.rateLimited += 1
            case .serverError: $0.serverError += 1
            case .cut: $0.cut += 1
            case .stall: $0.stall += 1
            case .malformed: $0.malformed += 1
            case .none: break
            }
        }
    }

    /// Marks a stream as started and returns how many are active now.
    func streamStarted() -> Int {
        state.withLock {
            $0.activeStreams += 1
            $0.peakStreams = max($0.peakStreams, $0.activeStreams)
            return $0.activeStreams
        }
    }

    func streamEnded(completed: Bool, tokens: Int) {
        state.withLock {
            $0.activeStreams -= 1
            $0.tokensSent += tokens
            if completed { $0.completed += 1 }
        }
    }

    var activeStreams: Int { state.withLock { $0.activeStreams } }

    var snapshot: SimulatorStatsSnapshot { state.withLock { $0 } }
}

/// The fault a request gets.
enum Fault: Sendable, Hashable {
    case none, rateLimited, serverError, cut, stall, malformed
}
