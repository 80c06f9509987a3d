public import BenchCore
public import BenchEval
public import BenchMetrics
public import BenchProviders
public import BenchRunner
import Foundation

/// A benchmark as the user describes it, from a spec file (YAML or JSON) and/or command-line flags.
/// The file format is documented in `docs/spec.md`.
public struct BenchSpec: Sendable, Hashable {
    /// A target's provider (``ProviderKind``).
    public typealias Kind = ProviderKind

    /// One model endpoint to measure.
    public struct Target: Sendable, Hashable {
        public var name: String
        public var kind: Kind
        /// The API root, e.g. `http://127.0.0.1:8080/v1`; the kind's default when the spec gives none.
        public var baseURL: String
        public var model: String
        /// The environment variable holding the API key; the key itself is never stored.
        public var apiKeyEnv: String?
        public var headers: [String: String]
        public var extraBody: [String: JSONValue]
        /// Overrides ``BenchSpec/exactOutput`` for this target.
        public var exactOutput: Bool?
        /// The list price to use; when nil, the built-in table's row for `priceModel` (or `model`).
        public var price: ModelPrice?
        /// The price-table row to use when it is named differently from `model`.
        public var priceModel: String?
        /// For self-hosted targets: what the machine costs per hour, which turns measured throughput into
        /// USD per 1M output tokens.
        public var machineUSDPerHour: Double?
        /// A client-side budget that keeps requests under the provider's rate limits; empty means unpaced.
        public var rateLimit = RateBudget()
        /// How output tokens are counted when a response carries no usage report: with the server's tokenizer
        /// (`server`: llama.cpp's `/tokenize`), with the model's Hugging Face `tokenizer.json` (a path), or not at
        /// all (`none`: chunk counts, labelled). Nil takes the kind's default (``tokenCounting``).
        public var tokenizer: TokenizerChoice?

        /// What counts output tokens without a usage report.
        public enum TokenizerChoice: Sendable, Hashable {
            case server
            case none
            /// A Hugging Face `tokenizer.json` (byte-level BPE) read by llmbench.
            case file(String)

            /// What counts, as reports name it.
            public var counter: String {
                switch self {
                case .server: "the server's /tokenize"
                case .none: "no tokenizer"
                case .file(let path): "the tokenizer.json at \(path)"
                }
            }

            /// `server`, `none`, or a path to a `tokenizer.json`.
            public init(_ value: String) {
                switch value {
                case "server": self = .server
                case "none": self = .none
                default: self = .file(value)
                }
            }
        }

        /// The tokenizer that counts responses without usage: the spec's, else the server's `/tokenize` for
        /// llama.cpp (whose server has one), else none.
        public var tokenCounting: TokenizerChoice {
            tokenizer ?? (kind == .llamacpp ? .server : .none)
        }

        public init(
            name: String? = nil, kind: Kind = .openai, baseURL: String, model: String, apiKeyEnv: String? = nil,
            headers: [String: String] = [:], extraBody: [String: JSONValue] = [:], exactOutput: Bool? = nil
        ) {
            self.kind = kind
            self.baseURL = baseURL
            self.model = model
            self.name = name ?? Self.defaultName(model: model, baseURL: baseURL)
            self.apiKeyEnv = apiKeyEnv
            self.headers = headers
            self.extraBody = extraBody
            self.exactOutput = exactOutput
        }

        /// A target with the kind's defaults filled in: its base URL when none is given, its usual API-key
        /// variable when the base URL is the service's own, and the body fields it needs.
        /// - Throws: ``SpecError`` on `field`.base_url when the kind has no default base URL and none is given.
        public static func resolving(
            name: String? = nil, kind: Kind, baseURL: String?, model: String, apiKeyEnv: String?,
            headers: [String: String] = [:], extraBody: [String: JSONValue] = [:], exactOutput: Bool? = nil,
            field: String
        ) throws -> Target {
            guard let url = baseURL ?? kind.defaultBaseURL else {
                let example =
                    switch kind {
                    case .azure: "https://{resource}.openai.azure.com"
                    case .bedrock: "https://bedrock-runtime.{region}.amazonaws.com"
                    default:
                        "https://{location}-aiplatform.googleapis.com/v1/projects/{project}/locations/{location}/publishers/google"
                    }
                throw SpecError(field, "is required for kind \(kind.rawValue), e.g. \(example)")
            }
            let usesServiceURL = url == kind.defaultBaseURL && kind.defaultAPIKeyEnv != nil
            return Target(
                name: name, kind: kind, baseURL: url, model: model,
                apiKeyEnv: apiKeyEnv ?? (usesServiceURL ? kind.defaultAPIKeyEnv : nil), headers: headers,
                extraBody: kind.defaultExtraBody.merging(extraBody) { _, own in own }, exactOutput: exactOutput
            )
        }

