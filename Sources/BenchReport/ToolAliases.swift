public import BenchMetrics

/// A step's figures under the names other load tools use — `vllm bench serve` (its result JSON keys), GuideLLM and
/// AIPerf (`metric.statistic`) — so they can be set beside numbers those tools published. Only figures whose
/// definition is llmbench's get a value; where a tool measures something else under the name, the value is
/// omitted and `notes` says why (never converted silently). Definitions: docs/report-schema.md, "Other tools'
/// names".
public struct ToolAliases: Sendable, Hashable, Codable {
    public var vllmBenchServe: [String: Double]
    public var guidellm: [String: Double]
    public var aiperf: [String: Double]
    /// Where a same-named figure differs, and what is left out.
    public var notes: [String]

    public init(_ m: StepSummary) {
        /// The mean, median and p99 of `distribution` (times `scale`) under the three names given.
        func named(_ distribution: DistributionSummary, _ keys: [String], scale: Double = 1) -> [String: Double] {
            let values = [distribution.mean, distribution.p50, distribution.p99]
            var figures: [String: Double] = [:]
            for (key, value) in zip(keys, values) { figures[key] = value.map { $0 * scale } }
            return figures
        }
        func vllm(_ metric: String, _ distribution: DistributionSummary) -> [String: Double] {
            named(distribution, ["mean_\(metric)_ms", "median_\(metric)_ms", "p99_\(metric)_ms"])
        }
        func dotted(_ metric: String, _ distribution: DistributionSummary, _ stats: [String], scale: Double = 1)
            -> [String: Double]
        {
            named(distribution, stats.map { "\(metric).\($0)" }, scale: scale)
        }
        func merged(_ parts: [[String: Double]]) -> [String: Double] {
            parts.reduce(into: [:]) { $0.merge($1) { first, _ in first } }
        }
        var vllmFigures = merged([
            vllm("ttft", m.ttftMs), vllm("tpot", m.itlMs), vllm("itl", m.chunkGapMs), vllm("e2el", m.e2eMs),
        ])
        vllmFigures["request_throughput"] = m.requestRps
        vllmFigures["output_throughput"] = m.outputTps
        vllmFigures["request_goodput"] = m.goodputRps
        vllmBenchServe = vllmFigures

        let guide = ["mean", "median", "p99"]
        var guidellmFigures = merged([
            dotted("time_to_first_token_ms", m.ttftMs, guide), dotted("inter_token_latency_ms", m.itlMs, guide),
            dotted("request_latency", m.e2eMs, guide, scale: 0.001),
        ])
        guidellmFigures["requests_per_second.mean"] = m.requestRps
        guidellmFigures["output_tokens_per_second.mean"] = m.outputTps
        guidellm = guidellmFigures

        let perf = ["avg", "p50", "p99"]
        var aiperfFigures = merged([
            dotted("time_to_first_token", m.ttftMs, perf), dotted("time_to_first_output_token", m.ttfaMs, perf),
            dotted("inter_token_latency", m.itlMs, perf), dotted("inter_chunk_latency", m.chunkGapMs, perf),
            dotted("request_latency", m.e2eMs, perf),
        ])
        aiperfFigures["request_throughput.avg"] = m.requestRps
        aiperfFigures["output_token_throughput.avg"] = m.outputTps
        aiperf = aiperfFigures

        notes = [
            "vLLM's TTFT stops at the first chunk even when it carries only the role; llmbench's (and these figures) at the first generated text: vLLM's can be lower.",
            "vLLM's TPOT and GuideLLM's and AIPerf's ITL are llmbench's ITL, (t_last − t_first) ÷ (tokens − 1); vLLM's ITL and AIPerf's ICL are llmbench's chunk gaps, pooled over chunks.",
            "GuideLLM's time_per_output_token_ms includes the first token, (t_last − t_start) ÷ tokens: not given.",
            "Throughputs divide by llmbench's measurement window (warm-up and cool-down trimmed); vLLM divides by first send → last response, AIPerf by first start → last end, so theirs include ramp-up and tail.",
            "GuideLLM reports request latency in seconds; the others in milliseconds.",
        ]
    }

    enum CodingKeys: String, CodingKey {
        case guidellm, aiperf, notes
        case vllmBenchServe = "vllm_bench_serve"
    }
}
