/// One event of a `text/event-stream`.
public struct ServerSentEvent: Sendable, Hashable {
    /// The `event:` field, nil when the event had none.
    public var event: String?
    /// The `data:` lines joined with `\n`.
    public var data: String
    /// The last event id seen so far (sticky across events).
    public var id: String?
    /// The `retry:` field of this event, in milliseconds.
    public var retry: Int?

    public init(event: String? = nil, data: String, id: String? = nil, retry: Int? = nil) {
        self.event = event
        self.data = data
        self.id = id
        self.retry = retry
    }
}

/// Errors of the event-stream decoder.
public enum SSEDecodingError: Error, Hashable, CustomStringConvertible {
    /// A line, or an event's data, exceeded the configured limit.
    case tooLong(limit: Int)

    public var description: String {
        switch self {
        case .tooLong(let limit): return "event-stream line or event longer than \(limit) bytes"
        }
    }
}

/// An incremental decoder for `text/event-stream`, following the WHATWG HTML "event stream interpretation".
///
/// Bytes may be pushed in pieces split anywhere, including inside a line terminator or a UTF-8 character: lines
/// are split on CRLF, LF or a lone CR *before* text decoding. Lines starting with `:` are comments. The first `:`
/// separates field from value, and one leading space of the value is removed. `data` lines are joined with `\n`;
/// `id` persists across events; `retry` takes only ASCII digits; unknown fields are ignored. A blank line
/// dispatches the event when it had at least one `data` line or an `event` field (the second condition follows
/// the OpenAI SDK, which yields `event: ping` with no data; WHATWG would drop it). Bytes after the last blank line
/// are discarded at the end of the stream, as WHATWG specifies.
public struct SSEDecoder: Sendable {
    /// The longest line or event data accepted, in bytes.
    public let maxBytes: Int

    private var line: [UInt8] = []
    private var lastWasCR = false
    private var data: [UInt8] = []
    private var hasData = false
    private var eventType: String?
    private var lastEventID: String?
    private var retry: Int?

    public init(maxBytes: Int = 16 << 20) {
        self.maxBytes = maxBytes
        line.reserveCapacity(512)
    }

    /// Feeds bytes and appends every event they complete to `events`. Each run of bytes up to a line break is found
    /// by a tight search and appended to the line at once, not byte by byte.
    /// - Throws: ``SSEDecodingError/tooLong(limit:)`` when a line or event exceeds ``maxBytes``.
    public mutating func push(_ bytes: UnsafeRawBufferPointer, into events: inout [ServerSentEvent]) throws {
        var index = 0
        let count = bytes.count
        while index < count {
            if lastWasCR {
                lastWasCR = false
                // The LF of a CRLF whose CR ended the line already.
                if bytes[index] == UInt8(ascii: "\n") {
                    index += 1
                    continue
                }
            }
            var end = index
            while end < count, bytes[end] != UInt8(ascii: "\n"), bytes[end] != UInt8(ascii: "\r") { end += 1 }
            if end > index {
                line.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[index..<end]))
                if line.count > maxBytes { throw SSEDecodingError.tooLong(limit: maxBytes) }
            }
            guard end < count else { return }
            lastWasCR = bytes[end] == UInt8(ascii: "\r")
            try endLine(into: &events)
            index = end + 1
        }
    }

    /// Feeds the bytes of a collection (convenience for tests and small inputs).
    public mutating func push(_ bytes: some Collection<UInt8>, into events: inout [ServerSentEvent]) throws {
        try Array(bytes).withUnsafeBytes { try push($0, into: &events) }
    }

    private mutating func endLine(into events: inout [ServerSentEvent]) throws {
        defer { line.removeAll(keepingCapacity: true) }
        guard let first = line.first else {
            dispatch(into: &events)
            return
        }
        if first == UInt8(ascii: ":") { return }
        let colon = line.firstIndex(of: UInt8(ascii: ":"))
        let name = line[..<(colon ?? line.endIndex)]
        var valueStart = colon.map { line.index(after: $0) } ?? line.endIndex
        if valueStart < line.endIndex, line[valueStart] == UInt8(ascii: " ") {
            valueStart = line.index(after: valueStart)
        }
        let value = line[valueStart...]
        if name.elementsEqual("data".utf8) {
            if hasData { data.append(UInt8(ascii: "\n")) }
            data.append(contentsOf: value)
            hasData = true
            if data.count > maxBytes { throw SSEDecodingError.tooLong(limit: maxBytes) }
        } else if name.elementsEqual("event".utf8) {
            eventType = String(decoding: value, as: UTF8.self)
        } else if name.elementsEqual("id".utf8) {
            if !value.contains(0) { lastEventID = String(decoding: value, as: UTF8.self) }
        } else if name.elementsEqual("retry".utf8) {
            if !value.isEmpty, value.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) {
                retry = Int(String(decoding: value, as: UTF8.self))
            }
        }
    }

    private mutating func dispatch(into events: inout [ServerSentEvent]) {
        if hasData || eventType != nil {
            events.append(
                ServerSentEvent(
                    event: eventType, data: String(decoding: data, as: UTF8.self), id: lastEventID, retry: retry
                )
            )
        }
        data.removeAll(keepingCapacity: true)
        hasData = false
        eventType = nil
        retry = nil
    }
}