        /// Whether exact output is requested: the target's own setting, else the spec's where the server accepts
        /// the fields: as a stored probe found (``ProbeReport/Capability/ignoreEOS``), or else by kind (self-hosted
        /// engines and OpenAI-compatible servers other than OpenAI itself).
        public func requestsExactOutput(default specDefault: Bool, probe: ProbeReport? = nil) -> Bool {
            if let exactOutput { return exactOutput }
            if let probed = probe?.supports(.ignoreEOS) { return specDefault && probed }
            let accepts =
                kind.acceptsExactOutputFields || (kind == .openai && baseURL != Kind.openai.defaultBaseURL)
            return specDefault && accepts
        }

        /// The API key from the environment variable the target names; nil when it names none.
        /// - Throws: ``SpecError`` on `field` when the variable is not set.
        public func apiKey(environment: [String: String], field: String) throws -> String? {
            if kind == .bedrock && apiKeyEnv == nil && AWSCredentials(environment: environment) == nil {
                throw SpecError(
                    field,
                    "Bedrock needs AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the environment (SigV4), or api_key_env naming a Bedrock API key"
                )
            }
            guard let name = apiKeyEnv else { return nil }
            guard let key = environment[name], !key.isEmpty else {
                throw SpecError(field, "the environment variable \(name) is not set")
            }
            return key
        }

        static func defaultName(model: String, baseURL: String) -> String {
            let host = URL(string: baseURL)?.host.map { h in URL(string: baseURL)?.port.map { "\(h):\($0)" } ?? h }
            return host.map { "\(model)@\($0)" } ?? model
        }
    }

    public var targets: [Target] = []
    /// One step per entry: closed-loop concurrencies, or open-loop rates.
    public var shapes: [LoadShape] = [.concurrency(users: 1)]
    public var maxRequests: Int?
    public var maxDuration: Duration?
    public var warmup: Duration = .zero
    public var cooldown: Duration = .zero
    public var inputTokens = 128
    public var outputTokens = 64
    /// A JSONL prompt file; replaces synthetic prompts.
    public var promptFile: String?
    /// Prompts given in the spec itself (`prompts.items`); replace synthetic prompts.
    public var inlinePrompts: [InlinePrompt]?
    /// Multi-turn conversations from a file (`prompts.conversations`): each turn carries the history so far.
    public var conversationFile: String?
    /// Synthetic conversations of this many turns (`prompts.turns`), each turn a synthetic prompt.
    public var conversationTurns: Int?
    /// The pause between an answer and the next turn of a conversation (`prompts.think_time`).
    public var thinkTime: Duration = .zero
    /// A workload trace to replay (`load.trace`), read into ``shapes`` when the spec is loaded.
    public var traceFile: String?
    /// Time scale of the trace: 2 replays it twice as fast.
    public var traceSpeed = 1.0
    /// The concurrency cap of the trace replay (`load.max_in_flight`).
    public var traceMaxInFlight: Int?

    /// One prompt written into the spec: chat messages and an optional output limit.
    public struct InlinePrompt: Sendable, Hashable {
        public var messages: [ChatMessage]
        public var maxTokens: Int?

        public init(messages: [ChatMessage], maxTokens: Int? = nil) {
            self.messages = messages
            self.maxTokens = maxTokens
        }
    }
    /// Cycle through this many synthetic prompts instead of making every prompt unique.
    public var distinctPrompts: Int?
    public var temperature: Double? = 0
    /// Ask for exactly `output_tokens` tokens (`ignore_eos`, `min_tokens`).
    public var exactOutput = true
    public var includeUsage = true
    /// Retries of throttled requests (and of other failure kinds listed in the policy).
    public var retry = RetryPolicy()
    public var requestTimeout: Duration = .seconds(600)
    public var readTimeout: Duration = .seconds(120)
    public var seed: UInt64 = 0
    public var slo = ServiceLevelObjectives()
    /// Quality tasks run against every target after the load steps.
    public var quality: [QualityTask] = []
    /// The target that grades judged quality tasks (any target can judge).
    public var judge: Target?

