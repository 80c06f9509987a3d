import BenchProviders
import Foundation
import Testing

@Suite struct SSEDecoderTests {
    struct Expected: Decodable, Equatable {
        var event: String?
        var id: String?
        var retry: Int?
        var data: String
    }

    static func decode(_ pieces: [[UInt8]]) throws -> [ServerSentEvent] {
        var decoder = SSEDecoder()
        var events: [ServerSentEvent] = []
        for piece in pieces { try decoder.push(piece, into: &events) }
        return events
    }

    static func expected() throws -> [Expected] {
        let data = try Data(contentsOf: Fixtures.directory.appendingPathComponent("sse_edge_cases.expected.json"))
        return try JSONDecoder().decode([Expected].self, from: data)
    }

    static func simplify(_ events: [ServerSentEvent]) -> [Expected] {
        events.map { Expected(event: $0.event, id: $0.id, retry: $0.retry, data: $0.data) }
    }

    @Test func edgeCaseFixtureMatchesExpectedEvents() throws {
        let events = try Self.decode([Fixtures.bytes("sse_edge_cases.sse")])
        #expect(Self.simplify(events) == (try Self.expected()))
    }

    @Test func everySplitPointGivesTheSameEvents() throws {
        let bytes = try Fixtures.bytes("sse_edge_cases.sse")
        let expected = try Self.expected()
        for split in 0...bytes.count {
            let events = try Self.decode([Array(bytes[..<split]), Array(bytes[split...])])
            #expect(Self.simplify(events) == expected, "split at byte \(split)")
        }
    }

    @Test func oneByteAtATimeGivesTheSameEvents() throws {
        let bytes = try Fixtures.bytes("sse_edge_cases.sse")
        #expect(Self.simplify(try Self.decode(bytes.map { [$0] })) == (try Self.expected()))
    }

    @Test func multiByteCharactersSplitAcrossReadsSurvive() throws {
        let bytes = try Fixtures.bytes("openai_chat_stream_utf8_split.sse")
        let whole = try Self.decode([bytes])
        #expect(!whole.isEmpty)
        for split in 0...bytes.count {
            #expect(try Self.decode([Array(bytes[..<split]), Array(bytes[split...])]) == whole)
        }
        #expect(whole.contains { $0.data.contains("ü") || $0.data.contains("👋") })
    }

    @Test func crlfLoneCRAndLFTerminatorsAreEquivalent() throws {
        let lf = try Self.decode([Array("data: a\ndata: b\n\nevent: x\ndata: c\n\n".utf8)])
        let crlf = try Self.decode([Array("data: a\r\ndata: b\r\n\r\nevent: x\r\ndata: c\r\n\r\n".utf8)])
        let cr = try Self.decode([Array("data: a\rdata: b\r\revent: x\rdata: c\r\r".utf8)])
        #expect(lf == [ServerSentEvent(data: "a\nb"), ServerSentEvent(event: "x", data: "c")])
        #expect(crlf == lf)
        #expect(cr == lf)
    }

    @Test func dataWithoutSpaceAndDoneWithoutSpace() throws {
        let events = try Self.decode([Array("data:{\"a\":1}\n\ndata:[DONE]\n\n".utf8)])
        #expect(events.map(\.data) == ["{\"a\":1}", "[DONE]"])
    }

    @Test func anUnterminatedEventAtEndOfStreamIsDiscarded() throws {
        let events = try Self.decode([Array("data: complete\n\ndata: partial".utf8)])
        #expect(events.map(\.data) == ["complete"])
    }

    @Test func anOverlongLineIsRejected() throws {
        var decoder = SSEDecoder(maxBytes: 64)
        var events: [ServerSentEvent] = []
        #expect(throws: SSEDecodingError.tooLong(limit: 64)) {
            try decoder.push(Array(repeating: UInt8(ascii: "x"), count: 65), into: &events)
        }
    }
}
