import AsyncHTTPClient
public import BenchCore
import BenchMetrics
import BenchProviders
public import BenchReport
import BenchRunner
public import Foundation
import NIOCore

/// Runs a ``BenchSpec``: every target through every load step, writing raw records as they complete and the
/// report at the end. The composition root: the only place that knows the concrete provider.
public struct BenchmarkRun: Sendable {
    /// The version written into reports.
    public static let version = "0.1.0"

    public let spec: BenchSpec
    /// Where `records.jsonl`, `report.json` and `report.md` go; nil keeps everything in memory.
    public let outputDirectory: URL?
    public let environment: [String: String]
    /// Where stored capability probes are read from.
    public let probes: ProbeStore
    /// Receives progress lines and the per-step table rows.
    public let log: @Sendable (String) -> Void
    /// Where records go; nil writes `records.jsonl` in the output directory (and keeps them in memory).
    public let sink: (any RecordSink)?
    /// Set when this run continues an interrupted one whose records are in `sink`.
    public let resumption: Resumption?
    /// Limits on requests in flight per endpoint, shared with other runs of the process.
    public let sharedLimits: EndpointLimits?
    /// Told after every request of a step completes (a progress bar).
    public let progress: (@Sendable (StepProgress) async -> Void)?
    /// The client's ceiling on this host, written into the report and compared with every step's load.
    public var clientCeiling: HarnessCeiling?

    /// Where a running step stands.
    public struct StepProgress: Sendable, Hashable {
        public init(
            target: String, label: String, step: Int, steps: Int, done: Int, failed: Int, expected: Int?,
            duration: Duration?, elapsed: Duration
        ) {
            self.target = target
            self.label = label
            self.step = step
            self.steps = steps
            self.done = done
            self.failed = failed
            self.expected = expected
            self.duration = duration
            self.elapsed = elapsed
        }

        public var target: String
        public var label: String
        /// 1-based position of the step among the run's steps, and their number.
        public var step: Int
        public var steps: Int
        public var done: Int
        public var failed: Int
        /// The requests the step sends, when it is bounded by a count.
        public var expected: Int?
        /// The step's time limit, when it has one.
        public var duration: Duration?
        public var elapsed: Duration
    }

    /// How a resumed run continues: its records form a new segment, on a clock whose offsets continue after the
    /// last instant stored, so that no two segments overlap.
    public struct Resumption: Sendable, Hashable {
        public var segment: Int
        /// The offset of this process's first instant on the run's clock.
        public var clockOffset: Duration

        public init(segment: Int, clockOffset: Duration) {
            self.segment = segment
            self.clockOffset = clockOffset
        }

        /// The segment and clock after the records stored so far: the next segment number, 1 s after the last
        /// instant.
        public init(after records: [RequestRecord]) {
            segment = (records.map(\.segment).max() ?? -1) + 1
            clockOffset = (records.map(\.endedAt).max() ?? .zero) + .seconds(1)
        }
    }

    public init(
        spec: BenchSpec, outputDirectory: URL?, environment: [String: String] = ProcessInfo.processInfo.environment,
        sink: (any RecordSink)? = nil, resumption: Resumption? = nil, sharedLimits: EndpointLimits? = nil,
        progress: (@Sendable (StepProgress) async -> Void)? = nil, log: @escaping @Sendable (String) -> Void = { _ in }
    ) {
        self.sharedLimits = sharedLimits
        self.progress = progress
        self.spec = spec
        self.outputDirectory = outputDirectory
        self.sink = sink
        self.resumption = resumption
        self.environment = environment
        probes = ProbeStore(environment: environment)
        self.log = log
    }

