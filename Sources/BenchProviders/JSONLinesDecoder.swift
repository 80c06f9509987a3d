/// Splits a newline-delimited JSON stream (Ollama's native API) into lines, each handed on as the data of a
/// ``ServerSentEvent`` so the same stream decoders serve both framings. Lines may be split across reads anywhere;
/// a trailing CR is dropped; blank lines are skipped; a line without its newline at the end of the stream is kept.
public struct JSONLinesDecoder: Sendable {
    public let maxBytes: Int
    private var line: [UInt8] = []

    public init(maxBytes: Int = 16 << 20) {
        self.maxBytes = maxBytes
    }

    public mutating func push(_ bytes: UnsafeRawBufferPointer, into events: inout [ServerSentEvent]) throws {
        for byte in bytes {
            if byte == UInt8(ascii: "\n") {
                emit(into: &events)
            } else {
                line.append(byte)
                if line.count > maxBytes { throw SSEDecodingError.tooLong(limit: maxBytes) }
            }
        }
    }

    /// Hands on a last line that had no newline.
    public mutating func finish(into events: inout [ServerSentEvent]) {
        emit(into: &events)
    }

    private mutating func emit(into events: inout [ServerSentEvent]) {
        if line.last == UInt8(ascii: "\r") { line.removeLast() }
        if !line.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }) {
            events.append(ServerSentEvent(data: String(decoding: line, as: UTF8.self)))
        }
        line.removeAll(keepingCapacity: true)
    }
}
