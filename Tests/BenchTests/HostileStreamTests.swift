import BenchEngine
import BenchProviders
import BenchCore
import BenchMetrics
import BenchReport
import BenchRunner
import Hummingbird
import NIOCore
import Testing

/// Providers that misbehave without end: each must be cut off by a limit and become a failed record that says why,
/// while the run goes on and keeps every record.
extension LiveTests {
    @Suite struct HostileStreamTests {
        static let chunk = #"data: {"choices":[{"index":0,"delta":{"content":"x"}}]}"# + "\n\n"

        /// `/line`: one 100 MB line with no newline; `/endless`: well-formed chunks forever; `/silent`: a response
        /// head, then nothing, never closed.
        static func hostileRouter() -> Router<BasicRequestContext> {
            let router = Router()
            let headers: HTTPFields = [.contentType: "text/event-stream"]
            router.post("line/**") { _, _ in
                Response(
                    status: .ok, headers: headers,
                    body: ResponseBody { writer in
                        let block = ByteBuffer(repeating: UInt8(ascii: "a"), count: 1 << 16)
                        try await writer.write(ByteBuffer(string: "data: "))
                        for _ in 0..<1600 { try await writer.write(block) }
                        try await writer.finish(nil)
                    })
            }
            router.post("endless/**") { _, _ in
                Response(
                    status: .ok, headers: headers,
                    body: ResponseBody { writer in
                        while true {
                            try await writer.write(ByteBuffer(string: chunk))
                            try await Task.sleep(for: .milliseconds(5))
                        }
                    })
            }
            router.post("silent/**") { _, _ in
                Response(
                    status: .ok, headers: headers,
                    body: ResponseBody { writer in
                        try await writer.write(ByteBuffer(string: ": open\n\n"))
                        try await Task.sleep(for: .seconds(3600))
                    })
            }
            return router
        }

        @Test func limitsCutOffHugeLinesEndlessStreamsAndSilence() async throws {
            let report = try await withLoopbackRouter(Self.hostileRouter()) { port in
                var spec = BenchSpec()
                spec.targets = ["line", "endless", "silent"].map { (name: String) in
                    BenchSpec.Target(name: name, baseURL: "http://127.0.0.1:\(port)/\(name)/v1", model: "m")
                }
                spec.inputTokens = 8
                spec.maxRequests = 2
                spec.readTimeout = .seconds(1)
                spec.requestTimeout = .seconds(2)
                spec.retry = .none
                return try await BenchmarkRun.testRun(spec: spec, outputDirectory: nil)
            }
            func errors(_ target: String) -> [StepSummary.ErrorGroup] {
                report.targets.first { $0.name == target }?.steps[0].metrics.errors ?? []
            }
            let line = errors("line")
            #expect(line.count == 1 && line[0].kind == .decoding && line[0].count == 2)
            #expect(line.first?.message.contains("longer than 16777216 bytes") == true)
            let endless = errors("endless")
            #expect(endless.count == 1 && endless[0].kind == .timeout && endless[0].count == 2)
            #expect(endless.first?.message.contains("total request timeout") == true)
            let silent = errors("silent")
            #expect(silent.count == 1 && silent[0].kind == .timeout && silent[0].count == 2)
            #expect(silent.first?.message.contains("read timeout") == true)
        }
    }
}
