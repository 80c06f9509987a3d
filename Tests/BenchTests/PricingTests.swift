import BenchEngine
import BenchProviders
import BenchCore
import BenchMetrics
import BenchReport
import BenchSimulator
import Testing

@Suite struct PricingTests {
    @Test func requestCostByHand() throws {
        let price = ModelPrice(model: "m", input: 2.5, cachedInput: 0.25, output: 15)
        // (800 × 2.5 + 200 × 0.25 + 500 × 15) / 10⁶ = 9550 / 10⁶
        let cost = try #require(
            price.cost(of: TokenUsage(inputTokens: 1000, cachedInputTokens: 200, outputTokens: 500)))
        #expect(abs(cost - 0.00955) < 1e-12)
        // Without a cached price, cached tokens cost the input price: 1000 × 2.5 + 500 × 15.
        let plain = ModelPrice(model: "m", input: 2.5, output: 15)
        #expect(
            abs(plain.cost(of: TokenUsage(inputTokens: 1000, cachedInputTokens: 200, outputTokens: 500))! - 0.01)
                < 1e-12)
        // Reasoning priced apart: (100 × 1 + 200 × 4 + 100 × 2) / 10⁶.
        let reasoning = ModelPrice(model: "r", input: 1, output: 4, reasoning: 2)
        let withThinking = TokenUsage(inputTokens: 100, outputTokens: 300, reasoningTokens: 100)
        #expect(abs(reasoning.cost(of: withThinking)! - 0.0011) < 1e-12)
        // Not priced apart: reasoning is billed as output, (100 × 1 + 300 × 4) / 10⁶.
        #expect(abs(ModelPrice(model: "r", input: 1, output: 4).cost(of: withThinking)! - 0.0013) < 1e-12)
        #expect(price.cost(of: TokenUsage()) == nil)
    }

    @Test func stepCostPerRequestAndPerMillionTokens() throws {
        let price = ModelPrice(model: "m", input: 1, output: 10)
        var a = record(id: 0, chunks: [10, 20], end: 30, tokens: 100)
        a.usage = TokenUsage(inputTokens: 1000, outputTokens: 100)
        var b = record(id: 1, chunks: [10, 20], end: 40, tokens: 300)
        b.usage = TokenUsage(inputTokens: 1000, outputTokens: 300)
        let cost = try #require(StepCost(records: [a, b], outputTps: nil, price: price, machineUSDPerHour: nil))
        // (2000 × 1 + 400 × 10) / 10⁶ = $0.006 over 2 requests, 2400 tokens, 400 output tokens.
        #expect(abs(cost.usdTotal! - 0.006) < 1e-12)
        #expect(abs(cost.usdPerRequest! - 0.003) < 1e-12)
        #expect(abs(cost.usdPer1kTokens! - 0.0025) < 1e-12)
        #expect(abs(cost.usdPer1mOutputTokens! - 15) < 1e-9)
        #expect(cost.pricedRequests == 2)
    }

    @Test func machinePriceTurnsThroughputIntoDollarsPerMillionTokens() throws {
        // $3.60 per hour at 100 tokens/s = 360,000 tokens per hour → $10 per 1M.
        let cost = try #require(StepCost(records: [], outputTps: 100, price: nil, machineUSDPerHour: 3.6))
        #expect(abs(cost.usdPer1mOutputTokens! - 10) < 1e-9)
        #expect(StepCost(records: [], outputTps: 100, price: nil, machineUSDPerHour: nil) == nil)
    }

    @Test func builtInTableIsDatedAndSourcedAndFindsDatedVariants() throws {
        let table = PriceTable.builtIn
        #expect(table.models.count >= 10)
        #expect(table.models.allSatisfy { $0.date != nil && $0.source != nil && $0.output >= $0.input })
        #expect(table.price(for: "claude-haiku-4-5-20251001")?.model == "claude-haiku-4-5")
        #expect(table.price(for: "GPT-5.4")?.model == "gpt-5.4")
        #expect(table.price(for: "gpt-5.4-mini-2026-03-01")?.model == "gpt-5.4-mini")
        #expect(table.price(for: "models/gemini-3.5-flash")?.model == "gemini-3.5-flash")
        #expect(table.price(for: "smollm2-135m-instruct") == nil)
        // The providers are all covered.
        let providers = Set(table.models.compactMap(\.provider))
        #expect(providers.isSuperset(of: ["openai", "anthropic", "google", "mistral", "groq", "together", "deepseek"]))
        #expect(table.price(for: "meta-llama/Llama-3.3-70B-Instruct-Turbo")?.provider == "together")
    }

    @Test func specTakesPricesAndMachineCost() throws {
        let spec = try BenchSpec.parse(
            """
            targets:
              - base_url: https://api.example.com/v1
                model: house-model
                price: {input: 0.5, output: 2, date: "2026-11-01"}
              - base_url: http://127.0.0.1:8080/v1
                model: local
                machine_usd_per_hour: 1.2
              - base_url: https://api.example.com/v1
                model: my-deployment
                price_model: gpt-5.4
            """
        )
        #expect(
            spec.targets[0].price
                == ModelPrice(model: "house-model", input: 0.5, output: 2, date: "2026-11-01", source: "the spec file"))
        #expect(spec.targets[1].machineUSDPerHour == 1.2)
        #expect(spec.targets[2].priceModel == "gpt-5.4")
        #expect(throws: SpecError.self) {
            _ = try BenchSpec.parse("targets: [{base_url: 'http://h/v1', model: m, price: {input: 1}}]")
        }
    }
}