    /// Runs the benchmark: every target through every step, then the spec's quality tasks on every target, then the
    /// report.
    ///
    /// When the task is cancelled, requests in flight stop; their records are not kept (a resumed run sends them
    /// again), and the run throws `CancellationError` instead of reporting.
    /// - Returns: the report (also written to the output directory).
    /// - Throws: ``SpecError`` for invalid input found before any request is sent, the sink's or file-system
    ///   errors, `CancellationError`. Failing requests never throw: they are records.
    public func run() async throws -> BenchmarkReport {
        try spec.validate()
        let quality = QualityRun(spec: spec, outputDirectory: outputDirectory, environment: environment, log: log)
        let qualityTasks = try quality.tasks()
        if let outputDirectory {
            try FileManager.default.createDirectory(at: outputDirectory, withIntermediateDirectories: true)
        }
        let recordLog = try RecordLog(url: sink == nil ? outputDirectory?.appendingPathComponent("records.jsonl") : nil)
        let sink: any RecordSink = self.sink ?? recordLog
        try await execute(into: sink, only: nil)
        var report = try await report(from: sink)
        await recordLog.close()
        if !qualityTasks.isEmpty { try await quality.run(qualityTasks, into: &report) }
        log(
            "\n"
                + StepTable.aligned(
                    [StepTable.headers]
                        + report.targets.flatMap { t in
                            t.steps.map { StepTable.row(target: t.name, step: $0) }
                        }
                )
        )
        if let outputDirectory {
            try PrettyJSON.write(report, to: outputDirectory.appendingPathComponent("report.json"))
            try Data(MarkdownReportRenderer.render(report).utf8).write(
                to: outputDirectory.appendingPathComponent("report.md"))
            var records: [RequestRecord] = []
            for target in spec.targets {
                for index in spec.steps.indices { records += try await sink.records(target: target.name, step: index) }
            }
            try Data(HTMLReportRenderer.render(report, records: records, title: "llmbench report").utf8).write(
                to: outputDirectory.appendingPathComponent("report.html"))
        }
        return report
    }

    /// Executes one unit of the run — one target's load step — into ``sink`` (which must be set), resuming from the
    /// records the sink already holds for it.
    public func execute(target: String, step: Int) async throws {
        guard let sink else { throw SpecError("sink", "executing a single step needs a record sink") }
        try spec.validate()
        try await execute(into: sink, only: (target, step))
    }

    /// The id of the first request of a target's step: ids are fixed by the spec, so every worker, resumed or not,
    /// gives a request the same id (and prompt). Each step takes its request limit's worth of ids, or 1,000,000 when
    /// only a duration limits it.
    public static func firstRequestID(spec: BenchSpec, targetIndex: Int, stepIndex: Int) -> Int {
        let perTarget = spec.steps.map { $0.maxRequests ?? LoadStep.idsWithoutRequestLimit }
        return targetIndex * perTarget.reduce(0, +) + perTarget.prefix(stepIndex).reduce(0, +)
    }

    /// The client a target's requests go through: its wire protocol over `http`, paced by its rate budget, with
    /// the spec's retry policy.
    func modelClient(for target: BenchSpec.Target, http: HTTPClient, apiKey: String?) -> any ModelClient {
        let transport = TargetEndpoint(
            target: target, http: http, apiKey: apiKey, headTimeout: spec.requestTimeout, environment: environment
        ).client
        return RetryingModelClient(
            base: target.rateLimit.isEmpty
                ? transport : PacedModelClient(base: transport, pacer: RequestPacer(budget: target.rateLimit)),
            policy: spec.retry, seed: spec.seed
        )
    }

    /// What each target sends and the notes that go with it.
    func plan(for target: BenchSpec.Target) -> (settings: GenerationSettings, notes: [String]) {
        let probe = probes.load(kind: target.kind.rawValue, baseURL: target.baseURL, model: target.model)
        let exactOutput = target.requestsExactOutput(default: spec.exactOutput, probe: probe)
        let acceptsTemperature = ModelParameterRules.acceptsTemperature(target)
        var notes = Self.probeNotes(probe, target: target, exactOutput: exactOutput)
        if !acceptsTemperature, spec.temperature != nil {
            notes.append("temperature not sent: \(target.model) accepts only its default sampling parameters")
        }
        let settings = GenerationSettings(
            model: target.model, temperature: acceptsTemperature ? spec.temperature : nil, seed: spec.seed,
            exactOutputLength: exactOutput, includeUsage: spec.includeUsage, extraBody: target.extraBody
        )
        return (settings, notes)
    }

