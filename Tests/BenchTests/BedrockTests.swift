import BenchCore
import BenchProviders
import Foundation
import Testing

@Suite struct SigningTests {
    static func hex(_ text: String) -> String { SHA256.hex(SHA256.hash(Array(text.utf8))) }

    @Test func sha256MatchesTheFIPSExamples() {
        #expect(Self.hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(Self.hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(
            Self.hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    @Test func hmacMatchesRFC4231() {
        let short = SHA256.hmac(key: Array("Jefe".utf8), message: Array("what do ya want for nothing?".utf8))
        #expect(SHA256.hex(short) == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        let long = SHA256.hmac(
            key: [UInt8](repeating: 0xaa, count: 131),
            message: Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8))
        #expect(SHA256.hex(long) == "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")
    }

    /// The worked example of the AWS Signature Version 4 documentation (IAM ListUsers, 2015-08-30).
    @Test func sigV4MatchesTheAWSDocumentationExample() throws {
        let signer = AWSSigner(
            credentials: AWSCredentials(
                accessKeyID: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"),
            region: "us-east-1", service: "iam"
        )
        #expect(
            SHA256.hex(signer.signingKey(day: "20150830"))
                == "c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9")
        let date = try #require(ISO8601DateFormatter().date(from: "2015-08-30T12:36:00Z"))
        let headers = signer.sign(
            method: "GET",
            url: try #require(URL(string: "https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08")),
            headers: [("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")], body: Data(), date: date
        )
        #expect(headers.first { $0.0 == "X-Amz-Date" }?.1 == "20150830T123600Z")
        #expect(
            headers.first { $0.0 == "Authorization" }?.1
                == "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7"
        )
    }
}

@Suite struct BedrockTests {
    static func frames(_ fixture: String) throws -> [ServerSentEvent] {
        var decoder = AWSEventStreamDecoder()
        var events: [ServerSentEvent] = []
        try decoder.push(Fixtures.bytes(fixture), into: &events)
        return events
    }

    @Test func eventStreamFramesDecodeWhereverTheBytesAreSplit() throws {
        let bytes = try Fixtures.bytes("bedrock_converse_stream.eventstream")
        let whole = try Self.frames("bedrock_converse_stream.eventstream")
        #expect(
            whole.map(\.event) == [
                "messageStart", "contentBlockDelta", "contentBlockDelta", "contentBlockStop", "messageStop", "metadata",
            ])
        for split in 0...bytes.count {
            var decoder = AWSEventStreamDecoder()
            var events: [ServerSentEvent] = []
            try decoder.push(bytes[..<split], into: &events)
            try decoder.push(bytes[split...], into: &events)
            #expect(events == whole, "split at \(split)")
        }
    }

    @Test func aCorruptedByteFailsTheChecksum() throws {
        var bytes = try Fixtures.bytes("bedrock_converse_stream.eventstream")
        bytes[100] ^= 0x01  // inside the first frame's payload
        var decoder = AWSEventStreamDecoder()
        var events: [ServerSentEvent] = []
        #expect(throws: AWSEventStreamError.messageChecksum) { try decoder.push(bytes, into: &events) }
        bytes = try Fixtures.bytes("bedrock_converse_stream.eventstream")
        bytes[5] ^= 0x01  // the headers length, covered by the prelude checksum
        decoder = AWSEventStreamDecoder()
        #expect(throws: AWSEventStreamError.preludeChecksum) { try decoder.push(bytes, into: &events) }
    }

    @Test func converseStreamGivesTextStopUsageAndDone() throws {
        var decoder = BedrockConverseWire(signer: nil).makeDecoder()
        let events = try Self.frames("bedrock_converse_stream.eventstream").flatMap { decoder.decode($0) }
        #expect(
            events == [
                .text("I", channel: .answer), .text("'m doing well", channel: .answer), .finish(.stop),
                .usage(TokenUsage(inputTokens: 12, outputTokens: 5)), .done,
            ])
        #expect(decoder.isComplete)
    }

    @Test func anExceptionFrameIsAClassifiedFailure() throws {
        var decoder = BedrockConverseWire(signer: nil).makeDecoder()
        let events = try Self.frames("bedrock_converse_stream_exception.eventstream").flatMap { decoder.decode($0) }
        guard case .failure(let error) = events.last else {
            Issue.record("no failure: \(events)")
            return
        }
        #expect(error.kind == .rateLimited && error.isThrottle && error.message.contains("Too many tokens"))
        #expect(!decoder.isComplete)
    }

    @Test func requestsAreSignedOrCarryTheAPIKey() throws {
        let request = GenerationRequest(
            model: "anthropic.claude-3-haiku-20240307-v1:0",
            messages: [.init(role: "system", content: "Be brief."), .init(role: "user", content: "Hi")],
            maxOutputTokens: 32, temperature: 0)
        let base = "https://bedrock-runtime.eu-west-1.amazonaws.com"
        #expect(BedrockConverseWire.region(inBaseURL: base) == "eu-west-1")
        let signer = AWSSigner(
            credentials: AWSCredentials(accessKeyID: "AKIDTEST", secretAccessKey: "secret", sessionToken: "token"),
            region: "eu-west-1", service: "bedrock")
        let signed = try BedrockConverseWire(signer: signer).streamingRequest(request, baseURL: base, apiKey: nil)
        #expect(signed.url == base + "/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse-stream")
        let authorization = try #require(signed.headers.first { $0.name == "Authorization" }?.value)
        #expect(authorization.hasPrefix("AWS4-HMAC-SHA256 Credential=AKIDTEST/"))
        #expect(
            authorization.contains(
                "/eu-west-1/bedrock/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-security-token,"))
        #expect(signed.headers.contains(.init("X-Amz-Security-Token", "token")))
        #expect(!authorization.contains("secret"))
        let body = try JSONParser.parse(String(decoding: signed.body, as: UTF8.self))
        #expect(body["system"]?.array?.first?["text"] == .string("Be brief."))
        #expect(body["inferenceConfig"]?["maxTokens"] == .number(32))
        let bearer = try BedrockConverseWire(signer: nil).streamingRequest(
            request, baseURL: base, apiKey: "bedrock-key")
        #expect(bearer.headers.contains(.init("Authorization", "Bearer bedrock-key")))
    }
}
