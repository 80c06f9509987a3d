public import BenchCore
public import BenchEval
import BenchMetrics
import BenchRunner
public import Foundation

/// Runs an evaluation task against one target through the engine: every item (times `repeats`) asked at
/// `concurrency` — the engine's pool holds them all at once — each result appended to `items.jsonl` as it completes
/// (a killed run keeps what finished), and the summary written to `summary.json`. Generative tasks stream answers at
/// temperature `temperature`; log-likelihood tasks ask the target's ``LikelihoodEndpoint`` and fail up front, naming
/// the target, where it has none. Answers, judge verdicts and log-likelihood calls all go through the endpoint's
/// shared limit, and each answer is priced from the engine's one price table.
public struct EvalRun: Sendable {
    public let task: TaskDefinition
    public let target: BenchSpec.Target
    public let engine: Engine
    public let concurrency: Int
    public let temperature: Double
    public let outputDirectory: URL?
    /// Where answers are reused from and kept (generative tasks only); nil asks every time.
    public let cache: ResponseCache?
    /// The target that grades answers of judged tasks (``TaskDefinition/judge``).
    public let judgeTarget: BenchSpec.Target?
    /// Replaces the client built for the judge target (a scripted judge, a client with its own policy).
    public let judgeClient: (any ModelClient)?
    /// A moderation API that also classifies each answer of toxicity tasks.
    public let moderationTarget: Moderation.Target?
    /// Where code-execution tasks run the model's code; such a task is refused without one.
    public let codeSandbox: CodeSandbox?
    /// Asks already answered (``EvalItemResult/key``), not asked again: a resumed run's stored results.
    public let skip: Set<String>
    /// Receives each result as it completes, before it counts as done (the service stores it here).
    public let onResult: (@Sendable (EvalItemResult) async throws -> Void)?
    public let log: @Sendable (String) -> Void

    public init(
        task: TaskDefinition, target: BenchSpec.Target, engine: Engine, concurrency: Int = 4, temperature: Double = 0,
        outputDirectory: URL?, cache: ResponseCache? = nil, skip: Set<String> = [],
        onResult: (@Sendable (EvalItemResult) async throws -> Void)? = nil, judgeTarget: BenchSpec.Target? = nil,
        judgeClient: (any ModelClient)? = nil, moderationTarget: Moderation.Target? = nil,
        codeSandbox: CodeSandbox? = nil, log: @escaping @Sendable (String) -> Void = { _ in }
    ) {
        self.codeSandbox = codeSandbox
        self.judgeTarget = judgeTarget
        self.judgeClient = judgeClient
        self.moderationTarget = moderationTarget
        self.cache = cache
        self.skip = skip
        self.onResult = onResult
        self.task = task
        self.target = target
        self.engine = engine
        self.concurrency = max(1, concurrency)
        self.temperature = temperature
        self.outputDirectory = outputDirectory
        self.log = log
    }

    /// One unit of work: an item, asked once.
    struct Ask: Sendable {
        var item: EvalItem
        var repeatIndex: Int
        var prompt: String
        var messages: [ChatMessage]
        /// Generation and loglikelihood: the gold text.
        var reference: String?
        /// Multiple choice: the choices (without the prefix) and the true ones.
        var choices: [String] = []
        var gold: Set<Int> = []
    }