    private func execute(into sink: any RecordSink, only: (target: String, step: Int)?) async throws {
        let keys = try spec.targets.map(apiKey)
        let prompts = try promptSource()
        let sinkFailure = FirstFailure()
        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: httpConfiguration())
        defer { _ = http.shutdown() }
        let origin = ContinuousClock.now - (resumption?.clockOffset ?? .zero)
        let segment = resumption?.segment ?? 0
        let totalSteps = only == nil ? spec.targets.count * spec.steps.count : 1
        var stepsDone = 0
        for (targetIndex, (target, key)) in zip(spec.targets, keys).enumerated() {
            if let only, only.target != target.name { continue }
            let client = modelClient(for: target, http: http, apiKey: key)
            let (settings, notes) = plan(for: target)
            for note in notes { log("  \(target.name): \(note)") }
            let sharedLimit = await sharedLimits?.semaphore(baseURL: target.baseURL)
            for (index, step) in spec.steps.enumerated() {
                if let only, only.step != index { continue }
                let previous = try await sink.records(target: target.name, step: index)
                let firstID = Self.firstRequestID(spec: spec, targetIndex: targetIndex, stepIndex: index)
                let plan = ResumePlan(
                    step: step, previous: previous, segment: segment, firstRequestID: firstID,
                    requestsPerConversation: (prompts as? any ConversationSource)?.turns(for: step) ?? 1)
                let elapsed = ContinuousClock.now - origin - (resumption?.clockOffset ?? .zero)
                let eta =
                    stepsDone > 0
                    ? ", about \(Int(elapsed.seconds / Double(stepsDone) * Double(totalSteps - stepsDone))) s left" : ""
                if let remaining = plan.remaining {
                    let resumed = previous.isEmpty ? "" : ", resuming after \(previous.count) stored requests"
                    log("▶ \(target.name) \(step.shape.label) (step \(stepsDone + 1) of \(totalSteps)\(eta)\(resumed))")
                    let executor = StepExecutor(
                        client: client, prompts: prompts, settings: settings, target: target.name, stepIndex: index,
                        step: remaining,
                        firstRequestID: firstID,
                        origin: origin, requestTimeout: spec.requestTimeout, seed: spec.seed, skipping: plan.stored,
                        segment: segment, sharedLimit: sharedLimit
                    )
                    let counter = ProgressCounter(
                        StepProgress(
                            target: target.name, label: step.shape.label, step: stepsDone + 1, steps: totalSteps,
                            done: previous.count, failed: previous.filter { $0.outcome == .failed }.count,
                            expected: step.maxRequests, duration: step.maxDuration, elapsed: .zero))
                    let started = ContinuousClock.now
                    let progress = self.progress
                    let monitor = ClientLoadMonitor(eventLoopProbe: HarnessCalibration.eventLoopLag)
                    await withTaskGroup(of: Void.self) { group in
                        group.addTask { await monitor.run() }
                        _ = await executor.run { record in
                            // Interrupted by cancellation, not by the benchmark: to be sent again on resume.
                            if record.outcome == .cancelled && Task.isCancelled { return }
                            var record = record
                            record.clientLoad = await monitor.latest
                            do {
                                try await sink.append(record)
                            } catch {
                                await sinkFailure.keep(error)
                            }
                            if let progress {
                                await progress(
                                    await counter.count(
                                        failed: record.outcome == .failed, elapsed: ContinuousClock.now - started))
                            }
                        }
                        group.cancelAll()
                    }
                    if let failure = await sinkFailure.error { throw failure }
                } else {
                    log("▶ \(target.name) \(step.shape.label): already complete (\(previous.count) stored requests)")
                }
                try Task.checkCancellation()
                let report = stepReport(
                    target: target, index: index, step: step,
                    records: try await sink.records(target: target.name, step: index))
                let m = report.metrics
                log(
                    "  \(m.counts.succeeded) ok, \(m.counts.failed) failed; TTFT p50 \(NumberFormatting.value(m.ttftMs.p50)) ms, "
                        + "ITL p50 \(NumberFormatting.value(m.itlMs.p50)) ms, \(NumberFormatting.value(m.outputTps)) output tok/s"
                )
                for note in report.notes { log("  note: \(note)") }
                stepsDone += 1
            }
        }
    }

    /// The report of everything `sink` holds: every step's summary from its raw records (so records written by
    /// several workers or process lifetimes summarise exactly as one).
    public func report(from sink: any RecordSink) async throws -> BenchmarkReport {
        var targets: [BenchmarkReport.Target] = []
        for target in spec.targets {
            var steps: [BenchmarkReport.Step] = []
            var usdTotal: Double?
            for (index, step) in spec.steps.enumerated() {
                let records = try await sink.records(target: target.name, step: index)
                if let spent = price(for: target).flatMap({
                    StepCost(records: records, outputTps: nil, price: $0, machineUSDPerHour: nil)?.usdTotal
                }) {
                    usdTotal = (usdTotal ?? 0) + spent
                }
                steps.append(stepReport(target: target, index: index, step: step, records: records))
            }
            targets.append(
                BenchmarkReport.Target(
                    name: target.name, baseURL: target.baseURL, model: target.model, steps: steps,
                    notes: plan(for: target).notes, usdTotal: usdTotal)
            )
        }
        var report = BenchmarkReport(
            llmbenchVersion: Self.version, generatedAt: ISO8601DateFormatter().string(from: Date()), seed: spec.seed,
            temperature: spec.temperature, slo: spec.slo, targets: targets
        )
        report.certify(ceiling: clientCeiling)
        return report
    }

    /// The summary of one target's step from its records; nil when the spec has no such target or step.
    public func stepReport(target name: String, step index: Int, records: [RequestRecord]) -> BenchmarkReport.Step? {
        guard let target = spec.targets.first(where: { $0.name == name }), spec.steps.indices.contains(index) else {
            return nil
        }
        return stepReport(target: target, index: index, step: spec.steps[index], records: records)
    }

    private func stepReport(target: BenchSpec.Target, index: Int, step: LoadStep, records: [RequestRecord])
        -> BenchmarkReport.Step
    {
        BenchmarkReport.Step(
            index: index, step: step,
            metrics: StepSummary(
                records: records, step: step, objectives: spec.slo, price: price(for: target),
                machineUSDPerHour: target.machineUSDPerHour
            )
        )
    }

    /// The spec's prompts: a trace's, conversations, a file, inline items, or synthetic prompts.
    func promptSource() throws -> any PromptSource {
        if case .trace(let trace, _, _)? = spec.shapes.first {
            return TracePrompts(
                trace: trace,
                defaults: SyntheticPrompts(
                    inputTokens: spec.inputTokens, outputTokens: spec.outputTokens, seed: spec.seed))
        }
        if let file = spec.conversationFile {
            return try ConversationFile.load(
                path: file, thinkTime: spec.thinkTime, maxOutputTokens: spec.outputTokens)
        }
        if let turns = spec.conversationTurns {
            return SyntheticConversations(
                turns: turns,
                prompts: SyntheticPrompts(
                    inputTokens: spec.inputTokens, outputTokens: spec.outputTokens, seed: spec.seed,
                    distinct: spec.distinctPrompts),
                thinkTime: spec.thinkTime)
        }
        if let file = spec.promptFile {
            return try PromptFile.load(path: file, defaultMaxTokens: spec.outputTokens)
        }
        if let inline = spec.inlinePrompts {
            return PromptList(
                inline.enumerated().map { index, item in
                    Prompt(index: index, messages: item.messages, maxOutputTokens: item.maxTokens ?? spec.outputTokens)
                })
        }
        return SyntheticPrompts(
            inputTokens: spec.inputTokens, outputTokens: spec.outputTokens, seed: spec.seed,
            distinct: spec.distinctPrompts)
    }

    /// What a stored probe decided for a target, said in the report.
    static func probeNotes(_ probe: ProbeReport?, target: BenchSpec.Target, exactOutput: Bool) -> [String] {
        guard let probe, target.exactOutput == nil, let finding = probe.findings[.ignoreEOS],
            probe.supports(.ignoreEOS) != nil
        else { return [] }
        return [
            "exact output \(exactOutput ? "on" : "off") as the capability probe of \(probe.probedAt) found: ignore_eos \(finding.verdict.rawValue) (\(finding.detail))"
        ]
    }

    /// The target's own price, else the built-in row for its price model or model; none for a self-hosted
    /// target priced by the hour.
    func price(for target: BenchSpec.Target) -> ModelPrice? {
        if let price = target.price { return price }
        if target.machineUSDPerHour != nil { return nil }
        return PriceTable.builtIn.price(for: target.priceModel ?? target.model)
    }

    func apiKey(_ target: BenchSpec.Target) throws -> String? {
        let index = spec.targets.firstIndex(of: target) ?? 0
        return try target.apiKey(environment: environment, field: "targets[\(index)].api_key_env")
    }

    /// One client for the run, its per-host pool raised to the largest concurrency any step can reach (the
    /// default of 8 would silently queue the rest).
    func httpConfiguration() -> HTTPClient.Configuration {
        var configuration = HTTPClient.Configuration()
        let widest =
            spec.shapes.map { shape -> Int in
                switch shape {
                case .concurrency(let users): return users
                case .rate(let perSecond, _, let maxInFlight): return maxInFlight ?? max(64, Int(perSecond * 60))
                case .trace(let trace, _, let maxInFlight): return maxInFlight ?? max(64, trace.entries.count)
                }
            }.max() ?? 8
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = max(8, widest)
        // A refused connection is a failed request, not something to retry until the connect timeout.
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.timeout = .init(connect: .seconds(10), read: .nanoseconds(spec.readTimeout.nanoseconds))
        configuration.decompression = .disabled
        return configuration
    }
}

