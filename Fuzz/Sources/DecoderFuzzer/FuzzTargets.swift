import BenchCore
#if canImport(Glibc)
import Glibc
#endif
import BenchProviders

/// One fuzzing target: a provider's wire protocol, fed through the same ``ResponseBodyDecoder`` as real responses.
struct FuzzTarget: Sendable {
    let run: @Sendable (UnsafeRawBufferPointer) -> Void

    init<Wire: WireProtocol>(_ wire: Wire) {
        run = { input in Self.exercise(wire, input) }
    }

    init(run: @escaping @Sendable (UnsafeRawBufferPointer) -> Void) {
        self.run = run
    }

    /// The chat-chunk fast path against the full parser, on one event's data: where ``OpenAIChatChunkScanner``
    /// answers, its events must be the full decoder's, and the ``JSONCursor`` under it must accept exactly the
    /// documents ``JSONParser`` accepts.
    static let chatChunk = FuzzTarget { input in
        let data = String(decoding: input, as: UTF8.self)
        var copy = data
        if let fast = copy.withUTF8({ OpenAIChatChunkScanner.events(UnsafeRawBufferPointer($0)) }) {
            precondition(fast == OpenAIChatCodec.decodeParsed(ServerSentEvent(data: data)), "fast path differs")
        }
        var cursor = JSONCursor(input)
        let skipped = (try? cursor.skipValue()) != nil && (try? cursor.end()) != nil
        precondition(skipped == ((try? JSONParser.parse(input)) != nil), "cursor and parser disagree")
    }

    /// The first input byte seeds how the rest is cut into reads (so splits inside lines, CRLFs, UTF-8 characters
    /// and frames are explored); the rest is the response body. The body also becomes a prompt, to check that
    /// encoding any text into a request cannot fail hard.
    static func exercise<Wire: WireProtocol>(_ wire: Wire, _ input: UnsafeRawBufferPointer) {
        guard let seed = input.first else { return }
        let body = UnsafeRawBufferPointer(rebasing: input.dropFirst())
        var decoder = ResponseBodyDecoder(framing: wire.framing, decoder: wire.makeDecoder(), maxEventBytes: 1 << 12)
        var events: [GenerationEvent] = []
        var state = UInt32(seed) | 1
        var offset = 0
        while offset < body.count {
            state = state &* 1_103_515_245 &+ 12_345
            let length = min(body.count - offset, Int(state >> 16) % 97 + 1)
            decoder.push(UnsafeRawBufferPointer(rebasing: body[offset..<(offset + length)]), into: &events)
            offset += length
        }
        decoder.finish(into: &events)
        check(events, decoder)

        let prompt = String(decoding: body.prefix(4096), as: UTF8.self)
        let request = GenerationRequest(
            model: prompt, messages: [ChatMessage(role: "user", content: prompt)], maxOutputTokens: Int(seed))
        _ = try? wire.streamingRequest(request, baseURL: "http://127.0.0.1:1/v1", apiKey: prompt)
    }

    /// What every decoded stream must satisfy, whatever the bytes: at most one failure, and only as the last event.
    static func check<Decoder>(_ events: [GenerationEvent], _ decoder: ResponseBodyDecoder<Decoder>) {
        let failures = events.indices.filter { if case .failure = events[$0] { true } else { false } }
        precondition(failures.count <= 1, "more than one failure event")
        if let index = failures.first { precondition(index == events.count - 1, "events after a failure") }
        precondition(decoder.failed == !failures.isEmpty, "failure flag out of step with the events")
    }
}

let targets: [String: FuzzTarget] = [
    "openai-chat": FuzzTarget(OpenAIChatWire()),
    "openai-chunk": FuzzTarget.chatChunk,
    "openai-responses": FuzzTarget(OpenAIResponsesWire()),
    "azure-openai": FuzzTarget(AzureOpenAIWire()),
    "anthropic": FuzzTarget(AnthropicMessagesWire()),
    "gemini": FuzzTarget(GeminiWire()),
    "cohere": FuzzTarget(CohereChatWire()),
    "tgi": FuzzTarget(TGIGenerateWire()),
    "ollama": FuzzTarget(OllamaChatWire()),
    "bedrock": FuzzTarget(BedrockConverseWire(signer: nil)),
]

let selected: FuzzTarget = {
    let name = getenv("LLMBENCH_FUZZ_WIRE").map { String(cString: $0) } ?? ""
    guard let target = targets[name] else {
        fatalError("set LLMBENCH_FUZZ_WIRE to one of: \(targets.keys.sorted().joined(separator: ", "))")
    }
    return target
}()

/// libFuzzer's callback: one input.
func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    selected.run(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}
