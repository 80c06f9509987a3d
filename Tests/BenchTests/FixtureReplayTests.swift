import AsyncHTTPClient
import BenchCore
import BenchMetrics
import BenchProviders
import BenchRunner
import Foundation
import Hummingbird
import Logging
import NIOCore
import Testing

/// Each provider transcript replayed by a loopback server over real HTTP, in small random reads with pauses, through
/// the real transport: the records must come out as the transcript says, timing included.
extension LiveTests {
    @Suite struct FixtureReplayTests {
        /// Serves `fixture` for any POST, in reads of 1–24 bytes with `pause` after each.
        static func withReplayServer<T: Sendable>(
            _ fixture: String, pause: Duration, _ body: @Sendable (Int) async throws -> T
        ) async throws -> T {
            let bytes = try Fixtures.bytes(fixture)
            let router = Router()
            router.post("**") { _, _ in
                Response(
                    status: .ok, headers: [.contentType: "text/event-stream"],
                    body: ResponseBody { writer in
                        var random = SeededRandom(seed: 11)
                        var offset = 0
                        while offset < bytes.count {
                            let end = min(bytes.count, offset + 1 + Int(random.next() % 24))
                            try await writer.write(ByteBuffer(bytes: bytes[offset..<end]))
                            offset = end
                            try await Task.sleep(for: pause)
                        }
                        try await writer.finish(nil)
                    }
                )
            }
            return try await withLoopbackRouter(router, body)
        }

        static func record<Wire: WireProtocol>(_ fixture: String, wire: Wire) async throws -> RequestRecord {
            try await withReplayServer(fixture, pause: .milliseconds(2)) { port in
                let client = StreamingModelClient(
                    http: HTTPTransport(HTTPClient.shared), wire: wire, baseURL: "http://127.0.0.1:\(port)/v1",
                    apiKey: "test-key"
                )
                let origin = ContinuousClock.now
                var assembler = RecordAssembler(
                    origin: origin,
                    template: blankRecord()
                )
                let request = GenerationRequest(model: "m", messages: [ChatMessage(role: "user", content: "hi")])
                for await event in client.stream(request) { assembler.consume(event) }
                return assembler.finish(endedAt: .now)
            }
        }

        @Test func anthropicReasoningMakesTTFTEarlierThanTTFA() async throws {
            let record = try await Self.record("anthropic_messages_stream_thinking.sse", wire: AnthropicMessagesWire())
            #expect(record.outcome == .success)
            #expect(record.outputTokens == 71 && record.outputTokenSource == .usage)
            #expect(record.reasoningChunks == 2 && record.textChunks == 3)
            let ttft = try #require(record.timeToFirstToken)
            let ttfa = try #require(record.timeToFirstAnswer)
            // The answer comes several hundred bytes (and so several 2 ms pauses) after the first thought.
            #expect(ttfa - ttft > .milliseconds(10))
        }

        @Test func anthropicOverloadMidStreamIsAFailedThrottledRecord() async throws {
            let record = try await Self.record("anthropic_error_overloaded.sse", wire: AnthropicMessagesWire())
            #expect(record.outcome == .failed)
            #expect(record.error?.kind == .overloaded)
            #expect(record.textChunks == 1)
        }

        @Test func geminiEndsAtFinishReasonWithoutDone() async throws {
            let record = try await Self.record("gemini_stream_thinking.sse", wire: GeminiWire())
            #expect(record.outcome == .success)
            #expect(record.finishReason == .stop)
            #expect(record.usage?.reasoningTokens == 540)
            #expect(record.firstTokenAt! < record.firstAnswerAt!)
        }

        @Test func ollamaNativeLinesGiveTheServerSplit() async throws {
            let record = try await Self.record("ollama_chat.ndjson", wire: OllamaChatWire())
            #expect(record.outcome == .success)
            #expect(record.outputTokens == 282 && record.outputTokenSource == .usage)
            #expect(record.serverTimings?.promptMilliseconds == 342.546)
        }

        @Test func anOllamaGenerateStreamReadAsChatIsAProtocolMismatch() async throws {
            let record = try await Self.record("ollama_generate.ndjson", wire: OllamaChatWire())
            #expect(record.outcome == .failed)
            #expect(record.error?.kind == .decoding)
            #expect(
                record.error?.message.hasPrefix(
                    "protocol mismatch: the stream ended normally and reported 18 output tokens") == true)
            #expect(record.firstTokenAt == nil)
        }

        @Test func cohereAndTGINativeStreamsEndAtTheirFinalEvents() async throws {
            let cohere = try await Self.record("cohere_v2_chat_stream.sse", wire: CohereChatWire())
            #expect(cohere.outcome == .success && cohere.finishReason == .stop)
            #expect(cohere.usage?.billedOutputTokens == 2 && cohere.textChunks == 2)
            let tgi = try await Self.record("tgi_generate_stream.sse", wire: TGIGenerateWire())
            #expect(tgi.outcome == .success && tgi.outputTokens == 4 && tgi.textChunks == 3)
            let failed = try await Self.record("tgi_generate_stream_error.sse", wire: TGIGenerateWire())
            #expect(failed.outcome == .failed && failed.error?.kind == .server)
        }

        @Test func bedrockBinaryFramesStreamThroughTheSameTransport() async throws {
            let record = try await Self.record(
                "bedrock_converse_stream.eventstream", wire: BedrockConverseWire(signer: nil))
            #expect(record.outcome == .success && record.finishReason == .stop)
            #expect(record.outputTokens == 5 && record.textChunks == 2)
            let failed = try await Self.record(
                "bedrock_converse_stream_exception.eventstream", wire: BedrockConverseWire(signer: nil))
            #expect(failed.outcome == .failed && failed.error?.kind == .rateLimited)
        }

        @Test func responsesAPIStreamEndsAtCompleted() async throws {
            let record = try await Self.record("openai_responses_stream.sse", wire: OpenAIResponsesWire())
            #expect(record.outcome == .success)
            #expect(record.firstTokenAt! < record.firstAnswerAt!)
            #expect(record.usage?.outputTokens != nil)
        }

        @Test func openAICompatibleStreamsDecodeThroughTheSameTransport() async throws {
            for fixture in [
                "vllm_chat_stream.sse", "tgi_chat_stream.sse", "ollama_openai_chat_stream.sse",
                "groq_chat_stream_xgroq.sse", "deepseek_reasoner_stream.sse", "openrouter_stream_usage.sse",
                "azure_openai_chat_stream.sse",
            ] {
                let record = try await Self.record(fixture, wire: OpenAIChatWire())
                #expect(record.outcome == .success, "\(fixture): \(String(describing: record.error))")
                #expect(record.textChunks > 0, "\(fixture)")
            }
            let failed = try await Self.record("openrouter_stream_error.sse", wire: OpenAIChatWire())
            #expect(failed.outcome == .failed)
        }
    }
}