/// The first error of many concurrent attempts, kept for the caller to throw.
actor FirstFailure {
    private(set) var error: (any Error)?

    func keep(_ error: any Error) {
        if self.error == nil { self.error = error }
    }
}

/// A cap on requests in flight to each endpoint (base URL) across every run a process executes, so that several
/// runs against one server never overload it together.
public actor EndpointLimits {
    public let limit: Int
    private var semaphores: [String: AsyncSemaphore] = [:]

    public init(limit: Int) {
        self.limit = max(1, limit)
    }

    /// The semaphore of one endpoint.
    public func semaphore(baseURL: String) -> AsyncSemaphore {
        if let existing = semaphores[baseURL] { return existing }
        let created = AsyncSemaphore(limit: limit)
        semaphores[baseURL] = created
        return created
    }
}

/// Counts a step's (or an evaluation's) finished requests for progress reports.
public actor ProgressCounter {
    private var state: BenchmarkRun.StepProgress

    public init(_ state: BenchmarkRun.StepProgress) {
        self.state = state
    }

    /// One more finished request (`failed` when it failed), `elapsed` since the work started.
    public func count(failed: Bool, elapsed: Duration) -> BenchmarkRun.StepProgress {
        state.done += 1
        if failed { state.failed += 1 }
        state.elapsed = elapsed
        return state
    }
}

