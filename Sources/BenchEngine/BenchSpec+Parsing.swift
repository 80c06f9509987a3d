public import BenchCore
import BenchProviders
import BenchMetrics
import BenchEval
import BenchRunner
public import Foundation
import Yams

extension BenchSpec {
    /// Parses a spec document (YAML, or JSON, which is YAML too).
    /// - Throws: ``SpecError`` naming the field at fault.
    /// Files it names are not read here: ``load(path:)`` reads a trace, and runs read prompt and conversation
    /// files when they start.
    public static func parse(_ text: String) throws -> BenchSpec {
        try BenchSpec(document: document(text))
    }

    /// The document of a spec text (YAML or JSON), before its fields are read.
    /// - Throws: ``SpecError`` when the text is neither.
    /// A document that starts with `{` or `[` is read as JSON, and its errors say where ("not valid JSON at line L,
    /// column C: …"); anything else as YAML, its errors with the line and column and without the parser's internals.
    public static func document(_ text: String) throws -> JSONValue {
        if let first = text.first(where: { !$0.isWhitespace }), first == "{" || first == "[" {
            do {
                return try JSONParser.parse(text)
            } catch let error as JSONParser.SyntaxError {
                throw SpecError("spec", error.description)
            }
        }
        do {
            return try YAMLDecoder().decode(JSONValue.self, from: text)
        } catch {
            // The decoder wraps the parser's error; its line and column are what a user needs.
            var yaml = error as? YamlError
            if case .dataCorrupted(let context)? = error as? DecodingError {
                yaml = context.underlyingError as? YamlError
            }
            guard let yaml else { throw SpecError("spec", "not valid YAML or JSON: \(error)") }
            switch yaml {
            case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
                .composer(_, let problem, let mark, _):
                throw SpecError("spec", "not valid YAML at line \(mark.line), column \(mark.column): \(problem)")
            default:
                throw SpecError("spec", "not valid YAML: \(yaml)")
            }
        }
    }

    /// Reads a spec from its parsed document.
    /// - Throws: ``SpecError`` naming the field at fault.
    public static func parse(document: JSONValue) throws -> BenchSpec {
        try BenchSpec(document: document)
    }

