import BenchEngine
import BenchProviders
import BenchCore
import BenchMetrics
import BenchReport
import BenchSimulator
import Foundation
import Testing

extension LiveTests {
    @Suite struct ConversationLiveTests {
        static let configuration = SimulatorConfiguration(
            ttft: .milliseconds(10), itl: .milliseconds(1), outputTokens: 64)

        @Test func eachTurnCarriesTheHistoryWithTheModelsOwnAnswers() async throws {
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("conversations-\(UUID()).jsonl")
            defer { try? FileManager.default.removeItem(at: file) }
            try """
            {"system": "Be brief.", "turns": ["one two three", "four five", "six"]}
            {"conversations": [{"from": "human", "value": "alpha beta"}, {"from": "gpt", "value": "recorded reply not sent"}, {"from": "human", "value": "gamma"}, {"from": "human", "value": "delta epsilon"}]}
            """.write(to: file, atomically: true, encoding: .utf8)
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("conversation-run-\(UUID())")
            defer { try? FileManager.default.removeItem(at: folder) }
            let report = try await withSimulator(Self.configuration) { port, _ in
                try await BenchmarkRun.testRun(
                    spec: simulatorSpec(port: port) {
                        $0.conversationFile = file.path
                        $0.shapes = [.concurrency(users: 2)]
                        $0.maxRequests = 6
                        $0.outputTokens = 10
                        $0.thinkTime = .milliseconds(30)
                    }, outputDirectory: folder
                )
            }
            let records = try RunFolder(folder).records().sorted { $0.id < $1.id }
            #expect(records.map(\.turn) == [0, 1, 2, 0, 1, 2])
            #expect(records.map(\.promptIndex) == [0, 0, 0, 1, 1, 1])
            #expect(records.allSatisfy { $0.outcome == .success && $0.outputTokens == 10 })
            // The simulator counts prompt words + 3 per message. Conversation 0: system (2 words) + "one two three"
            // → 11; then + 10-word answer + "four five" → 11 + 13 + 5 = 29; then + answer + "six" → 29 + 13 + 4 = 46.
            #expect(records.prefix(3).map { $0.usage?.inputTokens } == [11, 29, 46])
            // ShareGPT: the recorded reply is replaced by the model's: 5, 5 + 13 + 4 = 22, 22 + 13 + 5 = 40.
            #expect(records.suffix(3).map { $0.usage?.inputTokens } == [5, 22, 40])
            // A turn is sent the think time after the previous answer.
            for (previous, next) in zip(records.prefix(2), records.dropFirst().prefix(2)) {
                let pause = (next.dispatchedAt! - previous.endedAt).milliseconds
                #expect(pause >= 29 && pause < 60, "pause \(pause) ms")
            }
            let turns = try #require(report.onlyStep.turns)
            #expect(turns.map(\.turn) == [0, 1, 2] && turns.allSatisfy { $0.succeeded == 2 })
            #expect(turns.map { $0.inputTokens.p50! } == [8, 25.5, 43])
            #expect(MarkdownReportRenderer.render(report).contains("By conversation turn"))
        }

        @Test func syntheticConversationsAndTheirLimits() async throws {
            let report = try await withSimulator(Self.configuration) { port, _ in
                try await BenchmarkRun.testRun(
                    spec: simulatorSpec(port: port) {
                        $0.conversationTurns = 4
                        $0.maxRequests = 9
                        $0.outputTokens = 5
                    }, outputDirectory: nil
                )
            }
            // ⌊9 ÷ 4⌋ = 2 conversations of 4 turns.
            #expect(report.onlyStep.counts.succeeded == 8)
            let inputs = try #require(report.onlyStep.turns).map { $0.inputTokens.p50! }
            #expect(inputs == inputs.sorted() && Set(inputs).count == 4)
            #expect {
                var spec = BenchSpec()
                spec.targets = [.init(name: "t", baseURL: "http://127.0.0.1:1/v1", model: "m")]
                spec.conversationTurns = 2
                spec.shapes = [.rate(perSecond: 1, arrival: .constant, maxInFlight: nil)]
                try spec.validate()
            } throws: { "\($0)".contains("conversations run closed loop") }
        }
    }
}
