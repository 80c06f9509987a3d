import Benchmark
import BenchCore
import BenchProviders
import Foundation
import OpenAPIRuntime

/// The hot path of a stream, one piece at a time, beside the libraries llmbench could use instead: a chat chunk's
/// JSON parsed by llmbench's parser, by Foundation's `JSONSerialization` and by `JSONDecoder` into the fields a record
/// needs; a stream's bytes cut into server-sent events by llmbench's decoder and by swift-openapi-runtime's.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal], maxDuration: .seconds(2))

    // MARK: One chunk's JSON (OpenAI chat completions, as llama.cpp and vLLM send it)

    let chunk = Array(
        #"{"id":"chatcmpl-8a1f","object":"chat.completion.chunk","created":1767225600,"model":"SmolLM2-135M-Instruct","system_fingerprint":"b6000","choices":[{"index":0,"delta":{"content":" the"},"logprobs":null,"finish_reason":null}],"usage":null}"#
            .utf8)

    Benchmark("chunk JSON: llmbench JSONParser") { benchmark in
        for _ in benchmark.scaledIterations {
            let value = chunk.withUnsafeBytes { try? JSONParser.parse($0) }
            blackHole(value?["choices"]?.array?.first?["delta"]?["content"]?.string)
        }
    }

    Benchmark("chunk JSON: Foundation JSONSerialization") { benchmark in
        let data = Data(chunk)
        for _ in benchmark.scaledIterations {
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
            let choices = object?["choices"] as? [[String: Any]]
            blackHole((choices?.first?["delta"] as? [String: Any])?["content"] as? String)
        }
    }

    Benchmark("chunk JSON: Foundation JSONDecoder (Codable)") { benchmark in
        let data = Data(chunk)
        let decoder = JSONDecoder()
        for _ in benchmark.scaledIterations {
            blackHole(try? decoder.decode(ChatChunk.self, from: data).choices.first?.delta.content)
        }
    }

    // MARK: A stream's bytes into events (256 chunks, read 1,500 bytes at a time)

    let stream =
        (0..<256).map { _ in "data: " + String(decoding: chunk, as: UTF8.self) + "\n\n" }.joined()
        + "data: [DONE]\n\n"
    let reads: [ArraySlice<UInt8>] = stride(from: 0, to: stream.utf8.count, by: 1500).map {
        ArraySlice(Array(stream.utf8)[$0..<min($0 + 1500, stream.utf8.count)])
    }

    Benchmark("SSE stream of 256 events: llmbench SSEDecoder") { benchmark in
        for _ in benchmark.scaledIterations {
            var decoder = SSEDecoder()
            var events: [BenchProviders.ServerSentEvent] = []
            events.reserveCapacity(300)
            for read in reads { read.withUnsafeBytes { try? decoder.push($0, into: &events) } }
            blackHole(events.count)
        }
    }

    Benchmark("SSE stream of 256 events: swift-openapi-runtime") { benchmark in
        for _ in benchmark.scaledIterations {
            var count = 0
            for try await event in Reads(slices: reads).asDecodedServerSentEvents() {
                count += event.data == nil ? 0 : 1
            }
            blackHole(count)
        }
    }
}

/// The fields of a chat chunk a record needs, for `JSONDecoder`.
struct ChatChunk: Decodable {
    struct Choice: Decodable {
        struct Delta: Decodable { var content: String? }
        var delta: Delta
        var finish_reason: String?
    }

    var choices: [Choice]
}

/// Body reads as an async sequence, as an HTTP client hands them over.
struct Reads: AsyncSequence, Sendable {
    typealias Element = ArraySlice<UInt8>
    let slices: [ArraySlice<UInt8>]

    struct Iterator: AsyncIteratorProtocol {
        var base: IndexingIterator<[ArraySlice<UInt8>]>
        mutating func next() async -> ArraySlice<UInt8>? { base.next() }
    }

    func makeAsyncIterator() -> Iterator { Iterator(base: slices.makeIterator()) }
}