    /// - Throws: ``DatasetError`` for a dataset or template problem found before anything is sent, ``SpecError``
    ///   for the target (including no log-likelihood method); failing requests are results, not errors.
    public func run() async throws -> (summary: EvalSummary, results: [EvalItemResult]) {
        if task.scorer.runsCode, codeSandbox == nil { throw CodeSandbox.refusal(of: task.name) }
        let items = try task.loadItems()
        guard !items.isEmpty else { throw DatasetError(location: task.name, problem: "the dataset holds no items") }
        let asks = try items.flatMap { item in try prepare(item, among: items) }.filter {
            !skip.contains(EvalItemResult.key(itemID: $0.item.id, repeatIndex: $0.repeatIndex))
        }
        if let outputDirectory {
            try FileManager.default.createDirectory(at: outputDirectory, withIntermediateDirectories: true)
        }
        let ask: @Sendable (Ask) async -> EvalItemResult
        var method: String?
        switch task.outputType {
        case .generate:
            let endpoint = try await engine.endpoint(for: target, field: "target.api_key_env")
            let price = engine.prices.price(for: target)
            let judge = try await makeJudge()
            // Connections opened before the first item, as before a load step: setup is not an answer's latency.
            let warm = min(concurrency, asks.count)
            await endpoint.client.warmConnections(warm)
            await judge?.warmConnections(warm)
            let temperature = task.temperature ?? temperature
            let moderation = try moderationTarget.map(engine.moderation)
            ask = { [task, target, cache, codeSandbox] in
                await Self.generate(
                    $0, task: task, target: target, temperature: temperature, endpoint: endpoint, price: price,
                    cache: cache, judge: judge, moderation: moderation, sandbox: codeSandbox)
            }
        case .multipleChoice(let source):
            let model = try await engine.likelihoodModel(for: target, field: "target.api_key_env")
            method = model.method
            ask = { await Self.chooseAnswer($0, prefix: source.prefix, model: model) }
        case .loglikelihood:
            let model = try await engine.likelihoodModel(for: target, field: "target.api_key_env")
            method = model.method
            ask = { await Self.scoreContinuation($0, model: model) }
        case .rollingLoglikelihood(let windowing):
            let model = try await engine.likelihoodModel(for: target, field: "target.api_key_env")
            method = model.method
            ask = { await Self.scoreText($0, windowing: windowing, model: model) }
        }
        let writer = try outputDirectory.map { try JSONLinesFile(url: $0.appendingPathComponent("items.jsonl")) }
        log("▶ \(task.name) (\(task.outputType.name)): \(items.count) items × \(task.repeats) on \(target.name)")
        let watch = RefusalWatch()
        let results = try await asks.concurrentMap(limit: concurrency) { [task, onResult] next in
            var result = await ask(next)
            // A request cut by cancellation is not an answer: nothing is kept, a resumed run asks again.
            try Task.checkCancellation()
            result.prompt = next.prompt
            result.cluster = task.cluster.flatMap { next.item.text($0) }
            try await onResult?(result)
            writer?.append(result)
            try await watch.observe(result)
            return result
        }
        writer?.close()
        let sorted = results.sorted { ($0.itemID, $0.repeatIndex) < ($1.itemID, $1.repeatIndex) }
        var summary = Self.summary(task: task, method: method, results: sorted)
        summary.target = target.name
        summary.model = target.model
        if let outputDirectory { try EvalResultsFolder(outputDirectory).write(summary) }
        return (summary, sorted)
    }

    /// Grades stored answers again with the task's judge — another judge, a new template version — without
    /// asking the model: each result keeps the candidate's tokens, latency and cost; results without an answer
    /// (failed requests) stay as they are. Written to the output directory like a run.
    /// - Throws: ``SpecError`` when the task is not judged or no judge target was given.
    public func rejudge(_ stored: [EvalItemResult], method: String?) async throws -> (
        summary: EvalSummary, results: [EvalItemResult]
    ) {
        guard let judge = try await makeJudge() else {
            throw SpecError("--rescore", "\(task.name) has no judge template to grade again with")
        }
        let moderation = try moderationTarget.map(engine.moderation)
        log("▶ judging \(stored.count) stored answers of \(task.name) with \(judge.name) (\(judge.template.name))")
        let results = try await stored.concurrentMap(limit: concurrency) { [task, codeSandbox] earlier in
            guard let answer = earlier.answer else { return earlier }
            let ask = Ask(
                item: EvalItem(id: earlier.itemID, fields: [:]), repeatIndex: earlier.repeatIndex,
                prompt: earlier.prompt ?? "", messages: [])
            return await Self.score(
                answer, ask: ask, task: task, gold: earlier.reference ?? "", judge: judge, moderation: moderation,
                sandbox: codeSandbox
            ).keepingAsked(from: earlier)
        }.sorted { ($0.itemID, $0.repeatIndex) < ($1.itemID, $1.repeatIndex) }
        var summary = Self.summary(task: task, method: method, results: results)
        summary.target = target.name
        summary.model = target.model
        if let outputDirectory { try EvalResultsFolder(outputDirectory).write(summary, results: results) }
        return (summary, results)
    }

    /// Stops an evaluation whose endpoint refuses every connection, instead of failing each item in turn: after
    /// ``limit`` asks in a row failed to connect with none answered before them, the run throws
    /// ``EndpointRefused`` (the asks already made are in items.jsonl; the rest were never sent).
    actor RefusalWatch {
        static let limit = 3
        private var refusedInARow = 0
        private var answered = false

        func observe(_ result: EvalItemResult) throws {
            guard !answered else { return }
            guard result.errorKind == ProviderError.Kind.connection.rawValue else {
                answered = result.outcome != .failed
                refusedInARow = 0
                return
            }
            refusedInARow += 1
            if refusedInARow >= Self.limit {
                throw EndpointRefused(asked: refusedInARow, reason: result.error ?? "connection failed")
            }
        }
    }

