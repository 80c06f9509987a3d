public import BenchCore

/// The fast path of ``OpenAIChatCodec/decode(_:)``: the usual chat-completions chunk — one choice at index 0 whose
/// delta carries `content` (or nothing), no finish reason, no log-probabilities, no usage, timings or error — read
/// straight from its bytes with a ``JSONCursor``, without building a ``JSONValue``.
///
/// It answers only when it is sure to give what the full decoder gives: any other shape, a repeated field it reads,
/// a field name with escapes, or invalid JSON returns nil, and the caller runs the full decoder, which owns every
/// rule and every error message. Fields it does not read are skipped but validated, so a chunk it accepts is one the
/// full parser accepts too (`OpenAIChatChunkScannerTests`, and the `openai-chunk` fuzz target, compare the two).
public enum OpenAIChatChunkScanner {
    /// The events of one chunk's data, or nil when the full decoder must decide.
    public static func events(_ data: UnsafeRawBufferPointer) -> [GenerationEvent]? {
        var cursor = JSONCursor(data)
        guard let content = try? chunkContent(&cursor), (try? cursor.end()) != nil else { return nil }
        guard let content, !content.isEmpty else { return [] }
        return [.text(content, channel: .answer)]
    }

    /// Reads the top-level object. - Returns: the content, nil when there is none (`Optional.none` inside a value).
    /// - Throws: ``Unhandled`` for anything the fast path leaves to the full decoder, and any syntax error.
    private static func chunkContent(_ cursor: inout JSONCursor) throws -> String?? {
        guard try cursor.enterObject() else { throw Unhandled() }
        var choice: String?? = nil
        while let name = try cursor.nextField() {
            if name.elementsEqual("choices".utf8) {
                guard choice == nil, try cursor.enterArray(), try cursor.nextElement() else { throw Unhandled() }
                choice = .some(try choiceContent(&cursor))
                guard try !cursor.nextElement() else { throw Unhandled() }
            } else if name.elementsEqual("error".utf8) || name.elementsEqual("usage".utf8)
                || name.elementsEqual("x_groq".utf8) || name.elementsEqual("timings".utf8)
            {
                guard try cursor.null() else { throw Unhandled() }
            } else {
                try cursor.skipValue()
            }
        }
        guard let choice else { throw Unhandled() }
        return choice
    }

    /// Reads the one choice: index 0 (or none), a delta, a null finish reason and log-probabilities.
    private static func choiceContent(_ cursor: inout JSONCursor) throws -> String? {
        guard try cursor.enterObject() else { throw Unhandled() }
        var content: String?? = nil
        var sawIndex = false
        while let name = try cursor.nextField() {
            if name.elementsEqual("delta".utf8) {
                guard content == nil else { throw Unhandled() }
                content = .some(try deltaContent(&cursor))
            } else if name.elementsEqual("index".utf8) {
                guard !sawIndex, try cursor.number() == 0 else { throw Unhandled() }
                sawIndex = true
            } else if name.elementsEqual("finish_reason".utf8) || name.elementsEqual("logprobs".utf8) {
                guard try cursor.null() else { throw Unhandled() }
            } else if name.elementsEqual("message".utf8) {
                throw Unhandled()
            } else {
                try cursor.skipValue()
            }
        }
        guard let content else { throw Unhandled() }
        return content
    }

    /// Reads a delta: `content` as a string or null, the role and tool fields skipped, the other text fields null.
    private static func deltaContent(_ cursor: inout JSONCursor) throws -> String? {
        guard try cursor.enterObject() else { throw Unhandled() }
        var content: String?? = nil
        while let name = try cursor.nextField() {
            if name.elementsEqual("content".utf8) {
                guard content == nil else { throw Unhandled() }
                if try cursor.null() {
                    content = .some(nil)
                } else if let text = try cursor.string() {
                    content = .some(text)
                } else {
                    throw Unhandled()
                }
            } else if name.elementsEqual("reasoning_content".utf8) || name.elementsEqual("reasoning".utf8)
                || name.elementsEqual("refusal".utf8)
            {
                guard try cursor.null() else { throw Unhandled() }
            } else {
                try cursor.skipValue()
            }
        }
        return content ?? nil
    }

    /// A shape the fast path leaves to the full decoder.
    private struct Unhandled: Error {}
}
