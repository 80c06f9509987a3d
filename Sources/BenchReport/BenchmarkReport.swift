public import BenchCore
public import BenchEval
public import BenchMetrics

/// The versioned document written as `report.json`. Schema: `docs/report-schema.md`.
public struct BenchmarkReport: Sendable, Hashable, Codable {
    /// The schema identifier of this version of the document.
    public static let schemaIdentifier = "llmbench.report/1"

    /// The load of one step, as configured.
    public struct Load: Sendable, Hashable, Codable {
        /// `concurrency` (closed loop) or `rate` (open loop).
        public var kind: String
        public var concurrency: Int?
        public var ratePerS: Double?
        public var arrival: ArrivalProcess?
        public var maxInFlight: Int?
        /// The replayed trace's file name and its time scale (`trace` steps only).
        public var trace: String?
        public var speed: Double?
        public var maxRequests: Int?
        public var maxDurationS: Double?
        public var warmupS: Double
        public var cooldownS: Double

        public init(_ step: LoadStep) {
            switch step.shape {
            case .concurrency(let users):
                kind = "concurrency"
                concurrency = users
            case .rate(let perSecond, let arrival, let maxInFlight):
                kind = "rate"
                ratePerS = perSecond
                self.arrival = arrival
                self.maxInFlight = maxInFlight
            case .trace(let trace, let speed, let maxInFlight):
                kind = "trace"
                ratePerS = trace.meanRate.map { $0 * speed }
                self.trace = trace.name
                self.speed = speed
                self.maxInFlight = maxInFlight
            }
            maxRequests = step.maxRequests
            maxDurationS = step.maxDuration?.seconds
            warmupS = step.warmup.seconds
            cooldownS = step.cooldown.seconds
        }

        enum CodingKeys: String, CodingKey {
            case kind, concurrency
            case ratePerS = "rate_per_s"
            case arrival
            case maxInFlight = "max_in_flight"
            case trace, speed
            case maxRequests = "max_requests"
            case maxDurationS = "max_duration_s"
            case warmupS = "warmup_s"
            case cooldownS = "cooldown_s"
        }
    }

    public struct Step: Sendable, Hashable, Codable {
        public var index: Int
        public var label: String
        public var load: Load
        public var metrics: StepSummary
        /// Plain-language findings: failures and their reasons, unmet exact lengths, token-count sources.
        public var notes: [String]
        /// The same figures under vLLM's, GuideLLM's and AIPerf's names (absent in reports from before it).
        public var aliases: ToolAliases?
        /// Whether the figures may describe the client rather than the endpoint (absent in reports from before it).
        public var client: ClientVerdict?

        public init(index: Int, step: LoadStep, metrics: StepSummary) {
            self.index = index
            label = step.shape.label
            load = Load(step)
            self.metrics = metrics
            notes = StepNotes.notes(for: metrics)
            aliases = ToolAliases(metrics)
            judgeClient(ceiling: nil)
        }

        /// The label, marked when the step is client-bound.
        public var displayLabel: String { client?.clientBound == true ? "\(label) ⚠ client-bound" : label }

        /// Sets ``client`` from the step's client samples and the host's ceiling, with a note when bound.
        mutating func judgeClient(ceiling: HarnessCeiling?) {
            client = ClientVerdict(metrics: metrics, ceiling: ceiling)
            notes.removeAll { $0.hasPrefix(ClientVerdict.notePrefix) || $0.hasPrefix(ClientVerdict.ceilingNotePrefix) }
            if let client, client.clientBound == true {
                notes.append(
                    ClientVerdict.notePrefix + client.reasons.joined(separator: "; ")
                        + ": these figures may describe llmbench on this host rather than the endpoint")
            }
            if let near = client?.ceiling {
                notes.append(ClientVerdict.ceilingNotePrefix + near.joined(separator: "; "))
            }
        }
    }

    public struct Target: Sendable, Hashable, Codable {
        public var name: String
        public var baseURL: String
        public var model: String
        public var steps: [Step]
        /// Findings about the target as a whole (which stored capability probe decided what).
        public var notes: [String]
        /// What the whole run spent on this target at list price: Σ cost of every successful request with usage,
        /// in every step, warm-up and cool-down included (the step figures count their window only). Nil without a
        /// price row.
        public var usdTotal: Double?
        /// The quality tasks of the spec, scored on this target (summaries; per-item results are in
        /// `quality/<target>/<task>/items.jsonl`).
        public var quality: [EvalSummary]?

