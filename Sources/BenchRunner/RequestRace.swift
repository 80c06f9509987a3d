public import BenchCore
import Synchronization

/// Sends one generation and races it against its limits. Every generation llmbench sends goes through here — load
/// steps, evaluation items, judges, the capability probe — so each is bounded the same way:
///
/// - the endpoint's shared in-flight limit, waited for before any clock starts and reported as a
///   ``GenerationEvent/paced(waited:)`` event (never as latency);
/// - the total time (`requestTimeout` from the start of the race), or the end of a timed step when that comes first;
/// - the read timeout: no event for `readTimeout` (a keep-alive counts; a wait announced by a ``GenerationEvent/paced(waited:)``
///   or ``GenerationEvent/retrying(after:error:)`` event is not counted), the same rule for every request of a process,
///   whatever else shares its HTTP client.
///
/// The events are folded into a caller's state in the task that reads the stream; when a limit is reached the
/// stream is cancelled and the limit's error is returned beside the state.
public struct RequestRace: Sendable {
    public let client: any ModelClient
    /// The longest a request may take, start to end.
    public let requestTimeout: Duration
    /// The longest wait for the next event; nil for no limit.
    public let readTimeout: Duration?
    /// The endpoint's limit on requests in flight, shared with every run of the process.
    public let limit: AsyncSemaphore?
    /// The clock of the limits; the events keep the instants the transport stamped.
    public let timeline: Timeline

    public init(
        client: any ModelClient, requestTimeout: Duration, readTimeout: Duration?, limit: AsyncSemaphore? = nil,
        timeline: Timeline = .continuous()
    ) {
        self.client = client
        self.requestTimeout = requestTimeout
        self.readTimeout = readTimeout
        self.limit = limit
        self.timeline = timeline
    }

    /// What one race left behind.
    public struct Outcome<State: Sendable>: Sendable {
        /// The caller's state after the last event.
        public var state: State
        /// When the race's clocks started (after any wait for the endpoint's limit), on ``RequestRace/timeline``.
        public var startedAt: Duration
        /// When the stream ended, on ``RequestRace/timeline``.
        public var endedAt: Duration
        /// The limit that ended the request, if one did (it replaces the cancellation the stream reports).
        public var limitError: ProviderError?
    }

    /// The error of a request still running at the end of a timed step.
    public static let stepEnded = ProviderError(.cancelled, "stopped at the end of the timed step")

    /// Sends `request` and folds each of its events into `state`.
    /// - Parameters:
    ///   - deadline: the end of a timed step on ``timeline``, when it comes before the request timeout.
    ///   - fold: called in order for every event, in the task that reads the stream.
    public func run<State: Sendable>(
        _ request: GenerationRequest, deadline: Duration? = nil, state: State,
        fold: @escaping @Sendable (inout State, StampedEvent) -> Void
    ) async -> Outcome<State> {
        var state = state
        if let limit {
            let asked = ContinuousClock.now
            await limit.acquire()
            fold(&state, StampedEvent(.paced(waited: .now - asked), at: .now))
        }
        let outcome = await race(request, deadline: deadline, state: state, fold: fold)
        await limit?.release()
        return outcome
    }

    private func race<State: Sendable>(
        _ request: GenerationRequest, deadline: Duration?, state: State,
        fold: @escaping @Sendable (inout State, StampedEvent) -> Void
    ) async -> Outcome<State> {
        let start = timeline.now()
        let timeoutAt = start + requestTimeout
        let (end, endError) =
            if let deadline, deadline < timeoutAt {
                (deadline, Self.stepEnded)
            } else {
                (
                    timeoutAt,
                    ProviderError(.timeout, "exceeded the total request timeout of \(requestTimeout.seconds) s")
                )
            }
        let progress = Progress(start)
        let (client, timeline, readTimeout) = (self.client, self.timeline, self.readTimeout)
        return await withTaskGroup(of: Ending<State>.self) { group in
            group.addTask {
                var state = state
                for await event in client.stream(request) {
                    fold(&state, event)
                    progress.advance(to: timeline.now() + event.event.announcedWait)
                }
                return .finished(state, timeline.now())
            }
            group.addTask {
                await Self.watch(progress, end: end, readTimeout: readTimeout, timeline: timeline)
            }
            var limitError: ProviderError?
            while let ending = await group.next() {
                switch ending {
                case .finished(let state, let endedAt):
                    group.cancelAll()
                    return Outcome(state: state, startedAt: start, endedAt: endedAt, limitError: limitError)
                case .limitReached:
                    limitError = endError
                    group.cancelAll()
                case .stalled:
                    limitError = ProviderError(
                        .timeout, "no bytes arrived within the read timeout of \(readTimeout?.seconds ?? 0) s")
                    group.cancelAll()
                case .watchCancelled:
                    break
                }
            }
            preconditionFailure("the request task always finishes")
        }
    }

    /// Sleeps until the end, or until the read timeout has passed with no progress.
    private static func watch<State>(
        _ progress: Progress, end: Duration, readTimeout: Duration?, timeline: Timeline
    ) async -> Ending<State> {
        var seen = progress.latest
        while true {
            let wake = readTimeout.map { min(end, seen + $0) } ?? end
            do {
                try await timeline.sleep(until: wake)
            } catch {
                return .watchCancelled
            }
            if timeline.now() >= end { return .limitReached }
            let latest = progress.latest
            if let readTimeout, latest == seen, timeline.now() >= seen + readTimeout { return .stalled }
            seen = latest
        }
    }

    private enum Ending<State: Sendable>: Sendable {
        case finished(State, Duration)
        case limitReached
        case stalled
        case watchCancelled
    }

    /// The instant from which the read timeout counts: the latest event, or the end of a wait it announced.
    private final class Progress: Sendable {
        private let nanoseconds: Atomic<Int64>

        init(_ start: Duration) {
            nanoseconds = Atomic(start.nanoseconds)
        }

        var latest: Duration { .nanoseconds(nanoseconds.load(ordering: .relaxed)) }

        func advance(to instant: Duration) {
            _ = nanoseconds.max(instant.nanoseconds, ordering: .relaxed)
        }
    }
}

extension GenerationEvent {
    /// The wait an event announces before the next one can come: a pacing or retry wait.
    var announcedWait: Duration {
        switch self {
        case .paced(let waited): waited
        case .retrying(let after, _): after
        default: .zero
        }
    }
}
