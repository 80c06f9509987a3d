public import BenchCore
public import Foundation

/// The HTTP request that starts a streamed generation.
public struct WireRequest: Sendable, Hashable {
    public var url: String
    /// Headers in the order they are sent.
    public var headers: [Header]
    public var body: Data

    public struct Header: Sendable, Hashable {
        public var name: String
        public var value: String

        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    /// Extra headers of a target, in a fixed (name) order.
    public static func headers(_ fields: [String: String]) -> [Header] {
        fields.sorted { $0.key < $1.key }.map { Header($0.key, $0.value) }
    }

    public init(url: String, headers: [Header], body: Data) {
        self.url = url
        self.headers = headers
        self.body = body
    }
}

/// Turns the server-sent events of one response into generation events. It may keep state across events
/// (open content blocks, cumulative usage).
public protocol StreamDecoding: Sendable {
    mutating func decode(_ event: ServerSentEvent) -> [GenerationEvent]
    /// Whether the events so far make a complete response, so that the end of the stream now is not a truncation.
    var isComplete: Bool { get }
}

/// How a response body is cut into events.
public enum StreamFraming: Sendable, Hashable {
    /// `text/event-stream` (WHATWG server-sent events).
    case serverSentEvents
    /// Newline-delimited JSON, one object per line (Ollama's native API).
    case jsonLines
    /// AWS binary event stream (`application/vnd.amazon.eventstream`, Bedrock).
    case awsEventStream
}

/// One provider's wire format: a pure codec, with no I/O. ``StreamingModelClient`` is the
/// transport that every wire protocol shares.
public protocol WireProtocol: Sendable {
    associatedtype Decoder: StreamDecoding

    /// The request for a generation.
    /// - Parameters:
    ///   - baseURL: the API root, without a trailing slash.
    ///   - apiKey: the key, placed where this provider expects it; nil sends none.
    func streamingRequest(_ generation: GenerationRequest, baseURL: String, apiKey: String?) throws -> WireRequest

    /// A decoder for one response.
    func makeDecoder() -> Decoder

    /// A cheap `GET` on the same host, used to open connections before a load step.
    func warmupURL(baseURL: String) -> String

    /// How the response body is framed.
    var framing: StreamFraming { get }

    /// What the protocol offers and this codec asks for when a request wants it.
    var capabilities: WireCapabilities { get }
}

/// What a wire protocol offers, and so what its codec encodes when a ``GenerationRequest`` asks for it (and reads
/// back from the stream). A request field the protocol lacks is left out of the body, never faked; the capability
/// probe tests each capability a protocol claims against the real server, and reports the rest as not offered.
public struct WireCapabilities: Sendable, Hashable {
    /// The seed parameter (``GenerationRequest/seed``).
    public var seed: Bool
    /// Fields that ask for exactly ``GenerationRequest/maxOutputTokens`` tokens (``GenerationRequest/exactOutputLength``).
    public var exactOutput: Bool
    /// Log-probabilities of the generated tokens with their top alternatives (``GenerationRequest/topLogprobs``),
    /// read back as ``GenerationEvent/tokenLogprobs(_:)`` events.
    public var outputLogprobs: Bool
    /// The most alternatives per position the protocol returns (0 when it returns only the chosen token's).
    public var maxTopLogprobs: Int
    /// An option that constrains the answer to a JSON object (``GenerationRequest/jsonObject``).
    public var jsonMode: Bool
    /// The ways a server speaking this protocol may give log-probabilities of given text, in the order to try them.
    public var promptLogprobMethods: [PromptLogprobMethod]

    public init(
        seed: Bool = false, exactOutput: Bool = false, outputLogprobs: Bool = false, maxTopLogprobs: Int = 0,
        jsonMode: Bool = false, promptLogprobMethods: [PromptLogprobMethod] = []
    ) {
        self.seed = seed
        self.exactOutput = exactOutput
        self.outputLogprobs = outputLogprobs
        self.maxTopLogprobs = maxTopLogprobs
        self.jsonMode = jsonMode
        self.promptLogprobMethods = promptLogprobMethods
    }
}

/// How a server gives the log-probabilities of text it is given (perplexity, multiple-choice scoring).
public enum PromptLogprobMethod: String, Sendable, Hashable, Codable, CaseIterable {
    /// vLLM's `prompt_logprobs` request field.
    case promptLogprobs = "prompt_logprobs"
    /// llama.cpp: `/tokenize`, then `/completion` with `n_probs` one forced token at a time.
    case forcedDecoding = "forced_decoding"
    /// TGI's `decoder_input_details` on `/generate`.
    case decoderInputDetails = "decoder_input_details"
}

extension WireProtocol {
    public func warmupURL(baseURL: String) -> String { baseURL + "/models" }
    public var framing: StreamFraming { .serverSentEvents }
}

/// A stream decoder whose events each carry one JSON document: parsing, and reporting data that is not JSON as
/// a decoding failure, happen once here. A `[DONE]` sentinel (which some servers add after their own final event)
/// ends the stream.
public protocol JSONEventDecoding: StreamDecoding {
    /// The generation events of one parsed event; `name` is the SSE `event:` field, if any.
    mutating func decode(json: JSONValue, name: String?) -> [GenerationEvent]
}

extension JSONEventDecoding {
    public mutating func decode(_ event: ServerSentEvent) -> [GenerationEvent] {
        if event.data == "[DONE]" { return isComplete ? [] : [.done] }
        guard let json = try? JSONParser.parse(event.data) else {
            return [.failure(ProviderError(.decoding, "malformed JSON in stream: \(event.data.prefix(200))"))]
        }
        return decode(json: json, name: event.event)
    }
}

extension GenerationRequest {
    /// The request without the exact-length option, for protocols that have none.
    func without(exactOutput: Bool) -> GenerationRequest {
        var copy = self
        if exactOutput { copy.exactOutputLength = false }
        return copy
    }
}

extension GenerationEvent {
    /// A text event for non-empty text, nothing otherwise.
    static func texts(_ text: String?, _ channel: TextChannel) -> [GenerationEvent] {
        guard let text, !text.isEmpty else { return [] }
        return [.text(text, channel: channel)]
    }
}

/// Builds JSON request bodies from ``JSONValue`` fields, with the target's extra fields applied last.
enum RequestBody {
    /// Chat messages as `[{"role": …, "content": …}]`.
    static func messages(_ messages: [ChatMessage]) -> JSONValue {
        .array(messages.map { .object(["role": .string($0.role), "content": .string($0.content)]) })
    }

    /// The texts of the messages whose role is in `roles` (system instructions), and the rest of the conversation.
    static func splitInstructions(
        _ messages: [ChatMessage], roles: Set<String> = ["system"]
    ) -> (instructions: [String], conversation: [ChatMessage]) {
        (messages.filter { roles.contains($0.role) }.map(\.content), messages.filter { !roles.contains($0.role) })
    }

    static func encode(_ fields: [String: JSONValue], extra: [String: JSONValue]) throws -> Data {
        var fields = fields
        for (key, value) in extra { fields[key] = value }
        return try JSONEncoder().encode(fields)
    }
}
