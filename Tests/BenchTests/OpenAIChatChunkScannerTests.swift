import BenchCore
import BenchProviders
import Foundation
import Testing

/// The fast path of the chat-chunk decoder against the full parser: wherever the scanner answers, its events are the
/// full decoder's; the cursor under it accepts exactly the documents the parser accepts.
@Suite struct OpenAIChatChunkScannerTests {
    static func scanned(_ data: String) -> [GenerationEvent]? {
        var data = data
        return data.withUTF8 { OpenAIChatChunkScanner.events(UnsafeRawBufferPointer($0)) }
    }

    static func parsed(_ data: String) -> [GenerationEvent] {
        OpenAIChatCodec.decodeParsed(ServerSentEvent(data: data))
    }

    /// The OpenAI-compatible recordings, by name.
    static let recordings = ((try? FileManager.default.contentsOfDirectory(atPath: Fixtures.directory.path)) ?? [])
        .filter {
            $0.hasSuffix(".sse") && !$0.hasPrefix("anthropic") && !$0.hasPrefix("gemini") && !$0.hasPrefix("cohere")
                && !$0.hasPrefix("openai_responses") && !$0.hasPrefix("tgi_generate")
        }.sorted()

    /// Every chunk of one recording (`[DONE]` left out).
    static func chunks(_ name: String) throws -> [String] {
        var decoder = SSEDecoder()
        var events: [ServerSentEvent] = []
        try decoder.push(try Fixtures.bytes(name), into: &events)
        return events.map(\.data).filter { $0 != "[DONE]" }
    }

    static func recordedChunks() throws -> [String] {
        try recordings.flatMap(chunks)
    }

    @Test func everyRecordedChunkTheScannerReadsDecodesAsTheParserDecodesIt() throws {
        var texts: [String: Int] = [:]
        for name in Self.recordings {
            for chunk in try Self.chunks(name) {
                guard let events = Self.scanned(chunk) else { continue }
                #expect(events == Self.parsed(chunk), "\(name): \(chunk)")
                if !events.isEmpty { texts[name, default: 0] += 1 }
            }
        }
        // The fast path must carry the text of every server whose plain chunks it knows.
        for name in [
            "openai_chat_stream_usage.sse", "llamacpp_chat_stream.sse", "vllm_chat_stream.sse", "tgi_chat_stream.sse",
            "ollama_openai_chat_stream.sse", "openrouter_stream_usage.sse", "groq_chat_stream_xgroq.sse",
            "deepseek_reasoner_stream.sse", "azure_openai_chat_stream.sse",
        ] {
            #expect(texts[name, default: 0] > 0, "no text chunk of \(name) took the fast path")
        }
    }

    @Test func thePlainDeltaShapesAreReadWithoutTheParser() {
        let plain =
            #"{"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","system_fingerprint":null,"#
            + #""choices":[{"index":0,"delta":{"content":"Hé\n\"x\" \ud83d\ude00"},"logprobs":null,"finish_reason":null}],"#
            + #""usage":null}"#
        #expect(Self.scanned(plain) == [.text("Hé\n\"x\" 😀", channel: .answer)])
        #expect(Self.scanned(plain) == Self.parsed(plain))
        let roleOnly = #"{"choices":[{"index":0,"delta":{"role":"assistant","content":""}}]}"#
        #expect(Self.scanned(roleOnly) == [])
        let nullContent = #"{"choices":[{"delta":{"content":null,"reasoning_content":null,"tool_calls":[]}}]}"#
        #expect(Self.scanned(nullContent) == [])
        #expect(Self.parsed(nullContent) == [])
    }

