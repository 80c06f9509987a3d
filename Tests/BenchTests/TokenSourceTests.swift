import BenchCore
import BenchEngine
import BenchMetrics
import BenchReport
import BenchSimulator
import Foundation
import Testing

/// Output tokens of responses without a usage report: counted with the server's tokenizer where llmbench can reach
/// it, chunk counts only as the last resort, and the source of every count recorded.
@Suite struct TokenSourceTests {
    /// Four tokens per chunk and no usage report: chunk counts are a quarter of the truth.
    static let simulator: SimulatorConfiguration = {
        var configuration = SimulatorConfiguration(ttft: .milliseconds(2), itl: .milliseconds(1), outputTokens: 24)
        configuration.tokensPerChunk = 4
        configuration.reportsUsage = false
        return configuration
    }()

    static func run(port: Int, tokenizer: BenchSpec.Target.TokenizerChoice?) async throws -> (
        BenchmarkReport, [RequestRecord]
    ) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("token-source-\(UUID())")
        defer { try? FileManager.default.removeItem(at: folder) }
        let report = try await BenchmarkRun.testRun(
            spec: simulatorSpec(port: port) {
                $0.targets[0].tokenizer = tokenizer
                $0.shapes = [.concurrency(users: 4), .rate(perSecond: 200, arrival: .constant, maxInFlight: nil)]
                $0.maxRequests = 12
                $0.outputTokens = 24
            }, outputDirectory: folder)
        return (report, try RunFolder(folder).records())
    }

    @Test func theServersTokenizerCountsWhatTheStreamDidNotReport() async throws {
        let (report, records) = try await withSimulator(Self.simulator) { port, _ in
            try await Self.run(port: port, tokenizer: .server)
        }
        #expect(records.count == 24 && records.allSatisfy { $0.outcome == .success })
        #expect(records.allSatisfy { $0.usage == nil && $0.textChunks == 6 })
        #expect(records.allSatisfy { $0.outputTokens == 24 && $0.outputTokenSource == .tokenizer })
        for step in report.targets[0].steps {
            #expect(step.metrics.outputTokens.p50 == 24)
            #expect(
                step.notes.contains(
                    "12 successful requests had no usage report: their output tokens were counted with the model's tokenizer"
                ))
        }
        #expect(
            report.targets[0].notes.contains(
                "output tokens of responses without a usage report were counted with the server's /tokenize"))
    }

    @Test func withoutATokenizerChunkCountsStayAndSaySo() async throws {
        let (report, records) = try await withSimulator(Self.simulator) { port, _ in
            try await Self.run(port: port, tokenizer: nil)
        }
        #expect(records.allSatisfy { $0.outputTokens == 6 && $0.outputTokenSource == .chunks })
        #expect(report.targets[0].steps[0].notes.contains { $0.contains("their output tokens are chunk counts") })
    }

    @Test func aTokenizerFileCountsWithoutAskingTheServer() async throws {
        // A byte-level vocabulary without merges: every byte of the text is one token.
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("bytes-\(UUID()).json")
        try #"{"pre_tokenizer": {"type": "ByteLevel"}, "model": {"type": "BPE", "vocab": {"a": 0}, "merges": []}}"#
            .write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let (report, records) = try await withSimulator(Self.simulator) { port, _ in
            try await Self.run(port: port, tokenizer: .file(file.path))
        }
        #expect(records.allSatisfy { $0.outputTokenSource == .tokenizer && $0.outputTokens == $0.outputCharacters })
        #expect(
            report.targets[0].notes.contains(
                "output tokens of responses without a usage report were counted with the tokenizer.json at \(file.path)"
            ))
    }

    @Test func aUsageReportIsNeverReplaced() async throws {
        var reporting = Self.simulator
        reporting.reportsUsage = true
        let (_, records) = try await withSimulator(reporting) { port, _ in
            try await Self.run(port: port, tokenizer: .server)
        }
        #expect(records.allSatisfy { $0.outputTokens == 24 && $0.outputTokenSource == .usage })
    }

    @Test func aMissingTokenizerFileIsNamed() async throws {
        let text = """
            targets: [{base_url: "http://127.0.0.1:1/v1", model: m, tokenizer: /nonexistent/tokenizer.json}]
            """
        // The file is read when the run starts: its absence is reported then, naming the target.
        let missing = try BenchSpec.parse(text)
        await #expect {
            try await withEngine { try await $0.endpoint(for: missing.targets[0], field: "targets[0]") }
        } throws: {
            "\($0)".contains("cannot read: no such file")
        }
        #expect(throws: SpecError.self) { try BenchSpec.tokenizer("/nonexistent/tokenizer.json", field: "--tokenizer") }
        let llama = try BenchSpec.parse("targets: [{kind: llama.cpp, base_url: \"http://127.0.0.1:1\", model: m}]")
        #expect(llama.targets[0].tokenCounting == .server)
        let openai = try BenchSpec.parse("targets: [{base_url: \"http://127.0.0.1:1/v1\", model: m}]")
        #expect(openai.targets[0].tokenCounting == .none)
    }
}
