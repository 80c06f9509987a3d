public import BenchCore

/// One model's list price, in USD per 1M tokens, with when and where it was read.
public struct ModelPrice: Sendable, Hashable, Codable {
    public var provider: String?
    public var model: String
    public var input: Double
    /// Cached (cache-read) input; the input price when absent.
    public var cachedInput: Double?
    public var output: Double
    /// Reasoning tokens, when priced apart from output; otherwise they are billed as output.
    public var reasoning: Double?
    public var date: String?
    public var source: String?

    public init(
        provider: String? = nil, model: String, input: Double, cachedInput: Double? = nil, output: Double,
        reasoning: Double? = nil, date: String? = nil, source: String? = nil
    ) {
        self.provider = provider
        self.model = model
        self.input = input
        self.cachedInput = cachedInput
        self.output = output
        self.reasoning = reasoning
        self.date = date
        self.source = source
    }

    /// The cost of one request in USD:
    /// ((input − cached) × input + cached × cached_input + (output − reasoning′) × output + reasoning′ × reasoning) / 10⁶,
    /// where reasoning′ is the reasoning tokens when they are priced apart and 0 otherwise (then they are part of
    /// output). Billed counts, where the provider reports them apart (Cohere), replace input and output.
    /// Nil when the usage has no token counts.
    public func cost(of usage: TokenUsage) -> Double? {
        let inputTokens = usage.billedInputTokens ?? usage.inputTokens
        let outputTokens = usage.billedOutputTokens ?? usage.outputTokens
        guard inputTokens != nil || outputTokens != nil else { return nil }
        let input = Double(inputTokens ?? 0)
        let cached = Double(min(usage.cachedInputTokens ?? 0, inputTokens ?? 0))
        let output = Double(outputTokens ?? 0)
        let apart = reasoning == nil ? 0 : Double(min(usage.reasoningTokens ?? 0, outputTokens ?? 0))
        let dollars =
            (input - cached) * self.input + cached * (cachedInput ?? self.input)
            + (output - apart) * self.output + apart * (reasoning ?? 0)
        return dollars / 1_000_000
    }

    enum CodingKeys: String, CodingKey {
        case provider, model, input
        case cachedInput = "cached_input"
        case output, reasoning, date, source
    }
}

/// What one step cost, from the provider's usage and a price row, or from a machine price per hour.
///
/// - API targets: `usd_total` = Σ cost of successful requests in the window (``ModelPrice/cost(of:)``);
///   `usd_per_request` = usd_total ÷ priced requests; `usd_per_1k_tokens` = usd_total ÷ (input + output tokens) × 10³;
///   `usd_per_1m_output_tokens` = usd_total ÷ output tokens × 10⁶.
/// - Self-hosted targets: `usd_per_1m_output_tokens` = machine USD per hour ÷ (output tokens/s × 3600) × 10⁶, at the
///   step's measured output throughput, so open and paid models land on one axis.
public struct StepCost: Sendable, Hashable, Codable {
    /// The price row used (API targets).
    public var price: ModelPrice?
    /// The machine price used (self-hosted targets).
    public var machineUSDPerHour: Double?
    public var pricedRequests: Int
    public var usdTotal: Double?
    public var usdPerRequest: Double?
    public var usdPer1kTokens: Double?
    public var usdPer1mOutputTokens: Double?

    /// The cost of the successful requests in a step's window.
    public init?(records: [RequestRecord], outputTps: Double?, price: ModelPrice?, machineUSDPerHour: Double?) {
        if let price {
            let priced = records.filter { $0.outcome == .success }.compactMap { record in
                record.usage.flatMap { usage in price.cost(of: usage).map { (usage, $0) } }
            }
            self.price = price
            pricedRequests = priced.count
            guard !priced.isEmpty else { return }
            let total = priced.reduce(0) { $0 + $1.1 }
            let tokens = priced.reduce(0) { $0 + ($1.0.inputTokens ?? 0) + ($1.0.outputTokens ?? 0) }
            let outputTokens = priced.reduce(0) { $0 + ($1.0.outputTokens ?? 0) }
            usdTotal = total
            usdPerRequest = total / Double(priced.count)
            usdPer1kTokens = tokens > 0 ? total / Double(tokens) * 1_000 : nil
            usdPer1mOutputTokens = outputTokens > 0 ? total / Double(outputTokens) * 1_000_000 : nil
        } else if let machineUSDPerHour {
            self.machineUSDPerHour = machineUSDPerHour
            pricedRequests = 0
            if let outputTps, outputTps > 0 {
                usdPer1mOutputTokens = machineUSDPerHour / (outputTps * 3600) * 1_000_000
            }
        } else {
            return nil
        }
    }

    enum CodingKeys: String, CodingKey {
        case price
        case machineUSDPerHour = "machine_usd_per_hour"
        case pricedRequests = "priced_requests"
        case usdTotal = "usd_total"
        case usdPerRequest = "usd_per_request"
        case usdPer1kTokens = "usd_per_1k_tokens"
        case usdPer1mOutputTokens = "usd_per_1m_output_tokens"
    }
}