extension LiveTests {
    @Suite struct CostLoopbackTests {
        @Test func selfHostedCostFollowsMeasuredThroughput() async throws {
            let configuration = SimulatorConfiguration(ttft: .milliseconds(5), itl: .milliseconds(1), outputTokens: 10)
            let report = try await withSimulator(configuration) { port, _ in
                try await BenchmarkRun.testRun(
                    spec: simulatorSpec(port: port) {
                        $0.maxRequests = 10
                        $0.outputTokens = 10
                        $0.targets[0].machineUSDPerHour = 2
                    },
                    outputDirectory: nil
                )
            }
            let m = report.onlyStep
            let tps = try #require(m.outputTps)
            let cost = try #require(m.cost?.usdPer1mOutputTokens)
            let expected: Double = 2 / (tps * 3600) * 1_000_000
            #expect(abs(cost - expected) < 1e-9)
        }

        @Test func apiPriceGivesStepAndWholeRunCosts() async throws {
            let configuration = SimulatorConfiguration(ttft: .milliseconds(1), itl: .zero, outputTokens: 10)
            let report = try await withSimulator(configuration) { port, _ in
                try await BenchmarkRun.testRun(
                    spec: simulatorSpec(port: port) {
                        $0.shapes = [.concurrency(users: 1), .concurrency(users: 2)]
                        $0.maxRequests = 4
                        $0.outputTokens = 10
                        $0.targets[0].price = ModelPrice(model: "sim", input: 1, output: 100)
                    },
                    outputDirectory: nil
                )
            }
            let steps = report.targets[0].steps
            // Per request: input tokens × $1 + 10 output tokens × $100, per 1M tokens.
            for step in steps {
                let input = try #require(step.metrics.inputTokens.mean)
                let perRequest = (input * 1 + 10 * 100) / 1_000_000
                #expect(abs((step.metrics.cost?.usdPerRequest ?? 0) - perRequest) < 1e-12)
            }
            let run = try #require(report.targets[0].usdTotal)
            let summed = steps.compactMap { $0.metrics.cost?.usdTotal }.reduce(0, +)
            #expect(abs(run - summed) < 1e-12, "no warm-up here, so the run total is the steps' sum")
            #expect(MarkdownReportRenderer.render(report).contains("Run cost at list price"))
        }
    }
}