extension BenchmarkRun.StepProgress {
    /// `  target c=4 [████████░░░░░░░░] 10/16 · 1 failed · about 3 s left · step 2 of 8`: the share of the step's
    /// requests (or of its duration) done, and the time left at the rate so far (or of the duration); the step's
    /// place is left out when there is only one.
    public func bar(width: Int = 24) -> String {
        let seconds = elapsed.seconds
        var fraction: Double?
        var left: Double?
        if let expected, expected > 0 {
            fraction = min(1, Double(done) / Double(expected))
            if done > 0, seconds > 0 { left = Double(max(0, expected - done)) * seconds / Double(done) }
        } else if let limit = duration?.seconds, limit > 0 {
            fraction = min(1, seconds / limit)
            left = max(0, limit - seconds)
        }
        var text = "  \(target) \(label) " + TextBar.render(fraction: fraction ?? 0, width: width) + " \(done)"
        if let expected { text += "/\(expected)" }
        if failed > 0 { text += " · \(failed) failed" }
        if let left { text += " · about \(Int(left.rounded())) s left" }
        return steps > 1 ? text + " · step \(step) of \(steps)" : text
    }
}

/// A text progress bar: `[██████░░░░]`.
public enum TextBar {
    /// `width` cells, filled in proportion to `fraction` (clamped to 0…1).
    public static func render(fraction: Double, width: Int) -> String {
        let filled = Int((min(1, max(0, fraction)) * Double(width)).rounded())
        return "[" + String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled) + "]"
    }
}
