/// A small, fast JSON parser (RFC 8259) producing ``JSONValue``.
///
/// It exists because decoding every streamed chunk with Foundation's `JSONDecoder` cost about half of the
/// client's CPU at high token rates. Numbers become `Double`; strings are validated UTF-8 with every escape
/// (including surrogate pairs) decoded; nesting is limited to 512 levels.
public enum JSONParser {
    /// Why a document is not valid JSON.
    public struct SyntaxError: Error, Hashable, CustomStringConvertible {
        /// Byte offset of the problem.
        public var offset: Int
        public var reason: String
        /// Line and column of the problem, from 1 (columns count characters).
        public var line = 1
        public var column = 1

        public var description: String { "not valid JSON at line \(line), column \(column): \(reason)" }
    }

    /// Parses a complete JSON document.
    public static func parse(_ text: String) throws -> JSONValue {
        var text = text
        return try text.withUTF8 { try parse(UnsafeRawBufferPointer($0)) }
    }

    /// Parses a complete JSON document from UTF-8 bytes.
    public static func parse(_ bytes: UnsafeRawBufferPointer) throws -> JSONValue {
        var reader = Reader(bytes: bytes)
        reader.skipWhitespace()
        let value = try reader.value(depth: 0)
        reader.skipWhitespace()
        guard reader.position == bytes.count else { throw reader.error("unexpected data after the value") }
        return value
    }

    struct Reader {
        let bytes: UnsafeRawBufferPointer
        var position = 0

        init(bytes: UnsafeRawBufferPointer) {
            self.bytes = bytes
        }

        func error(_ reason: String, at offset: Int? = nil) -> SyntaxError {
            let offset = offset ?? position
            var error = SyntaxError(offset: offset, reason: reason)
            for byte in bytes[..<min(offset, bytes.count)] {
                if byte == UInt8(ascii: "\n") {
                    error.line += 1
                    error.column = 1
                } else if byte & 0xC0 != 0x80 {
                    // Continuation bytes of a multi-byte character do not start a column.
                    error.column += 1
                }
            }
            return error
        }

        mutating func skipWhitespace() {
            while position < bytes.count {
                switch bytes[position] {
                case 0x20, 0x0A, 0x0D, 0x09: position += 1
                default: return
                }
            }
        }

        mutating func value(depth: Int) throws -> JSONValue {
            guard depth < 512 else { throw error("nested too deeply") }
            guard position < bytes.count else { throw error("unexpected end") }
            switch bytes[position] {
            case UInt8(ascii: "{"): return try object(depth: depth)
            case UInt8(ascii: "["): return try array(depth: depth)
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"): try literal("true"); return .bool(true)
            case UInt8(ascii: "f"): try literal("false"); return .bool(false)
            case UInt8(ascii: "n"): try literal("null"); return .null
            default: return .number(try number())
            }
        }

        /// Consumes one value as ``value(depth:)`` would, accepting exactly what it accepts, without building it: no
        /// dictionaries, and no strings except to validate non-ASCII text or decode escapes.
        mutating func skipValue(depth: Int) throws {
            guard depth < 512 else { throw error("nested too deeply") }
            guard position < bytes.count else { throw error("unexpected end") }
            switch bytes[position] {
            case UInt8(ascii: "{"):
                try members(closing: "}") { reader in
                    _ = try reader.fieldName { try $0.skipString() }
                    try reader.skipValue(depth: depth + 1)
                }
            case UInt8(ascii: "["): try members(closing: "]") { try $0.skipValue(depth: depth + 1) }
            case UInt8(ascii: "\""): _ = try skipString()
            case UInt8(ascii: "t"): try literal("true")
            case UInt8(ascii: "f"): try literal("false")
            case UInt8(ascii: "n"): try literal("null")
            default: _ = try number()
            }
        }

        /// Consumes a string as ``string()`` would, accepting exactly what it accepts.
        /// - Returns: its bytes between the quotes when it has no escapes (validated UTF-8), else nil (the escapes
        ///   were decoded and checked, and the text dropped).
        mutating func skipString() throws -> UnsafeRawBufferPointer? {
            let quote = position
            position += 1
            var ascii = true
            while position < bytes.count {
                let byte = bytes[position]
                if byte == UInt8(ascii: "\"") {
                    let slice = UnsafeRawBufferPointer(rebasing: bytes[(quote + 1)..<position])
                    if !ascii { _ = try validated(slice, at: quote + 1) }
                    position += 1
                    return slice
                }
                if byte == UInt8(ascii: "\\") {
                    position = quote
                    _ = try string()
                    return nil
                }
                if byte < 0x20 { throw error("control character in string") }
                if byte >= 0x80 { ascii = false }
                position += 1
            }
            throw error("unterminated string")
        }

        mutating func literal(_ word: StaticString) throws {
            let count = word.utf8CodeUnitCount
            guard position + count <= bytes.count else { throw error("unexpected end") }
            for i in 0..<count where bytes[position + i] != word.utf8Start[i] {
                throw error("unexpected character")
            }
            position += count
        }

        mutating func object(depth: Int) throws -> JSONValue {
            var fields: [String: JSONValue] = [:]
            try members(closing: "}") { reader in
                let key = try reader.fieldName { try $0.string() }
                fields[key] = try reader.value(depth: depth + 1)
            }
            return .object(fields)
        }

