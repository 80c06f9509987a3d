public import BenchCore

/// Builds a ``RequestRecord`` from the stamped events of one request. Pure and synchronous: it runs on the
/// per-chunk path, so it only appends timestamps and counts.
public struct RecordAssembler: Sendable {
    private var record: RequestRecord
    private let origin: ContinuousClock.Instant
    private var hash = OutputHash()
    private var previousWasSpace = true
    private var sawDone = false
    private var doneAt: Duration?
    private var sawFinish = false
    private let keepsAnswer: Bool
    private let keepsOutput: Bool
    /// The answer text of the attempt that counts, when kept (a conversation's next turn needs it); else empty.
    public private(set) var answer = ""
    /// Every generated text of the attempt that counts, reasoning included, when kept (to count its tokens when
    /// the server reports no usage); else empty.
    public private(set) var output = ""

    /// - Parameters:
    ///   - origin: the run's clock origin; every instant is stored relative to it.
    ///   - template: the record's identity, schedule and request fields; its measurements are filled in here.
    ///   - keepsAnswer: keep the answer text in ``answer`` (never in the record).
    ///   - keepsOutput: keep all generated text in ``output`` (never in the record).
    public init(
        origin: ContinuousClock.Instant, template: RequestRecord, keepsAnswer: Bool = false, keepsOutput: Bool = false
    ) {
        self.origin = origin
        record = template
        self.keepsAnswer = keepsAnswer
        self.keepsOutput = keepsOutput
    }

    /// Folds one event into the record.
    public mutating func consume(_ stamped: StampedEvent) {
        let at = stamped.at - origin
        switch stamped.event {
        case .paced(let waited):
            // Only the first attempt's wait: later ones lie inside the retry time.
            if record.attempts == 1 && record.dispatchedAt == nil {
                record.pacingWait = (record.pacingWait ?? .zero) + waited
            }
        case .requestSent:
            record.dispatchedAt = at
        case .connectionRetry:
            record.connectionRetries += 1
        case .responseHead(let status):
            record.responseHeadAt = at
            record.httpStatus = status
        case .text(let text, let channel):
            record.chunkTimes.append(at)
            record.textChunks += 1
            if record.firstTokenAt == nil { record.firstTokenAt = at }
            record.lastTokenAt = at
            if channel == .reasoning {
                record.reasoningChunks += 1
            } else {
                if record.firstAnswerAt == nil { record.firstAnswerAt = at }
                hash.add(text)
                if keepsAnswer { answer += text }
            }
            if keepsOutput { output += text }
            countText(text)
        case .usage(let usage):
            record.usage = usage
        case .finish(let reason):
            record.finishReason = reason
            sawFinish = true
        case .serverTimings(let timings):
            record.serverTimings = timings
        case .tokenLogprobs, .keepAlive:
            break
        case .done:
            sawDone = true
            doneAt = at
        case .failure(let error):
            if record.error == nil { record.error = error }
        case .retrying(_, let error):
            startNextAttempt(after: error)
        }
    }

    /// Forgets the failed attempt's measurements, keeping when the first attempt was sent and why it failed.
    private mutating func startNextAttempt(after error: ProviderError) {
        var next = record
        next.firstDispatchedAt = record.firstDispatchedAt ?? record.dispatchedAt
        next.attempts = record.attempts + 1
        next.retriedErrors = record.retriedErrors + [error]
        next.dispatchedAt = nil
        next.responseHeadAt = nil
        next.firstTokenAt = nil
        next.firstAnswerAt = nil
        next.lastTokenAt = nil
        next.chunkTimes = []
        next.httpStatus = nil
        next.error = nil
        next.finishReason = nil
        next.usage = nil
        next.serverTimings = nil
        next.textChunks = 0
        next.reasoningChunks = 0
        next.outputCharacters = 0
        next.outputWords = 0
        record = next
        hash = OutputHash()
        answer = ""
        output = ""
        previousWasSpace = true
        sawDone = false
        doneAt = nil
        sawFinish = false
    }

    private mutating func countText(_ text: String) {
        for scalar in text.unicodeScalars {
            record.outputCharacters += 1
            // ASCII (most streamed text) without the Unicode property lookup: space, \t, \n, \v, \f, \r.
            let isSpace =
                scalar.isASCII
                ? scalar.value == 0x20 || (0x09...0x0D).contains(scalar.value) : scalar.properties.isWhitespace
            if !isSpace && previousWasSpace { record.outputWords += 1 }
            previousWasSpace = isSpace
        }
    }

    /// A stream that ended normally with no text or reasoning at all, yet a usage count of output tokens, was not
    /// read in the protocol it was written in (an Ollama `/api/generate` stream read as `/api/chat` gives exactly
    /// this): a failure naming the mismatch, not a success without a first token. Tool calls and content filters
    /// legitimately produce no text.
    static func protocolMismatch(_ record: RequestRecord) -> ProviderError? {
        guard record.textChunks == 0, record.reasoningChunks == 0, let tokens = record.usage?.outputTokens, tokens > 0,
            record.finishReason != .toolCalls, record.finishReason != .contentFilter
        else { return nil }
        return ProviderError(
            .decoding,
            "protocol mismatch: the stream ended normally and reported \(tokens) output tokens, but held no text this "
                + "kind reads; is the endpoint speaking another protocol (for Ollama, the kind `ollama` reads /api/chat, "
                + "not /api/generate)?")
    }

    /// The finished record.
    /// - Parameters:
    ///   - endedAt: when the event sequence ended (used as the end when no terminal event was seen).
    ///   - override: a failure decided outside the stream (total timeout, end of a timed step), which replaces a
    ///     cancellation reported by the stream.
    public func finish(endedAt: ContinuousClock.Instant, override: ProviderError? = nil) -> RequestRecord {
        finish(endedAfter: endedAt - origin, override: override)
    }

    /// The finished record, the end given as an offset from the run's origin.
    public func finish(endedAfter endedAt: Duration, override: ProviderError? = nil) -> RequestRecord {
        var result = record
        result.endedAt = doneAt ?? endedAt
        if let override, result.error == nil || result.error?.kind == .cancelled {
            result.error = override
        }
        if let error = result.error {
            result.outcome = error.kind == .cancelled ? .cancelled : .failed
        } else if let mismatch = Self.protocolMismatch(result), sawDone || sawFinish {
            result.outcome = .failed
            result.error = mismatch
        } else if sawDone || sawFinish {
            result.outcome = .success
        } else {
            result.outcome = .failed
            result.error = ProviderError(.truncated, "the stream ended without its terminal event")
        }
        if let outputTokens = result.usage?.outputTokens {
            result.outputTokens = outputTokens
            result.outputTokenSource = .usage
        } else {
            result.outputTokens = result.textChunks
            result.outputTokenSource = .chunks
        }
        result.outputHash = hash.hex
        return result
    }
}