    /// The judge of a judged task, nil for other tasks.
    /// - Throws: ``SpecError`` when the task is judged and no judge target was given.
    func makeJudge() async throws -> Judge? {
        guard let template = task.judge else { return nil }
        guard let judgeTarget else {
            throw SpecError(
                "--judge-model",
                "\(task.name) is graded by a judge (\(template.name)): give the judge target (--judge-kind/--judge-base-url and --judge-model)"
            )
        }
        return try await Judge(template: template, target: judgeTarget, client: judgeClient, engine: engine)
    }

    /// The summary of a task's results; `method` is how log-probabilities were obtained (nil for generation).
    public static func summary(task: TaskDefinition, method: String?, results: [EvalItemResult]) -> EvalSummary {
        var windowing: PerplexityWindowing?
        if case .rollingLoglikelihood(let chosen) = task.outputType { windowing = chosen }
        return EvalSummary(
            task: task.name, outputType: task.outputType.name, method: method, results: results, windowing: windowing)
    }

    /// The asks for one item, everything rendered so that template and dataset errors surface before any request.
    func prepare(_ item: EvalItem, among items: [EvalItem]) throws -> [Ask] {
        let prompt = try task.promptText(for: item, among: items)
        var ask = Ask(item: item, repeatIndex: 0, prompt: prompt, messages: try task.messages(for: item, among: items))
        switch task.outputType {
        case .generate, .loglikelihood:
            guard let gold = try task.goldAnswer(for: item) else {
                throw DatasetError(location: "item \(item.id)", problem: "the reference filters find no gold answer")
            }
            ask.reference = gold
        case .multipleChoice(let source):
            (ask.choices, ask.gold) = try task.choices(of: item, from: source)
        case .rollingLoglikelihood:
            break
        }
        let repeats = task.outputType == .generate ? task.repeats : 1
        return (0..<repeats).map { index in
            var copy = ask
            copy.repeatIndex = index
            return copy
        }
    }

    static func generate(
        _ ask: Ask, task: TaskDefinition, target: BenchSpec.Target, temperature: Double, endpoint: EngineEndpoint,
        price: ModelPrice?, cache: ResponseCache?, judge: Judge?, moderation: Moderation?, sandbox: CodeSandbox?
    ) async -> EvalItemResult {
        let request = GenerationRequest(
            model: target.model, messages: ask.messages, maxOutputTokens: task.maxTokens, temperature: temperature,
            seed: UInt64(ask.repeatIndex), extraBody: target.extraBody)
        let key = cache.map { _ in ResponseCache.key(request, target: target) }
        let gold = ask.reference ?? ""
        if let cache, let key, let hit = cache.entry(for: key) {
            var result = await score(
                hit.answer, ask: ask, task: task, gold: gold, judge: judge, moderation: moderation, sandbox: sandbox)
            result.cached = true
            result.inputTokens = hit.inputTokens
            result.outputTokens = hit.outputTokens
            result.finishReason = hit.finishReason
            result.truncated = hit.finishReason == FinishReason.length.rawValue
            return result
        }
        let completion = await endpoint.complete(request)
        let (answer, usage, finish, failure) = (
            completion.answer, completion.usage, completion.finish, completion.failure
        )
        var result: EvalItemResult
        if let failure {
            result = EvalItemResult(
                itemID: ask.item.id, repeatIndex: ask.repeatIndex, outcome: .failed, score: 0, reference: gold,
                error: failure.description)
            result.errorKind = failure.kind.rawValue
        } else {
            result = await score(
                answer, ask: ask, task: task, gold: gold, judge: judge, moderation: moderation, sandbox: sandbox)
        }
        result.latencyMilliseconds = completion.latency.milliseconds
        result.inputTokens = usage?.inputTokens
        result.outputTokens = usage?.outputTokens
        result.finishReason = finish?.rawValue
        result.truncated = finish == .length
        if let usage { result.costUSD = price?.cost(of: usage) }
        if let cache, let key, failure == nil, finish != .length {
            try? cache.store(
                .init(
                    answer: answer, finishReason: finish?.rawValue, inputTokens: usage?.inputTokens,
                    outputTokens: usage?.outputTokens), for: key)
        }
        return result
    }