    @Test(arguments: [
        #"{"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}"#,
        #"{"choices":[{"index":0,"delta":{"content":"a"}}],"usage":{"prompt_tokens":3,"completion_tokens":1}}"#,
        #"{"choices":[{"index":1,"delta":{"content":"a"}}]}"#,
        #"{"choices":[{"index":0,"delta":{"content":"a"}},{"index":1,"delta":{"content":"b"}}]}"#,
        #"{"choices":[{"index":0,"delta":{"content":"a","content":"b"}}]}"#,
        #"{"choices":[{"index":0,"delta":{"reasoning_content":"think"}}]}"#,
        #"{"choices":[{"index":0,"message":{"content":"a"}}]}"#,
        #"{"choices":[{"index":0,"delta":{"content":"a"},"logprobs":{"content":[]}}]}"#,
        #"{"choices":[{"index":0,"delta":{"\u0063ontent":"a"}}]}"#,
        #"{"choices":[],"usage":{"prompt_tokens":3}}"#,
        #"{"error":{"message":"overloaded"}}"#,
        #"{"choices":[{"index":0,"delta":{"content":"a"}}]} x"#,
        #"{"choices":[{"index":0,"delta":{"content":"a"}}],}"#,
        #"{"choices":[{"index":0,"delta":{"content":"\ud800"}}]}"#,
        #"[{"choices":[]}]"#,
    ])
    func everyOtherShapeIsLeftToTheParser(chunk: String) {
        #expect(Self.scanned(chunk) == nil)
    }

    @Test func invalidUTF8InTheContentIsLeftToTheParsersFailure() {
        var bytes = Array(#"{"choices":[{"delta":{"content":"a"#.utf8)
        bytes += [0xC3, 0x28] + Array(#""}}]}"#.utf8)
        let events = bytes.withUnsafeBytes { OpenAIChatChunkScanner.events($0) }
        #expect(events == nil)
        let full = OpenAIChatCodec.decodeParsed(ServerSentEvent(data: String(decoding: bytes, as: UTF8.self)))
        #expect(full.count == 1)
    }

    /// The cursor skips a document exactly when the parser parses it: hand-written edge cases, then every recorded
    /// chunk with seeded random byte edits (a small in-test fuzz; `scripts/fuzz openai-chunk` runs the long one).
    @Test func theCursorAcceptsExactlyWhatTheParserAccepts() throws {
        var documents: [[UInt8]] = [
            "0", "-0", "01", "-", "1.", "1e", ".5", "1e+2", "[]", "[ ]", "[1,]", "[,1]", "{}", "{ }", "{,}",
            #"{"a":1,}"#, #"{"a" 1}"#, #"{"a":}"#, #""\u00zz""#, #""\ud800""#, #""\ud800\udc00""#, "\"\u{1}\"",
            "nul", "truex", "[1] [2]", " [1] ", String(repeating: "[", count: 511) + String(repeating: "]", count: 511),
            String(repeating: "[", count: 513) + String(repeating: "]", count: 513),
        ].map { Array($0.utf8) }
        documents.append([0x22, 0xC3, 0x28, 0x22])  // invalid UTF-8 in a string
        var random = SeededRandom(seed: 7)
        let edits: [UInt8] = [0x22, 0x5C, 0x2C, 0x7B, 0x7D, 0x5B, 0x5D, 0x3A, 0x30, 0x80, 0xFF, 0xC3, 0x01, 0x20]
        for chunk in try Self.recordedChunks().prefix(200) {
            documents.append(Array(chunk.utf8))
            for _ in 0..<20 {
                var bytes = Array(chunk.utf8)
                for _ in 0..<(1 + Int(random.next() % 3)) where !bytes.isEmpty {
                    bytes[Int(random.next() % UInt64(bytes.count))] = edits[Int(random.next() % UInt64(edits.count))]
                }
                documents.append(bytes)
            }
        }
        var rejected = 0
        for document in documents {
            let (skipped, parsed) = document.withUnsafeBytes { bytes -> (Bool, Bool) in
                var cursor = JSONCursor(bytes)
                let skipped = (try? cursor.skipValue()) != nil && (try? cursor.end()) != nil
                return (skipped, (try? JSONParser.parse(bytes)) != nil)
            }
            if !parsed { rejected += 1 }
            #expect(skipped == parsed, "\(String(decoding: document.prefix(120), as: UTF8.self))")
        }
        #expect(rejected > 1_000, "the edits must make invalid documents too")
    }
}
