public import BenchCore

/// Turns the bytes of one streamed response body into generation events: the framing (server-sent events, JSON
/// lines or AWS event-stream frames) and then the provider's ``StreamDecoding``. Pure, with no I/O: the transport
/// feeds it each read as it arrives, and the fuzzing harness (`Fuzz/`) feeds it hostile bytes the same way.
///
/// A failure (a line or frame over the size limit, a checksum mismatch, a decoder's failure event, a stream that
/// ends without its terminal event) is the last event it yields; everything after it is ignored. Bytes after the
/// terminal event are drained without being decoded, so a complete response followed by noise stays complete.
public struct ResponseBodyDecoder<Decoder: StreamDecoding>: Sendable {
    private let framing: StreamFraming
    private var sse: SSEDecoder
    private var lines: JSONLinesDecoder
    private var frames: AWSEventStreamDecoder
    private var framed: [ServerSentEvent] = []
    private var decoder: Decoder
    /// The terminal event arrived.
    public private(set) var sawDone = false
    /// A failure was yielded: nothing more will be.
    public private(set) var failed = false
    private var textChunks = 0

    /// - Parameter maxEventBytes: the longest line, event or frame accepted.
    public init(framing: StreamFraming, decoder: Decoder, maxEventBytes: Int = 16 << 20) {
        self.framing = framing
        self.decoder = decoder
        sse = SSEDecoder(maxBytes: maxEventBytes)
        lines = JSONLinesDecoder(maxBytes: maxEventBytes)
        frames = AWSEventStreamDecoder(maxBytes: maxEventBytes)
    }

    /// Decodes one read of the body, appending its events to `events`.
    public mutating func push(_ bytes: UnsafeRawBufferPointer, into events: inout [GenerationEvent]) {
        guard !failed, !sawDone else { return }
        framed.removeAll(keepingCapacity: true)
        do {
            switch framing {
            case .serverSentEvents: try sse.push(bytes, into: &framed)
            case .jsonLines: try lines.push(bytes, into: &framed)
            case .awsEventStream: try frames.push(bytes, into: &framed)
            }
        } catch {
            fail(ProviderError(.decoding, "\(error)"), into: &events)
            return
        }
        decodeFramed(into: &events)
    }

    /// The body ended: decodes a last unterminated JSON line, and fails the response when it is incomplete.
    public mutating func finish(into events: inout [GenerationEvent]) {
        guard !failed, !sawDone else { return }
        if framing == .jsonLines {
            framed.removeAll(keepingCapacity: true)
            lines.finish(into: &framed)
            decodeFramed(into: &events)
            if failed || sawDone { return }
        }
        if !decoder.isComplete {
            fail(
                ProviderError(
                    .truncated, "the stream ended without its terminal event after \(textChunks) text chunks"),
                into: &events
            )
        }
    }

    private mutating func decodeFramed(into events: inout [GenerationEvent]) {
        for event in framed {
            for generated in decoder.decode(event) {
                switch generated {
                case .failure(let error):
                    fail(error, into: &events)
                    return
                case .done:
                    sawDone = true
                case .text:
                    textChunks += 1
                default:
                    break
                }
                events.append(generated)
            }
        }
    }

    private mutating func fail(_ error: ProviderError, into events: inout [GenerationEvent]) {
        failed = true
        events.append(.failure(error))
    }
}
