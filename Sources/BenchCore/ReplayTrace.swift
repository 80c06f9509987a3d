/// A recorded workload to replay: when each request arrived and how long its prompt and answer were (the
/// Mooncake/AIPerf trace shape), read from a JSONL file by the spec (`load.trace`).
public struct ReplayTrace: Sendable, Hashable {
    /// One recorded request.
    public struct Entry: Sendable, Hashable {
        /// Offset from the first request of the trace.
        public var arrival: Duration
        /// The prompt's length in tokens, when the trace gives it.
        public var inputTokens: Int?
        /// The answer's length in tokens (sent as the output limit), when the trace gives it.
        public var outputTokens: Int?
        /// The request's own messages, when the trace carries them (else a synthetic prompt of `inputTokens`).
        public var messages: [ChatMessage]?

        /// An entry; see the properties.
        public init(arrival: Duration, inputTokens: Int?, outputTokens: Int?, messages: [ChatMessage]? = nil) {
            self.arrival = arrival
            self.inputTokens = inputTokens
            self.outputTokens = outputTokens
            self.messages = messages
        }
    }

    /// The file name, for labels.
    public var name: String
    /// By arrival; the first at offset zero.
    public var entries: [Entry]

    /// A trace of `entries` in any order: they are sorted by arrival and made relative to the earliest.
    public init(name: String, entries: [Entry]) {
        self.name = name
        let sorted = entries.sorted { $0.arrival < $1.arrival }
        let origin = sorted.first?.arrival ?? .zero
        self.entries = sorted.map { entry in
            var entry = entry
            entry.arrival -= origin
            return entry
        }
    }

    /// Requests ÷ the span from the first arrival to the last (nil with fewer than two requests or no span).
    public var meanRate: Double? {
        guard entries.count > 1, let last = entries.last?.arrival, last > .zero else { return nil }
        return Double(entries.count - 1) / last.seconds
    }
}
