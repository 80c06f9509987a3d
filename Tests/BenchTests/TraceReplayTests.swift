import BenchEngine
import BenchProviders
import BenchCore
import BenchMetrics
import BenchReport
import BenchSimulator
import Foundation
import Testing

@Suite struct TraceFileTests {
    static func write(_ text: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("trace-\(UUID()).jsonl")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    @Test func mooncakeAndSecondsRowsAreReadSortedFromZero() throws {
        let url = try Self.write(
            """
            {"timestamp": 1500, "input_length": 30, "output_length": 8, "hash_ids": [1, 2]}
            {"timestamp": 1000, "input_length": 20, "output_length": 4}

            {"arrival_s": 3.0, "prompt": "hello", "output_tokens": 5}
            """)
        defer { try? FileManager.default.removeItem(at: url) }
        var spec = try BenchSpec.parse(
            #"{"targets": [{"base_url": "http://x/v1", "model": "m"}], "load": {"trace": "\#(url.path)", "trace_speed": 2}}"#
        )
        // Parsing reads no file (the service parses specs from clients); loading does.
        #expect(throws: SpecError.self) { try spec.validate() }
        try spec.loadTrace(relativeTo: nil)
        guard case .trace(let trace, let speed, nil)? = spec.shapes.first else {
            Issue.record("not a trace step: \(spec.shapes)")
            return
        }
        #expect(speed == 2 && spec.shapes.count == 1)
        #expect(trace.entries.map(\.arrival) == [.zero, .milliseconds(500), .seconds(2)])
        #expect(trace.entries.map(\.inputTokens) == [20, 30, nil])
        #expect(trace.entries[2].messages?.first?.content == "hello")
        #expect(trace.meanRate == 1)
        #expect(spec.steps[0].maxRequests == 3)
        #expect(spec.steps[0].shape.label == "trace=\(url.lastPathComponent) ×2")
    }

    @Test func badTracesNameTheLineAndTheProblem() throws {
        for (text, message) in [
            (#"{"input_length": 3}"#, "load.trace line 1: needs timestamp"),
            (
                "{\"timestamp\": 0}\n{\"timestamp\": 5, \"output_length\": 0}",
                "load.trace line 2: output length must be at least 1"
            ),
            ("not json", "load.trace line 1: expected"),
        ] {
            let url = try Self.write(text)
            defer { try? FileManager.default.removeItem(at: url) }
            #expect {
                var spec = try BenchSpec.parse(
                    #"{"targets": [{"base_url": "http://x/v1", "model": "m"}], "load": {"trace": "\#(url.path)"}}"#)
                try spec.loadTrace(relativeTo: nil)
            } throws: { "\($0)".hasPrefix(message) }
        }
        #expect {
            try BenchSpec.parse(#"{"load": {"trace": "t.jsonl", "concurrency": [1]}}"#)
        } throws: { "\($0)".contains("give no concurrency or rate") }
    }
}

extension LiveTests {
    @Suite struct TraceReplayLiveTests {
        @Test func requestsStartAtTheTraceArrivalsWithItsLengths() async throws {
            let url = try TraceFileTests.write(
                """
                {"timestamp": 0, "input_length": 40, "output_length": 3}
                {"timestamp": 200, "input_length": 80, "output_length": 6}
                {"timestamp": 200, "input_length": 20, "output_length": 9}
                {"timestamp": 600, "input_length": 60, "output_length": 12}
                """)
            defer { try? FileManager.default.removeItem(at: url) }
            let configuration = SimulatorConfiguration(ttft: .milliseconds(20), itl: .milliseconds(2), outputTokens: 64)
            let report = try await withSimulator(configuration) { port, _ in
                var spec = simulatorSpec(port: port)
                spec.targets.append(.init(name: "again", baseURL: "http://127.0.0.1:\(port)/v1", model: "sim"))
                spec.traceFile = url.path
                spec.traceSpeed = 2
                spec.maxRequests = 3
                try spec.loadTrace(relativeTo: nil)
                let log = FileManager.default.temporaryDirectory.appendingPathComponent("trace-run-\(UUID())")
                defer { try? FileManager.default.removeItem(at: log) }
                let report = try await BenchmarkRun.testRun(spec: spec, outputDirectory: log)
                for target in ["sim", "again"] {
                    let records = try RunFolder(log).records().filter { $0.target == target }.sorted { $0.id < $1.id }
                    // At speed 2 the arrivals are 0, 100, 100 ms after the first: the requests leave then.
                    let starts = records.map { ($0.dispatchedAt! - records[0].dispatchedAt!).milliseconds }
                    for (start, expected) in zip(starts, [0.0, 100, 100]) {
                        #expect(abs(start - expected) < 15, "\(target) dispatched \(starts)")
                    }
                    // Both targets replay the same rows (the limit of 3 cuts the fourth).
                    #expect(records.map(\.outputTokens) == [3, 6, 9], "\(target)")
                    #expect(records.map(\.requestedInputTokens) == [40, 80, 20], "\(target)")
                }
                return report
            }
            let step = report.targets[0].steps[0]
            #expect(step.load.kind == "trace" && step.load.trace == url.lastPathComponent && step.load.speed == 2)
            #expect(step.metrics.counts.succeeded == 3)
        }
    }
}