        mutating func array(depth: Int) throws -> JSONValue {
            var items: [JSONValue] = []
            try members(closing: "]") { items.append(try $0.value(depth: depth + 1)) }
            return .array(items)
        }

        /// Reads a container from its opening bracket to its `closing` one: `member` reads each member (a field and
        /// its value, or an element), and a comma or the closing bracket must follow each.
        mutating func members(closing: Unicode.Scalar, _ member: (inout Reader) throws -> Void) throws {
            position += 1
            skipWhitespace()
            if position < bytes.count, bytes[position] == UInt8(ascii: closing) {
                position += 1
                return
            }
            while true {
                skipWhitespace()
                try member(&self)
                skipWhitespace()
                guard position < bytes.count else { throw error("unexpected end") }
                switch bytes[position] {
                case UInt8(ascii: ","): position += 1
                case UInt8(ascii: closing): position += 1; return
                default: throw error("expected ',' or '\(closing)'")
                }
            }
        }

        /// Reads a field's name with `read` (from its opening quote), then the colon and the whitespace after it.
        mutating func fieldName<Name>(_ read: (inout Reader) throws -> Name) throws -> Name {
            guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else {
                throw error("expected a field name")
            }
            let name = try read(&self)
            skipWhitespace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else { throw error("expected ':'") }
            position += 1
            skipWhitespace()
            return name
        }

        mutating func string() throws -> String {
            position += 1
            let start = position
            // Fast path: no escapes.
            while position < bytes.count {
                let byte = bytes[position]
                if byte == UInt8(ascii: "\"") {
                    let slice = UnsafeRawBufferPointer(rebasing: bytes[start..<position])
                    position += 1
                    return try validated(slice, at: start)
                }
                if byte == UInt8(ascii: "\\") { break }
                if byte < 0x20 { throw error("control character in string") }
                position += 1
            }
            var buffer = Array(bytes[start..<position])
            while position < bytes.count {
                let byte = bytes[position]
                switch byte {
                case UInt8(ascii: "\""):
                    position += 1
                    return try buffer.withUnsafeBytes { try validated($0, at: start) }
                case UInt8(ascii: "\\"):
                    position += 1
                    try escape(into: &buffer)
                default:
                    if byte < 0x20 { throw error("control character in string") }
                    buffer.append(byte)
                    position += 1
                }
            }
            throw error("unterminated string")
        }

        func validated(_ slice: UnsafeRawBufferPointer, at offset: Int) throws -> String {
            guard let text = String(validating: slice, as: UTF8.self) else {
                throw error("invalid UTF-8 in string", at: offset)
            }
            return text
        }

        mutating func escape(into buffer: inout [UInt8]) throws {
            guard position < bytes.count else { throw error("unterminated escape") }
            let byte = bytes[position]
            position += 1
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): buffer.append(byte)
            case UInt8(ascii: "b"): buffer.append(0x08)
            case UInt8(ascii: "f"): buffer.append(0x0C)
            case UInt8(ascii: "n"): buffer.append(0x0A)
            case UInt8(ascii: "r"): buffer.append(0x0D)
            case UInt8(ascii: "t"): buffer.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try hex4()
                if (0xD800..<0xDC00).contains(scalar) {
                    guard position + 1 < bytes.count, bytes[position] == UInt8(ascii: "\\"),
                        bytes[position + 1] == UInt8(ascii: "u")
                    else { throw error("unpaired surrogate") }
                    position += 2
                    let low = try hex4()
                    guard (0xDC00..<0xE000).contains(low) else { throw error("invalid low surrogate") }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else if (0xDC00..<0xE000).contains(scalar) {
                    throw error("unpaired surrogate")
                }
                guard let unicode = Unicode.Scalar(scalar) else { throw error("invalid code point") }
                buffer.append(contentsOf: String(Character(unicode)).utf8)
            default:
                throw error("invalid escape")
            }
        }

        mutating func hex4() throws -> UInt32 {
            guard position + 4 <= bytes.count else { throw error("short \\u escape") }
            var value: UInt32 = 0
            for _ in 0..<4 {
                let byte = bytes[position]
                let digit: UInt8
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
                default: throw error("invalid hex digit")
                }
                value = value << 4 | UInt32(digit)
                position += 1
            }
            return value
        }

        mutating func number() throws -> Double {
            let start = position
            var integer: Int64 = 0
            var integerOnly = true
            var negative = false
            if position < bytes.count, bytes[position] == UInt8(ascii: "-") {
                negative = true
                position += 1
            }
            let digitsStart = position
            while position < bytes.count {
                let byte = bytes[position]
                if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                    if position - digitsStart < 18 {
                        integer = integer * 10 + Int64(byte - UInt8(ascii: "0"))
                    } else {
                        integerOnly = false
                    }
                    position += 1
                } else if byte == UInt8(ascii: ".") || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E")
                    || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-")
                {
                    integerOnly = false
                    position += 1
                } else {
                    break
                }
            }
            guard position > digitsStart else { throw error("unexpected character", at: start) }
            let firstDigit = bytes[digitsStart]
            if firstDigit == UInt8(ascii: "0"), position - digitsStart > 1, integerOnly {
                throw error("leading zero", at: start)
            }
            if integerOnly { return Double(negative ? -integer : integer) }
            let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
            guard let value = Double(text), firstDigit >= UInt8(ascii: "0"), firstDigit <= UInt8(ascii: "9") else {
                throw error("invalid number \(text)", at: start)
            }
            return value
        }
    }
}