    public init() {}

    /// Requests of a step without a stop condition: a trace's requests, else 100.
    static func defaultRequests(_ shape: LoadShape) -> Int {
        if case .trace(let trace, _, _) = shape { return trace.entries.count }
        return 100
    }

    /// The steps of every target's sweep. Without any stop condition a step sends 100 requests (a trace: its own).
    public var steps: [LoadStep] {
        shapes.map {
            LoadStep(
                shape: $0, maxRequests: maxRequests ?? (maxDuration == nil ? Self.defaultRequests($0) : nil),
                maxDuration: maxDuration,
                warmup: warmup, cooldown: cooldown
            )
        }
    }

    /// Checks what parsing alone cannot: targets present and reachable-looking, a usable window.
    public func validate() throws {
        guard !targets.isEmpty else {
            throw SpecError("targets", "at least one target is required (or pass --base-url and --model)")
        }
        for (index, target) in targets.enumerated() {
            let field = "targets[\(index)]"
            guard let url = URL(string: target.baseURL), let scheme = url.scheme, ["http", "https"].contains(scheme),
                url.host != nil
            else {
                throw SpecError(
                    "\(field).base_url",
                    "expected an http(s) URL such as http://127.0.0.1:8080/v1, got \"\(target.baseURL)\"")
            }
            if target.model.isEmpty { throw SpecError("\(field).model", "is required") }
            if let name = target.priceModel, target.price == nil, PriceTable.builtIn.price(for: name) == nil {
                let known = PriceTable.builtIn.models.map(\.model).joined(separator: ", ")
                throw SpecError(
                    "\(field).price_model",
                    "the price table has no row for \"\(name)\" (known: \(known)); give the target a price instead")
            }
        }
        let names = targets.map(\.name)
        if let duplicate = names.first(where: { name in names.filter { $0 == name }.count > 1 }) {
            throw SpecError("targets", "two targets are named \"\(duplicate)\"; give each a distinct name")
        }
        if let maxDuration, warmup + cooldown >= maxDuration {
            throw SpecError(
                "load.warmup", "warm-up plus cool-down (\(warmup + cooldown)) leave nothing of the \(maxDuration) step")
        }
        if traceFile != nil, !shapes.contains(where: { if case .trace = $0 { true } else { false } }) {
            throw SpecError(
                "load.trace", "the trace was not read: traces are read from the spec file's folder by the CLI")
        }
        if conversationFile != nil || conversationTurns != nil,
            shapes.contains(where: { if case .concurrency = $0 { false } else { true } })
        {
            throw SpecError(
                "prompts.conversations", "conversations run closed loop: give load.concurrency, not a rate or trace")
        }
    }

    /// The quality tasks, read and checked against every target: a task file that cannot be read, a log-likelihood task on
    /// a target with no method for it, or a judged task without the spec's `judge`, stops the run here, before any
    /// request.
    /// - Throws: ``SpecError`` naming the quality entry or the target.
    public func qualityTasks(probes: ProbeStore = ProbeStore()) throws -> [TaskDefinition] {
        let tasks = try quality.enumerated().map { index, entry in try entry.load(field: "quality[\(index)]") }
        for (index, task) in tasks.enumerated() {
            if let template = task.judge, judge == nil {
                throw SpecError(
                    "quality[\(index)]",
                    "\(task.name) is graded by a judge (\(template.name)): give the judge target as `judge:` in the spec"
                )
            }
        }
        for (index, task) in tasks.enumerated() where task.outputType != .generate {
            for target in targets where LikelihoodEndpoint.method(for: target, probes: probes) == nil {
                throw SpecError(
                    "quality[\(index)]",
                    "\(task.name) is scored by log-likelihood, which is not available for this endpoint: target \(target.name) (\(target.kind.rawValue)) gives no log-probabilities of given text (llama.cpp and vLLM do)"
                )
            }
        }
        return tasks
    }
}
