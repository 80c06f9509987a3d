/// A pull reader over one JSON document's bytes, for hot paths that need a few fields and would otherwise build a
/// whole ``JSONValue`` per document (a dictionary per object, a string per key).
///
/// It accepts exactly what ``JSONParser`` accepts — the same grammar, the same UTF-8 validation and nesting limit —
/// because it runs the parser's own reader; what it skips is validated, not built. Every method throws on a syntax
/// error, and a caller that meets something it does not handle simply stops: the intended use is a fast path that
/// reads the usual shape of a document and leaves anything else, errors included, to ``JSONParser``.
///
/// Containers are walked in order: ``enterObject()`` then ``nextField()`` until it returns nil, ``enterArray()``
/// then ``nextElement()`` until it returns false; after each field name or element comes exactly one value, read by
/// ``string()``, ``number()``, ``null()``, ``enterObject()``, ``enterArray()`` or ``skipValue()``.
public struct JSONCursor {
    /// The bytes of the document; valid only while the buffer they point into is.
    private var reader: JSONParser.Reader
    /// Containers entered and not yet left: the nesting level of the next value, as the parser counts it.
    private var depth = 0
    /// Whether the innermost container has had no member yet (so no comma is due).
    private var atFirstMember = false

    public init(_ bytes: UnsafeRawBufferPointer) {
        reader = JSONParser.Reader(bytes: bytes)
        reader.skipWhitespace()
    }

    /// Enters the next value when it is an object. - Returns: false, consuming nothing, when it is not.
    public mutating func enterObject() throws -> Bool {
        try enter("{")
    }

    /// Enters the next value when it is an array. - Returns: false, consuming nothing, when it is not.
    public mutating func enterArray() throws -> Bool {
        try enter("[")
    }

    /// The next field's name in the current object, as its raw bytes (validated; read them before the buffer goes).
    /// - Returns: nil after the object's closing brace, which leaves it.
    /// - Throws: on a syntax error, and ``EscapedName`` for a name with escapes, which it does not decode.
    public mutating func nextField() throws -> UnsafeRawBufferPointer? {
        guard try nextMember(closing: "}") else { return nil }
        guard let name = try reader.fieldName({ try $0.skipString() }) else { throw EscapedName() }
        return name
    }

    /// Whether the current array has another element. - Returns: false after its closing bracket, which leaves it.
    public mutating func nextElement() throws -> Bool {
        try nextMember(closing: "]")
    }

    /// Reads the next value when it is a string (escapes decoded). - Returns: nil, consuming nothing, when it is not.
    public mutating func string() throws -> String? {
        guard try peek(UInt8(ascii: "\"")) else { return nil }
        defer { atFirstMember = false }
        return try reader.string()
    }

    /// Reads the next value when it is a number. - Returns: nil, consuming nothing, when it is not.
    public mutating func number() throws -> Double? {
        guard try peek(nil) else { return nil }
        switch reader.bytes[reader.position] {
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            defer { atFirstMember = false }
            return try reader.number()
        default:
            return nil
        }
    }

    /// Reads the next value when it is `null`. - Returns: false, consuming nothing, when it is not.
    public mutating func null() throws -> Bool {
        guard try peek(UInt8(ascii: "n")) else { return false }
        try reader.literal("null")
        atFirstMember = false
        return true
    }

    /// Consumes the next value, whatever it is, validating it as the parser would.
    public mutating func skipValue() throws {
        try reader.skipValue(depth: depth)
        atFirstMember = false
    }

    /// Checks that nothing but whitespace follows the document's one value.
    public mutating func end() throws {
        reader.skipWhitespace()
        guard reader.position == reader.bytes.count else { throw reader.error("unexpected data after the value") }
    }

    /// A field name with escapes: valid JSON, left to the full parser.
    public struct EscapedName: Error {}

    /// Whether the next value starts with `byte` (any byte when nil), after the parser's checks on any value: the
    /// nesting limit and the end of input.
    private func peek(_ byte: UInt8?) throws -> Bool {
        guard depth < 512 else { throw reader.error("nested too deeply") }
        guard reader.position < reader.bytes.count else { throw reader.error("unexpected end") }
        return byte.map { reader.bytes[reader.position] == $0 } ?? true
    }

    private mutating func enter(_ opening: Unicode.Scalar) throws -> Bool {
        guard try peek(UInt8(ascii: opening)) else { return false }
        reader.position += 1
        depth += 1
        atFirstMember = true
        return true
    }

    /// Moves past the comma before the next member, or past the closing `bracket` (leaving the container).
    private mutating func nextMember(closing bracket: Unicode.Scalar) throws -> Bool {
        reader.skipWhitespace()
        guard reader.position < reader.bytes.count else { throw reader.error("unexpected end") }
        let byte = reader.bytes[reader.position]
        if byte == UInt8(ascii: bracket) {
            reader.position += 1
            reader.skipWhitespace()
            depth -= 1
            atFirstMember = false
            return false
        }
        if !atFirstMember {
            guard byte == UInt8(ascii: ",") else { throw reader.error("expected ',' or '\(bracket)'") }
            reader.position += 1
            reader.skipWhitespace()
        }
        atFirstMember = false
        return true
    }
}
