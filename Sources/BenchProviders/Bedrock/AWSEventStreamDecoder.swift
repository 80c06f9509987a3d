/// Errors of the AWS event-stream decoder: the stream cannot be trusted past any of them.
public enum AWSEventStreamError: Error, Hashable, CustomStringConvertible {
    case preludeChecksum
    case messageChecksum
    case badLength(Int)
    case badHeader

    public var description: String {
        switch self {
        case .preludeChecksum: "event-stream frame prelude failed its CRC32 check"
        case .messageChecksum: "event-stream frame failed its CRC32 check"
        case .badLength(let length): "event-stream frame with an impossible length \(length)"
        case .badHeader: "event-stream frame with a malformed header"
        }
    }
}

/// An incremental decoder for `application/vnd.amazon.eventstream` (AWS Bedrock's streaming responses): binary
/// frames `[total length u32][headers length u32][prelude CRC32][headers][payload][message CRC32]`, big-endian,
/// both checksums verified. Each frame becomes a ``ServerSentEvent`` whose data is the payload and whose event is
/// the `:event-type` header, or `exception:{:exception-type}` for exception frames, so the JSON stream decoders
/// serve this framing too. Bytes may arrive split anywhere.
public struct AWSEventStreamDecoder: Sendable {
    public let maxBytes: Int
    private var buffer: [UInt8] = []

    public init(maxBytes: Int = 16 << 20) {
        self.maxBytes = maxBytes
    }

    public mutating func push(_ bytes: some Collection<UInt8>, into events: inout [ServerSentEvent]) throws {
        buffer.append(contentsOf: bytes)
        while buffer.count >= 12 {
            guard CRC32.checksum(buffer[0..<8]) == Self.uint32(buffer, at: 8) else {
                throw AWSEventStreamError.preludeChecksum
            }
            let total = Int(Self.uint32(buffer, at: 0))
            let headersLength = Int(Self.uint32(buffer, at: 4))
            guard total >= 16 + headersLength, total <= maxBytes else { throw AWSEventStreamError.badLength(total) }
            guard buffer.count >= total else { return }
            guard CRC32.checksum(buffer[0..<(total - 4)]) == Self.uint32(buffer, at: total - 4) else {
                throw AWSEventStreamError.messageChecksum
            }
            let headers = try Self.headers(buffer[12..<(12 + headersLength)])
            let payload = buffer[(12 + headersLength)..<(total - 4)]
            let name =
                headers[":message-type"] == "exception"
                ? "exception:\(headers[":exception-type"] ?? "unknown")" : headers[":event-type"]
            events.append(ServerSentEvent(event: name, data: String(decoding: payload, as: UTF8.self)))
            buffer.removeFirst(total)
        }
    }

    /// String-valued headers (type 7) by name; other header types are skipped by their encoded size.
    static func headers(_ bytes: ArraySlice<UInt8>) throws -> [String: String] {
        var result: [String: String] = [:]
        var index = bytes.startIndex
        func need(_ count: Int) throws {
            guard bytes.endIndex - index >= count else { throw AWSEventStreamError.badHeader }
        }
        while index < bytes.endIndex {
            try need(1)
            let nameLength = Int(bytes[index])
            try need(2 + nameLength)
            let name = String(decoding: bytes[(index + 1)..<(index + 1 + nameLength)], as: UTF8.self)
            index += 1 + nameLength
            let type = bytes[index]
            index += 1
            switch type {
            case 0, 1: break  // true, false
            case 2: index += 1
            case 3: index += 2
            case 4: index += 4
            case 5, 8: index += 8  // int64, timestamp
            case 9: index += 16  // uuid
            case 6, 7:  // bytes, string
                try need(2)
                let length = Int(bytes[index]) << 8 | Int(bytes[index + 1])
                index += 2
                try need(length)
                if type == 7 { result[name] = String(decoding: bytes[index..<(index + length)], as: UTF8.self) }
                index += length
            default: throw AWSEventStreamError.badHeader
            }
            guard index <= bytes.endIndex else { throw AWSEventStreamError.badHeader }
        }
        return result
    }

    static func uint32(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        UInt32(bytes[offset]) << 24 | UInt32(bytes[offset + 1]) << 16 | UInt32(bytes[offset + 2]) << 8
            | UInt32(bytes[offset + 3])
    }
}

/// CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), as the AWS event stream uses.
enum CRC32 {
    private static let table: [UInt32] = (0..<256).map { index in
        (0..<8).reduce(UInt32(index)) { value, _ in value & 1 == 1 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1 }
    }

    static func checksum(_ bytes: some Collection<UInt8>) -> UInt32 {
        ~bytes.reduce(~UInt32(0)) { crc, byte in table[Int((crc ^ UInt32(byte)) & 0xff)] ^ (crc >> 8) }
    }
}