    /// Scores one answer: by the judge when the task has one (an answer the filters leave empty is unparsed,
    /// not judged), by running its code in the sandbox for code-execution tasks, else by the scorer; toxicity tasks
    /// also ask the moderation API when one is configured.
    static func score(
        _ answer: String, ask: Ask, task: TaskDefinition, gold: String, judge: Judge?, moderation: Moderation?,
        sandbox: CodeSandbox?
    ) async -> EvalItemResult {
        let extracted = AnswerFilter.apply(task.filters, to: answer) ?? ""
        var result: EvalItemResult
        if let sandbox, task.scorer.runsCode {
            result = await execute(extracted, answer: answer, ask: ask, gold: gold, sandbox: sandbox)
        } else if let judge, !extracted.isEmpty {
            let record = await judge.grade(question: ask.prompt, answer: extracted, reference: gold)
            result = EvalItemResult.judging(
                answer, extracted: extracted, reply: record, template: judge.template, scorer: task.scorer,
                itemID: ask.item.id, repeatIndex: ask.repeatIndex, gold: gold)
        } else {
            result = EvalItemResult.scoring(
                answer, task: task, itemID: ask.item.id, repeatIndex: ask.repeatIndex, gold: gold)
        }
        if let moderation, task.scorer == .toxicity, !extracted.isEmpty {
            result.moderation = await moderation.classify(extracted)
        }
        return result
    }

    /// Runs the program an answer makes (``CodeCheck/program(answer:reference:)``) and scores it by how it ended.
    static func execute(
        _ extracted: String, answer: String, ask: Ask, gold: String, sandbox: CodeSandbox
    ) async -> EvalItemResult {
        var result = EvalItemResult(
            itemID: ask.item.id, repeatIndex: ask.repeatIndex, outcome: .unparsed, score: 0, answer: answer,
            extracted: extracted, reference: gold)
        guard !extracted.isEmpty, let program = CodeCheck.program(answer: extracted, reference: gold) else {
            return result
        }
        let execution: CodeExecution
        do {
            execution = try await sandbox.run(program)
        } catch {
            return failed(ask, CodeSandbox.SetupFailed(underlying: error))
        }
        result.execution = execution
        result.outcome = execution.verdict == .passed ? .correct : .incorrect
        result.score = execution.verdict == .passed ? 1 : 0
        result.reason = execution.reason
        return result
    }

    static func chooseAnswer(_ ask: Ask, prefix: String, model: some LikelihoodModel) async -> EvalItemResult {
        do {
            let scores = try await LikelihoodScoring.choices(
                model, context: ask.prompt, choices: ask.choices, delimiter: prefix)
            let correct = ask.gold.contains(scores.predicted)
            var result = EvalItemResult(
                itemID: ask.item.id, repeatIndex: ask.repeatIndex, outcome: correct ? .correct : .incorrect,
                score: correct ? 1 : 0, extracted: ask.choices[scores.predicted],
                reference: ask.gold.sorted().map { ask.choices[$0] }.joined(separator: " | "))
            result.choices = scores
            result.gold = ask.gold.sorted()
            result.correctNormalized = ask.gold.contains(scores.predictedNormalized)
            return result
        } catch {
            return failed(ask, error)
        }
    }

    static func scoreContinuation(_ ask: Ask, model: some LikelihoodModel) async -> EvalItemResult {
        do {
            let reference = ask.reference ?? ""
            let window = try await LikelihoodScoring.split(model, context: ask.prompt, continuation: reference)
            let scored = try await model.score(context: window.context, continuation: window.continuation)
            let greedy = scored.allSatisfy(\.isTop)
            var result = EvalItemResult(
                itemID: ask.item.id, repeatIndex: ask.repeatIndex, outcome: greedy ? .correct : .incorrect,
                score: greedy ? 1 : 0, reference: reference)
            result.windowLogprobs = [scored.map(\.logprob)]
            return result
        } catch {
            return failed(ask, error)
        }
    }

    static func scoreText(
        _ ask: Ask, windowing: PerplexityWindowing, model: some LikelihoodModel
    ) async -> EvalItemResult {
        do {
            let windows = try await LikelihoodScoring.textLogprobs(model, text: ask.prompt, windowing: windowing)
            var result = EvalItemResult(itemID: ask.item.id, repeatIndex: ask.repeatIndex, outcome: .correct, score: 1)
            result.windowLogprobs = windows
            result.words = ask.prompt.split(whereSeparator: \.isWhitespace).count
            result.bytes = ask.prompt.utf8.count
            return result
        } catch {
            return failed(ask, error)
        }
    }

    static func failed(_ ask: Ask, _ error: any Error) -> EvalItemResult {
        var result = EvalItemResult(
            itemID: ask.item.id, repeatIndex: ask.repeatIndex, outcome: .failed, score: 0, reference: ask.reference,
            error: String(describing: error))
        result.errorKind = (error as? ProviderError)?.kind.rawValue
        return result
    }
}

/// An evaluation stopped early: its endpoint refused every connection before answering anything.
public struct EndpointRefused: Error, CustomStringConvertible {
    /// The asks that failed to connect in a row.
    public var asked: Int
    /// The last connection failure, as the transport described it.
    public var reason: String

    public var description: String {
        "stopped early: the endpoint refused all of the first \(asked) connections (\(reason)); the other items were not sent"
    }
}
