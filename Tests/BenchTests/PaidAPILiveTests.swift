import BenchEngine
import BenchProviders
import BenchCore
import BenchMetrics
import BenchReport
import Foundation
import Testing

/// A paid API a live test can reach when its key variable is set; the model can be overridden with
/// `LLMBENCH_LIVE_<KIND>_MODEL` (e.g. `LLMBENCH_LIVE_OPENAI_MODEL`). No test here runs without a key, so CI never
/// reaches the internet.
struct PaidAPI: Sendable, CustomTestStringConvertible {
    let kind: BenchSpec.Kind
    let defaultModel: String

    static let all: [PaidAPI] = [
        .init(kind: .openai, defaultModel: "gpt-5.4-nano"),
        .init(kind: .openaiResponses, defaultModel: "gpt-5.4-nano"),
        .init(kind: .anthropic, defaultModel: "claude-haiku-4-5"),
        .init(kind: .gemini, defaultModel: "gemini-3.8-flash"),
        .init(kind: .mistral, defaultModel: "mistral-medium-3-5"),
        .init(kind: .groq, defaultModel: "llama-3.3-70b-versatile"),
        .init(kind: .together, defaultModel: "meta-llama/Llama-3.3-70B-Instruct-Turbo"),
        .init(kind: .deepseek, defaultModel: "deepseek-chat"),
        .init(kind: .cohere, defaultModel: "command-a-03-2025"),
        .init(kind: .openrouter, defaultModel: "openai/gpt-5.4-nano"),
        .init(kind: .fireworks, defaultModel: "accounts/fireworks/models/llama-v3p3-70b-instruct"),
    ]

    static var configured: [PaidAPI] {
        let environment = ProcessInfo.processInfo.environment
        return all.filter { api in api.kind.defaultAPIKeyEnv.flatMap { environment[$0] }.map { !$0.isEmpty } ?? false }
    }

    var model: String {
        let variable = "LLMBENCH_LIVE_\(kind.rawValue.uppercased().replacingOccurrences(of: "-", with: "_"))_MODEL"
        return ProcessInfo.processInfo.environment[variable] ?? defaultModel
    }

    var testDescription: String { "\(kind.rawValue) \(model)" }
}

extension LiveTests {
    @Suite(.enabled(if: !PaidAPI.configured.isEmpty, "no paid-API key variable is set"))
    struct PaidAPILiveTests {
        @Test(arguments: PaidAPI.configured)
        func aShortRunStreamsWithUsageAndCost(api: PaidAPI) async throws {
            var spec = BenchSpec()
            spec.targets = [
                try BenchSpec.Target.resolving(
                    kind: api.kind, baseURL: nil, model: api.model, apiKeyEnv: nil, field: "live")
            ]
            spec.maxRequests = 2
            spec.outputTokens = 16
            spec.inputTokens = 32
            let report = try await BenchmarkRun.testRun(spec: spec, outputDirectory: nil)
            let step = report.targets[0].steps[0]
            let metrics = step.metrics
            #expect(metrics.counts.succeeded == 2, "\(step.notes)")
            #expect((metrics.ttftMs.p50 ?? 0) > 0)
            #expect(metrics.outputTokenSources["usage"] == 2, "the API streams usage")
            #expect(metrics.exactOutput.requested == 0, "hosted APIs get no ignore_eos")
            if PriceTable.builtIn.price(for: api.model) != nil {
                #expect((metrics.cost?.usdTotal ?? 0) > 0)
            }
        }

        @Test(arguments: PaidAPI.configured)
        func theProbeFindsStreamingAndUsage(api: PaidAPI) async throws {
            let target = try BenchSpec.Target.resolving(
                kind: api.kind, baseURL: nil, model: api.model, apiKeyEnv: nil, field: "live")
            let report = try await withEngine { try await CapabilityProbe.probe(target, engine: $0, field: "live") }
            #expect(report.findings[.streaming]?.verdict == .supported)
            #expect(report.findings[.streamingUsage]?.verdict == .supported)
        }
    }
}
