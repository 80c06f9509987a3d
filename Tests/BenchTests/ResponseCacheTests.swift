import BenchEngine
import BenchProviders
import BenchCore
import BenchEval
import BenchSimulator
import Foundation
import Testing

@Suite struct ResponseCacheKeyTests {
    @Test func theKeyCoversWhatDecidesTheAnswerAndNothingSecret() {
        let target = BenchSpec.Target(baseURL: "http://127.0.0.1:1/v1", model: "m", apiKeyEnv: "KEY_A")
        var other = target
        other.apiKeyEnv = "KEY_B"
        let request = GenerationRequest(
            model: "m", messages: [ChatMessage(role: "user", content: "2+2?")], maxOutputTokens: 8, temperature: 0,
            seed: 1)
        let key = ResponseCache.key(request, target: target)
        #expect(key.count == 64 && key == ResponseCache.key(request, target: other))
        var changed = request
        changed.seed = 2
        #expect(ResponseCache.key(changed, target: target) != key)
        changed = request
        changed.messages[0].content = "2+3?"
        #expect(ResponseCache.key(changed, target: target) != key)
        changed = request
        changed.extraBody = ["top_k": .number(1)]
        #expect(ResponseCache.key(changed, target: target) != key)
    }
}

extension LiveTests {
    @Suite struct ResponseCacheLoopbackTests {
        @Test func aRerunTakesItsAnswersFromTheCacheAndSendsNothing() async throws {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cache-\(UUID())")
            defer { try? FileManager.default.removeItem(at: folder) }
            let cache = ResponseCache(directory: folder)
            let configuration = SimulatorConfiguration(ttft: .milliseconds(1), itl: .zero, outputTokens: 6)
            let (first, second, sent) = try await withSimulator(configuration) { port, simulator in
                let target = BenchSpec.Target(baseURL: "http://127.0.0.1:\(port)/v1", model: "sim")
                var task = SmokeSuite.arithmetic.task
                task.limit = 6
                let first = try await withEngine() { engine in
                    try await EvalRun(task: task, target: target, engine: engine, outputDirectory: nil, cache: cache)
                        .run()
                }
                let afterFirst = simulator.statistics.requests
                let second = try await withEngine() { engine in
                    try await EvalRun(task: task, target: target, engine: engine, outputDirectory: nil, cache: cache)
                        .run()
                }
                return (first, second, (afterFirst, simulator.statistics.requests))
            }
            #expect(sent.0 == 6 && sent.1 == 6, "the rerun sent no request")
            #expect(first.summary.cached == nil && second.summary.cached == 6)
            #expect(second.results.allSatisfy { $0.cached == true && $0.costUSD == nil })
            #expect(first.results.map(\.answer) == second.results.map(\.answer))
            #expect(first.results.map(\.outcome) == second.results.map(\.outcome))
        }
    }
}