        public init(
            name: String, baseURL: String, model: String, steps: [Step], notes: [String] = [], usdTotal: Double? = nil
        ) {
            self.name = name
            self.baseURL = baseURL
            self.model = model
            self.steps = steps
            self.notes = notes
            self.usdTotal = usdTotal
        }

        enum CodingKeys: String, CodingKey {
            case name
            case baseURL = "base_url"
            case model, steps, notes, quality
            case usdTotal = "usd_total"
        }
    }

    public var schema: String
    public var llmbenchVersion: String
    public var generatedAt: String
    public var seed: UInt64
    public var temperature: Double?
    public var slo: ServiceLevelObjectives
    public var targets: [Target]
    /// Every pair of targets on every quality task, item by item (A is the earlier target in the spec).
    public var qualityComparisons: [EvalComparison]?
    /// The client's own ceiling on the host that ran the benchmark (nil when not measured).
    public var clientCeiling: HarnessCeiling?

    public init(
        llmbenchVersion: String, generatedAt: String, seed: UInt64, temperature: Double?,
        slo: ServiceLevelObjectives, targets: [Target]
    ) {
        schema = Self.schemaIdentifier
        self.llmbenchVersion = llmbenchVersion
        self.generatedAt = generatedAt
        self.seed = seed
        self.temperature = temperature
        self.slo = slo
        self.targets = targets
    }

    enum CodingKeys: String, CodingKey {
        case schema
        case llmbenchVersion = "llmbench_version"
        case generatedAt = "generated_at"
        case seed, temperature, slo, targets
        case qualityComparisons = "quality_comparisons"
        case clientCeiling = "client_ceiling"
    }
}

/// Findings written beside a step's numbers.
enum StepNotes {
    static func notes(for metrics: StepSummary) -> [String] {
        var notes: [String] = []
        let counts = metrics.counts
        if counts.total == 0 {
            notes.append("no request was sent in this step")
        } else if counts.succeeded == 0 && counts.failed > 0 {
            notes.append("every request in the window failed")
        }
        for group in metrics.errors.prefix(5) {
            let status = group.httpStatus.map { " HTTP \($0)" } ?? ""
            notes.append("\(group.count)× \(group.kind.rawValue)\(status): \(group.message)")
        }
        if counts.cancelled > 0 {
            notes.append(
                "\(counts.cancelled) requests were still running when the timed step ended (cancelled, in no rate)")
        }
        if let window = metrics.window, window.segments > 1 {
            notes.append(
                "the step ran in \(window.segments) segments (the run was resumed after an interruption): rates divide by the sum of the segments' windows"
            )
        }
        if let window = metrics.window, window.lengthS <= 0 {
            notes.append("warm-up and cool-down leave no measurement window: rates are not available")
        }
        let exact = metrics.exactOutput
        if exact.requested > 0 && exact.honoured < exact.requested {
            notes.append(
                "exact output length honoured for \(exact.honoured) of \(exact.requested) requests: the server may ignore ignore_eos/min_tokens"
            )
        }
        if metrics.retriedRequests > 0, let p50 = metrics.retryMs.p50 {
            notes.append(
                "\(metrics.retriedRequests) requests were retried (p50 \(NumberFormatting.value(p50)) ms before the attempt that counts; not in latency)"
            )
        }
        if let pacing = metrics.pacingMs, let p50 = pacing.p50, let max = pacing.max, max > 0 {
            notes.append(
                "the client-side rate budget held requests back: p50 \(NumberFormatting.value(p50)) ms, max \(NumberFormatting.value(max)) ms (not in latency)"
            )
        }
        if let counted = metrics.outputTokenSources[TokenCountSource.tokenizer.rawValue], counted > 0 {
            notes.append(
                "\(counted) successful requests had no usage report: their output tokens were counted with the model's tokenizer"
            )
        }
        if let chunks = metrics.outputTokenSources[TokenCountSource.chunks.rawValue], chunks > 0 {
            notes.append(
                "\(chunks) successful requests had no usage report and no tokenizer counted them: their output tokens are chunk counts (set the target's tokenizer: server where the server has /tokenize)"
            )
        }
        return notes
    }
}