    /// Reads and parses a spec file; a relative prompt file is resolved against the spec's folder.
    public static func load(path: String) throws -> BenchSpec {
        let url = URL(fileURLWithPath: path)
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw SpecError(path, "cannot read the spec file: \(FileProblem.reason(error))")
        }
        var spec = try BenchSpec(document: document(text))
        for keyPath in [\BenchSpec.promptFile, \BenchSpec.conversationFile] {
            if let file = spec[keyPath: keyPath], !file.hasPrefix("/") {
                spec[keyPath: keyPath] = url.deletingLastPathComponent().appendingPathComponent(file).path
            }
        }
        try spec.loadTrace(relativeTo: url.deletingLastPathComponent())
        spec.quality = spec.quality.map { $0.resolved(against: url.deletingLastPathComponent()) }
        return spec
    }

    init(document: JSONValue) throws {
        self.init()
        let root = try SpecReader(
            document, path: "",
            allowed: ["name", "seed", "targets", "load", "prompts", "request", "slo", "quality", "judge"]
        )
        if let seed = try root.number("seed") {
            guard seed >= 0, seed.rounded() == seed else { throw SpecError("seed", "expected a whole number ≥ 0") }
            self.seed = UInt64(seed)
        }
        for (index, item) in (root.list("targets") ?? []).enumerated() {
            targets.append(try Self.target(item, path: "targets[\(index)]"))
        }
        if let load = try root.nested(
            "load",
            allowed: [
                "concurrency", "rate", "arrival", "max_in_flight", "requests", "duration", "warmup", "cooldown",
                "trace",
                "trace_speed",
            ]
        ) {
            try readLoad(load)
        }
        if let prompts = try root.nested(
            "prompts",
            allowed: [
                "input_tokens", "output_tokens", "file", "distinct", "items", "conversations", "turns", "think_time",
            ])
        {
            conversationFile = try prompts.string("conversations")
            conversationTurns = try prompts.positiveInteger("turns")
            thinkTime = try prompts.nonNegativeNumber("think_time").map { .seconds(double: $0) } ?? .zero
            if conversationFile != nil && conversationTurns != nil {
                throw SpecError(prompts.field("turns"), "give either conversations (a file) or turns, not both")
            }
            if conversationFile != nil || conversationTurns != nil,
                try prompts.string("file") != nil || prompts.list("items") != nil
            {
                throw SpecError(
                    prompts.field(conversationFile != nil ? "conversations" : "turns"),
                    "conversations replace file and items: give one")
            }
            distinctPrompts = try prompts.positiveInteger("distinct")
            inputTokens = try prompts.positiveInteger("input_tokens") ?? inputTokens
            outputTokens = try prompts.positiveInteger("output_tokens") ?? outputTokens
            promptFile = try prompts.string("file")
            if let items = prompts.list("items") {
                if promptFile != nil { throw SpecError(prompts.field("items"), "give either file or items, not both") }
                if items.isEmpty { throw SpecError(prompts.field("items"), "the list is empty") }
                inlinePrompts = try items.enumerated().map { index, item in
                    try Self.inlinePrompt(item, field: "\(prompts.field("items"))[\(index)]")
                }
            }
        }
        if let request = try root.nested(
            "request",
            allowed: ["temperature", "exact_output", "include_usage", "timeout", "read_timeout", "retries", "retry_on"]
        ) {
            if let retries = try request.number("retries") {
                guard retries >= 0, retries.rounded() == retries, retries <= 20 else {
                    throw SpecError(request.field("retries"), "expected a whole number from 0 to 20")
                }
                retry.maxRetries = Int(retries)
            }
            if let kinds = request.list("retry_on") {
                retry.retryOn = try Set(
                    kinds.enumerated().map { index, value in
                        guard let name = value.string, let kind = ProviderError.Kind(rawValue: name), kind != .cancelled
                        else {
                            let known = ProviderError.Kind.allCases.filter { $0 != .cancelled }.map(\.rawValue)
                            throw SpecError(
                                "\(request.field("retry_on"))[\(index)]",
                                "expected one of \(known.joined(separator: ", "))"
                            )
                        }
                        return kind
                    }
                )
            }
            temperature = try request.nonNegativeNumber("temperature") ?? temperature
            exactOutput = try request.bool("exact_output") ?? exactOutput
            includeUsage = try request.bool("include_usage") ?? includeUsage
            requestTimeout = try request.positiveNumber("timeout").map { .seconds(double: $0) } ?? requestTimeout
            readTimeout = try request.positiveNumber("read_timeout").map { .seconds(double: $0) } ?? readTimeout
        }
        for (index, item) in (root.list("quality") ?? []).enumerated() {
            quality.append(try Self.qualityTask(item, field: "\(root.field("quality"))[\(index)]"))
        }
        if let judge = root.value("judge") {
            self.judge = try Self.target(judge, path: root.field("judge"))
        }
        if let slo = try root.nested("slo", allowed: ["ttft_ms", "ttfa_ms", "itl_ms", "e2e_ms", "max_gap_ms"]) {
            self.slo = ServiceLevelObjectives(
                ttftMs: try slo.positiveNumber("ttft_ms"), ttfaMs: try slo.positiveNumber("ttfa_ms"),
                itlMs: try slo.positiveNumber("itl_ms"), e2eMs: try slo.positiveNumber("e2e_ms"),
                maxGapMs: try slo.positiveNumber("max_gap_ms")
            )
        }
    }

    /// A quality task: a smoke suite's name, or `{suite | task, dataset, limit, concurrency}`.
    private static func qualityTask(_ item: JSONValue, field: String) throws -> QualityTask {
        let suites = SmokeSuite.allCases.map(\.rawValue).joined(separator: ", ")
        if let name = item.string {
            guard let suite = SmokeSuite(rawValue: name) else {
                throw SpecError(field, "unknown smoke suite \"\(name)\" (known: \(suites)), or give {task: FILE}")
            }
            return QualityTask(source: .suite(suite))
        }
        let reader = try SpecReader(item, path: field, allowed: ["suite", "task", "dataset", "limit", "concurrency"])
        let source: QualityTask.Source
        let task = reader.value("task")
        if let task, task.string == nil, task.object == nil {
            throw SpecError(reader.field("task"), "expected a task file's path or a task written out as a mapping")
        }
        if reader.value("suite") != nil, task != nil { throw SpecError(field, "give either suite or task, not both") }
        switch (try reader.string("suite"), task?.string) {
        case (let name?, nil):
            guard let suite = SmokeSuite(rawValue: name) else {
                throw SpecError(reader.field("suite"), "unknown smoke suite \"\(name)\" (known: \(suites))")
            }
            if reader.value("dataset") != nil {
                throw SpecError(reader.field("dataset"), "a smoke suite brings its own items")
            }
            source = .suite(suite)
        case (nil, let path?):
            source = .file(path: path, dataset: try reader.string("dataset"))
        case (nil, nil) where task?.object != nil:
            do {
                source = .inline(
                    try TaskDefinition(
                        document: task!, directory: URL(fileURLWithPath: FileManager.default.currentDirectoryPath)))
            } catch let error as DatasetError {
                throw SpecError("\(reader.field("task")).\(error.location)", error.problem)
            }
        default:
            throw SpecError(field, "give either suite or task")
        }
        return QualityTask(
            source: source, limit: try reader.positiveInteger("limit"),
            concurrency: try reader.positiveInteger("concurrency") ?? 4)
    }

    /// A prompt item: text (one user message), or `{prompt | messages, max_tokens}`.
    private static func inlinePrompt(_ item: JSONValue, field: String) throws -> InlinePrompt {
        if case .string(let text) = item, !text.isEmpty {
            return InlinePrompt(messages: [ChatMessage(role: "user", content: text)])
        }
        let reader = try SpecReader(item, path: field, allowed: ["prompt", "messages", "max_tokens"])
        let maxTokens = try reader.positiveInteger("max_tokens")
        if let prompt = try reader.string("prompt") {
            return InlinePrompt(messages: [ChatMessage(role: "user", content: prompt)], maxTokens: maxTokens)
        }
        guard let messages = reader.list("messages"), !messages.isEmpty else {
            throw SpecError(field, "expected text, or a mapping with prompt or messages")
        }
        return InlinePrompt(
            messages: try messages.enumerated().map { index, message in
                let entry = try SpecReader(
                    message, path: "\(reader.field("messages"))[\(index)]", allowed: ["role", "content"])
                return ChatMessage(role: try entry.requiredString("role"), content: try entry.requiredString("content"))
            },
            maxTokens: maxTokens
        )
    }

    /// `server`, `none`, or the path of a `tokenizer.json` that exists (a command-line flag's value).
    /// - Throws: ``SpecError`` on `field` when the path names no file.
    public static func tokenizer(_ value: String, field: String) throws -> Target.TokenizerChoice {
        let choice = Target.TokenizerChoice(value)
        if case .file(let path) = choice, !FileManager.default.fileExists(atPath: path) {
            throw SpecError(
                field,
                "expected server (the server's /tokenize), none (chunk counts) or the path of a tokenizer.json; no file at \(path)"
            )
        }
        return choice
    }

    private static func target(_ value: JSONValue, path: String) throws -> Target {
        let reader = try SpecReader(
            value, path: path,
            allowed: [
                "name", "kind", "base_url", "model", "api_key_env", "headers", "extra_body", "exact_output", "price",
                "price_model", "machine_usd_per_hour", "rate_limit", "tokenizer",
            ]
        )
        let kindName = try reader.string("kind") ?? Kind.openai.rawValue
        guard let kind = Kind(rawValue: kindName) else {
            throw SpecError(reader.field("kind"), "unknown kind \"\(kindName)\" (known: \(Kind.names))")
        }
        var target = try Target.resolving(
            name: try reader.string("name"), kind: kind, baseURL: try reader.string("base_url"),
            model: try reader.requiredString("model"), apiKeyEnv: try reader.string("api_key_env"),
            headers: try reader.stringMap("headers"), extraBody: try reader.object("extra_body"),
            exactOutput: try reader.bool("exact_output"), field: reader.field("base_url")
        )
        target.priceModel = try reader.string("price_model")
        // A file is read (and its absence reported) when the run starts, by the process that runs it.
        target.tokenizer = try reader.string("tokenizer").map(Target.TokenizerChoice.init)
        target.machineUSDPerHour = try reader.positiveNumber("machine_usd_per_hour")
        if let limit = try reader.nested("rate_limit", allowed: ["requests_per_minute", "tokens_per_minute"]) {
            target.rateLimit = RateBudget(
                requestsPerMinute: try limit.positiveNumber("requests_per_minute"),
                tokensPerMinute: try limit.positiveNumber("tokens_per_minute")
            )
        }
        if let price = try reader.nested(
            "price", allowed: ["input", "cached_input", "output", "reasoning", "date", "source"])
        {
            guard let input = try price.nonNegativeNumber("input"), let output = try price.nonNegativeNumber("output")
            else {
                throw SpecError(price.field("input"), "a price needs input and output (USD per 1M tokens)")
            }
            target.price = ModelPrice(
                model: target.model, input: input, cachedInput: try price.nonNegativeNumber("cached_input"),
                output: output, reasoning: try price.nonNegativeNumber("reasoning"), date: try price.string("date"),
                source: try price.string("source") ?? "the spec file"
            )
        }
        return target
    }

    /// Reads `load.trace` (a relative path against `directory`, else the current directory) and makes it the only
    /// load step.
    /// - Throws: ``SpecError`` for an unreadable or malformed trace, or a trace with a prompt file.
    public mutating func loadTrace(relativeTo directory: URL?) throws {
        guard var path = traceFile else { return }
        if !path.hasPrefix("/"), let directory { path = directory.appendingPathComponent(path).path }
        if promptFile != nil || inlinePrompts != nil || conversationFile != nil || conversationTurns != nil {
            throw SpecError(
                "load.trace", "a trace gives each request its own prompt: give no prompts.file, items or conversations")
        }
        traceFile = path
        shapes = [.trace(try TraceFile.load(path: path), speed: traceSpeed, maxInFlight: traceMaxInFlight)]
    }

    private mutating func readLoad(_ load: SpecReader) throws {
        let concurrency = load.list("concurrency")
        let rates = load.list("rate")
        if concurrency != nil && rates != nil {
            throw SpecError(load.field("rate"), "give either concurrency (closed loop) or rate (open loop), not both")
        }
        let arrival: ArrivalProcess
        switch try load.string("arrival") ?? "constant" {
        case "constant": arrival = .constant
        case "poisson": arrival = .poisson
        case let other: throw SpecError(load.field("arrival"), "expected constant or poisson, got \"\(other)\"")
        }
        let maxInFlight = try load.positiveInteger("max_in_flight")
        if let concurrency {
            shapes = try concurrency.enumerated().map { index, value in
                .concurrency(
                    users: try SpecReader.positiveInteger(value, field: "\(load.field("concurrency"))[\(index)]"))
            }
        } else if let rates {
            shapes = try rates.enumerated().map { index, value in
                let rate = try SpecReader.number(value, field: "\(load.field("rate"))[\(index)]")
                guard rate > 0 else { throw SpecError("\(load.field("rate"))[\(index)]", "must be greater than 0") }
                return .rate(perSecond: rate, arrival: arrival, maxInFlight: maxInFlight)
            }
        }
        if shapes.isEmpty { throw SpecError(load.field("concurrency"), "the list is empty") }
        traceFile = try load.string("trace")
        if traceFile != nil && (concurrency != nil || rates != nil) {
            throw SpecError(load.field("trace"), "a trace sets its own arrivals: give no concurrency or rate with it")
        }
        traceSpeed = try load.positiveNumber("trace_speed") ?? 1
        traceMaxInFlight = maxInFlight
        maxRequests = try load.positiveInteger("requests")
        maxDuration = try load.positiveNumber("duration").map { .seconds(double: $0) }
        warmup = try load.nonNegativeNumber("warmup").map { .seconds(double: $0) } ?? .zero
        cooldown = try load.nonNegativeNumber("cooldown").map { .seconds(double: $0) } ?? .zero
    }
}
