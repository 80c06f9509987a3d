import AsyncHTTPClient
import BenchEngine
import BenchProviders
import BenchCore
import BenchMetrics
import BenchReport
import BenchSimulator
import Foundation
import NIOCore
import NIOHTTP1
import Testing

/// The simulator's other features, and the runner paths they exercise, over real HTTP.
extension LiveTests {
    @Suite struct SimulatorFeatureTests {
        @Test func capacityModelSlowsTokensBeyondItsStreams() async throws {
            // 8 streams on a capacity of 4: each token takes ITL × 8/4 = 20 ms.
            let configuration = SimulatorConfiguration(
                ttft: .milliseconds(20), itl: .milliseconds(10), outputTokens: 30, capacity: 4)
            let report = try await withSimulator(configuration) { port, _ in
                try await BenchmarkRun.testRun(
                    spec: simulatorSpec(port: port) {
                        $0.shapes = [.concurrency(users: 8)]
                        $0.maxRequests = 8
                        $0.outputTokens = 30
                    },
                    outputDirectory: nil
                )
            }
            let itl = try #require(report.onlyStep.itlMs.p50)
            #expect(abs(itl - 20) < 2, "ITL p50 \(itl)")
        }

        @Test func severalTokensPerChunkAreCountedFromUsageAndTheSameAnswerComesBack() async throws {
            var configuration = SimulatorConfiguration(ttft: .milliseconds(5), itl: .milliseconds(2), outputTokens: 10)
            configuration.tokensPerChunk = 4
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("llmbench-chunks-\(UUID())")
            defer { try? FileManager.default.removeItem(at: folder) }
            let report = try await withSimulator(configuration) { port, _ in
                try await BenchmarkRun.testRun(
                    spec: simulatorSpec(port: port) {
                        $0.maxRequests = 4
                        $0.outputTokens = 10
                        $0.distinctPrompts = 2
                    },
                    outputDirectory: folder
                )
            }
            let records = try RunFolder(folder).records().sorted { $0.id < $1.id }
            // 4 + 4 + 2 tokens in three chunks, sent when tokens 4, 8 and 10 are due (6, 14 and 18 ms after the
            // first token was due): ITL = (18 − 6) ms ÷ the 9 gaps of 10 tokens.
            #expect(records.allSatisfy { $0.textChunks == 3 && $0.outputTokens == 10 })
            let itl = try #require(report.onlyStep.itlMs.p50)
            #expect(abs(itl - 12.0 / 9) < 0.5, "ITL p50 \(itl)")
            // Prompts 0 and 1 each sent twice: the simulator answers a prompt the same way every time.
            #expect(records[0].outputHash == records[2].outputHash && records[1].outputHash == records[3].outputHash)
            #expect(records[0].outputHash != records[1].outputHash)
        }

        @Test func withoutUsageTokensAreCountedFromChunks() async throws {
            let configuration = SimulatorConfiguration(ttft: .milliseconds(5), itl: .milliseconds(1), outputTokens: 12)
            let report = try await withSimulator(configuration) { port, _ in
                try await BenchmarkRun.testRun(
                    spec: simulatorSpec(port: port) {
                        $0.maxRequests = 3
                        $0.outputTokens = 12
                        $0.includeUsage = false
                    },
                    outputDirectory: nil
                )
            }
            let m = report.onlyStep
            #expect(m.outputTokenSources == ["chunks": 3])
            #expect(m.outputTokens.min == 12 && m.outputTokens.max == 12)
            #expect(report.targets[0].steps[0].notes.contains { $0.contains("chunk counts") })
        }

        @Test func promptFileIsUsedInTurnWithItsOwnLengths() async throws {
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("prompts-\(UUID()).jsonl")
            defer { try? FileManager.default.removeItem(at: file) }
            try """
            {"prompt": "Say hello", "max_tokens": 3}

            {"messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Count to five"}], "max_tokens": 5}
            """.write(to: file, atomically: true, encoding: .utf8)
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("llmbench-prompts-\(UUID())")
            defer { try? FileManager.default.removeItem(at: directory) }
            let configuration = SimulatorConfiguration(ttft: .milliseconds(2), itl: .zero, outputTokens: 50)
            _ = try await withSimulator(configuration) { port, _ in
                try await BenchmarkRun.testRun(
                    spec: simulatorSpec(port: port) {
                        $0.maxRequests = 4
                        $0.promptFile = file.path
                    },
                    outputDirectory: directory
                )
            }
            let records = try String(contentsOf: directory.appendingPathComponent("records.jsonl"), encoding: .utf8)
                .split(separator: "\n").map { try JSONDecoder().decode(RequestRecord.self, from: Data($0.utf8)) }
            #expect(records.count == 4)
            for record in records {
                let expected = record.promptIndex == 0 ? 3 : 5
                #expect(record.outputTokens == expected && record.requestedOutputTokens == expected)
            }
            #expect(Set(records.map(\.promptIndex)) == [0, 1])
            // The simulator counts 3 tokens per message plus words: 5 and 3 + 2 + 3 + 3 = 11.
            #expect(Set(records.compactMap { $0.usage?.inputTokens }) == [5, 11])
        }

        @Test func wrongPathSaysToCheckTheBaseURL() async throws {
            let configuration = SimulatorConfiguration(ttft: .zero, itl: .zero, outputTokens: 2)
            let report = try await withSimulator(configuration) { port, _ in
                var spec = simulatorSpec(port: port) { $0.maxRequests = 2 }
                spec.targets[0].baseURL = "http://127.0.0.1:\(port)/api"
                return try await BenchmarkRun.testRun(spec: spec, outputDirectory: nil)
            }
            let error = try #require(report.onlyStep.errors.first)
            #expect(error.kind == .invalidRequest && error.httpStatus == 404)
            #expect(error.message.contains("/api/chat/completions") && error.message.contains("base URL"))
        }

        @Test func nonStreamingCompletionAndModelList() async throws {
            let configuration = SimulatorConfiguration(
                model: "sim-x", ttft: .milliseconds(50), itl: .milliseconds(5), outputTokens: 9
            )
            try await withSimulator(configuration) { port, _ in
                let models = try await HTTPClient.shared.execute(
                    HTTPClientRequest(url: "http://127.0.0.1:\(port)/v1/models"), timeout: .seconds(5)
                )
                let list = try JSONParser.parse(String(buffer: try await models.body.collect(upTo: 1 << 16)))
                #expect(list["data"]?.array?.first?["id"] == .string("sim-x"))

                var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/v1/chat/completions")
                request.method = .POST
                request.body = .bytes(
                    ByteBuffer(
                        string: #"{"model":"sim-x","messages":[{"role":"user","content":"hi there"}],"max_tokens":4}"#))
                let start = ContinuousClock.now
                let response = try await HTTPClient.shared.execute(request, timeout: .seconds(5))
                let body = try JSONParser.parse(String(buffer: try await response.body.collect(upTo: 1 << 16)))
                let elapsed = ContinuousClock.now - start
                #expect(response.status.code == 200)
                #expect(body["usage"]?["completion_tokens"] == .number(4))
                #expect(body["usage"]?["prompt_tokens"] == .number(5))
                #expect(body["choices"]?.array?.first?["finish_reason"] == .string("length"))
                let text = body["choices"]?.array?.first?["message"]?["content"]?.string ?? ""
                #expect(text.split(separator: " ").count == 4)
                // TTFT + 3 × ITL = 65 ms before the whole answer is sent.
                #expect(elapsed >= .milliseconds(65))
            }
        }
    }
}
