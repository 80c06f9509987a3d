public import BenchCore
import BenchMetrics
import BenchProviders
public import BenchReport
import BenchRunner
public import Foundation
import NIOCore

/// Runs a ``BenchSpec`` through the engine: every target through every load step and every quality task, each
/// result kept in ``RunResults`` as it completes, and the report assembled from what the results hold.
///
/// The work is a list of units per target — its load steps, then its quality tasks (``unitCount``) — executed by
/// ``execute(target:unit:into:)``: the CLI executes them in order (``run()``); the service's workers claim them from
/// the store one by one (``RunCoordinator``). Either way ``report(from:)`` assembles the report from the stored
/// records and quality results, so a run gives the same report structure and figures wherever it ran.
public struct BenchmarkRun: Sendable {
    /// The version written into reports.
    public static let version = "0.1.0"

    public let spec: BenchSpec
    public let engine: Engine
    /// Where `records.jsonl`, the reports and `quality/<target>/<task>/` go; nil keeps everything in memory.
    public let outputDirectory: URL?
    /// Receives progress lines and the per-step table rows.
    public let log: @Sendable (String) -> Void
    /// Set when this run continues an interrupted one whose records are in the results it is given.
    public let resumption: Resumption?
    /// Told after every request of a step completes (a progress bar).
    public let progress: (@Sendable (StepProgress) async -> Void)?

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
        spec: BenchSpec, engine: Engine, outputDirectory: URL?, resumption: Resumption? = nil,
        progress: (@Sendable (StepProgress) async -> Void)? = nil, log: @escaping @Sendable (String) -> Void = { _ in }
    ) {
        self.spec = spec
        self.engine = engine
        self.outputDirectory = outputDirectory
        self.resumption = resumption
        self.progress = progress
        self.log = log
    }

    /// Units of work per target: its load steps, then its quality tasks.
    public static func unitCount(_ spec: BenchSpec) -> Int { spec.steps.count + spec.quality.count }

    /// Runs the benchmark: every unit of every target in order, then the report, written to the output directory
    /// (`report.json`, `report.md`, `report.html`, with `records.jsonl` and the quality folders written as results
    /// arrive).
    ///
    /// When the task is cancelled, requests in flight stop; their records are not kept (a resumed run sends them
    /// again), and the run throws `CancellationError` instead of reporting.
    /// - Returns: the report.
    /// - Throws: ``SpecError`` for invalid input found before any request is sent, file-system errors,
    ///   `CancellationError`. Failing requests never throw: they are records.
    public func run() async throws -> BenchmarkReport {
        try spec.validate()
        _ = try quality.tasks()
        if let outputDirectory {
            try FileManager.default.createDirectory(at: outputDirectory, withIntermediateDirectories: true)
        }
        let results = try RunLog(url: outputDirectory?.appendingPathComponent("records.jsonl"))
        try await execute(into: results)
        await results.close()
        let report = try await report(from: results)
        log(
            "\n"
                + StepTable.aligned(
                    [StepTable.headers]
                        + report.targets.flatMap { t in
                            t.steps.map { StepTable.row(target: t.name, step: $0) }
                        }
                )
        )
        if let outputDirectory { try await write(report, from: results, to: outputDirectory) }
        return report
    }

    /// Executes every unit of every target, in order, into `results` (resuming after what they already hold).
    public func execute(into results: any RunResults) async throws {
        for target in spec.targets {
            for unit in 0..<Self.unitCount(spec) {
                try await execute(target: target.name, unit: unit, into: results)
            }
        }
    }

    /// Executes one unit of a target's work into `results`, resuming after what they already hold: a load step
    /// (`unit` < the spec's steps) or a quality task (the rest, in the spec's order).
    /// - Throws: ``SpecError`` for an unknown target or unit, `results`' errors, `CancellationError`.
    public func execute(target name: String, unit: Int, into results: any RunResults) async throws {
        guard let targetIndex = spec.targets.firstIndex(where: { $0.name == name }) else {
            throw SpecError("targets", "no target named \(name)")
        }
        let target = spec.targets[targetIndex]
        if unit < spec.steps.count {
            try await executeStep(unit, target: target, targetIndex: targetIndex, into: results)
        } else if unit < Self.unitCount(spec) {
            let index = unit - spec.steps.count
            try await quality.execute(
                try quality.tasks()[index], index: index, target: target, into: results)
        } else {
            throw SpecError("unit", "the spec has \(Self.unitCount(spec)) units per target, not \(unit + 1)")
        }
    }

    /// The report of everything `results` hold: every step's summary from its raw records (so records written by
    /// several workers or process lifetimes summarise exactly as one), each target's quality summaries and every
    /// pair of targets compared item by item, priced from the engine's table, certified against the client's
    /// ceiling.
    public func report(from results: any RunResults) async throws -> BenchmarkReport {
        var targets: [BenchmarkReport.Target] = []
        for target in spec.targets {
            var steps: [BenchmarkReport.Step] = []
            var usdTotal: Double?
            for (index, step) in spec.steps.enumerated() {
                let records = try await results.records(target: target.name, step: index)
                let report = stepReport(target: target, index: index, step: step, records: records)
                if let spent = report.metrics.cost?.usdTotal { usdTotal = (usdTotal ?? 0) + spent }
                steps.append(report)
            }
            var notes = plan(for: target).notes
            if steps.contains(where: { ($0.metrics.outputTokenSources[TokenCountSource.tokenizer.rawValue] ?? 0) > 0 })
            {
                notes.append(
                    "output tokens of responses without a usage report were counted with \(target.tokenCounting.counter)"
                )
            }
            targets.append(
                BenchmarkReport.Target(
                    name: target.name, baseURL: target.baseURL, model: target.model, steps: steps, notes: notes,
                    usdTotal: usdTotal)
            )
        }
        var report = BenchmarkReport(
            llmbenchVersion: Self.version, generatedAt: ISO8601DateFormatter().string(from: Date()), seed: spec.seed,
            temperature: spec.temperature, slo: spec.slo, targets: targets
        )
        try await quality.assemble(from: results, into: &report)
        report.certify(ceiling: engine.clientCeiling)
        return report
    }

    /// The summary of one target's step from its records; nil when the spec has no such target or step.
    public func stepReport(target name: String, step index: Int, records: [RequestRecord]) -> BenchmarkReport.Step? {
        guard let target = spec.targets.first(where: { $0.name == name }), spec.steps.indices.contains(index) else {
            return nil
        }
        return stepReport(target: target, index: index, step: spec.steps[index], records: records)
    }

    /// The id of the first request of a target's step: ids are fixed by the spec, so every worker, resumed or not,
    /// gives a request the same id (and prompt). Each step takes its request limit's worth of ids, or 1,000,000 when
    /// only a duration limits it.
    public static func firstRequestID(spec: BenchSpec, targetIndex: Int, stepIndex: Int) -> Int {
        let perTarget = spec.steps.map { $0.maxRequests ?? LoadStep.idsWithoutRequestLimit }
        return targetIndex * perTarget.reduce(0, +) + perTarget.prefix(stepIndex).reduce(0, +)
    }

    /// The quality part of the spec.
    var quality: QualityRun { QualityRun(spec: spec, engine: engine, outputDirectory: outputDirectory, log: log) }

    /// What each target sends and the notes that go with it.
    func plan(for target: BenchSpec.Target) -> (settings: GenerationSettings, notes: [String]) {
        let probe = engine.probes.load(kind: target.kind.rawValue, baseURL: target.baseURL, model: target.model)
        let exactOutput = target.requestsExactOutput(default: spec.exactOutput, probe: probe)
        let acceptsTemperature = target.kind.acceptsTemperature(model: target.model)
        var notes = Self.probeNotes(probe, target: target, exactOutput: exactOutput)
        if let limit = engine.descriptors.note(forConnections: Engine.connections(for: spec)) { notes.append(limit) }
        if !acceptsTemperature, spec.temperature != nil {
            notes.append("temperature not sent: \(target.model) accepts only its default sampling parameters")
        }
        let settings = GenerationSettings(
            model: target.model, temperature: acceptsTemperature ? spec.temperature : nil, seed: spec.seed,
            exactOutputLength: exactOutput, includeUsage: spec.includeUsage, extraBody: target.extraBody
        )
        return (settings, notes)
    }

    // MARK: Load steps

    private func executeStep(
        _ index: Int, target: BenchSpec.Target, targetIndex: Int, into results: any RunResults
    ) async throws {
        let step = spec.steps[index]
        let prompts = try promptSource()
        let origin = ContinuousClock.now - (resumption?.clockOffset ?? .zero)
        let endpoint = try await engine.endpoint(
            for: target, policy: RequestPolicy(spec: spec), field: "targets[\(targetIndex)].api_key_env",
            origin: origin)
        let (settings, notes) = plan(for: target)
        if index == 0 { for note in notes { log("  \(target.name): \(note)") } }
        let segment = resumption?.segment ?? 0
        let previous = try await results.records(target: target.name, step: index)
        let firstID = Self.firstRequestID(spec: spec, targetIndex: targetIndex, stepIndex: index)
        let plan = ResumePlan(
            step: step, previous: previous, segment: segment, firstRequestID: firstID,
            requestsPerConversation: (prompts as? any ConversationSource)?.turns(for: step) ?? 1)
        let position = targetIndex * spec.steps.count + index + 1
        let total = spec.targets.count * spec.steps.count
        guard let remaining = plan.remaining else {
            log("▶ \(target.name) \(step.shape.label): already complete (\(previous.count) stored requests)")
            return
        }
        let resumed = previous.isEmpty ? "" : ", resuming after \(previous.count) stored requests"
        log("▶ \(target.name) \(step.shape.label) (step \(position) of \(total)\(resumed))")
        let executor = StepExecutor(
            race: endpoint.race, prompts: prompts, settings: settings, target: target.name, stepIndex: index,
            step: remaining,
            firstRequestID: firstID, origin: origin, seed: spec.seed, skipping: plan.stored, segment: segment,
            tokenCounter: endpoint.tokenCounter)
        let counter = ProgressCounter(
            StepProgress(
                target: target.name, label: step.shape.label, step: position, steps: total, done: previous.count,
                failed: previous.filter { $0.outcome == .failed }.count, expected: step.maxRequests,
                duration: step.maxDuration, elapsed: .zero))
        let started = ContinuousClock.now
        let progress = self.progress
        let storeFailure = FirstFailure()
        let monitor = ClientLoadMonitor(eventLoopProbe: HarnessCalibration.eventLoopLag)
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await monitor.run() }
            _ = await executor.run { record in
                // Interrupted by cancellation, not by the benchmark: to be sent again on resume.
                if record.outcome == .cancelled && Task.isCancelled { return }
                var record = record
                record.clientLoad = await monitor.latest
                do {
                    try await results.append(record)
                } catch {
                    await storeFailure.keep(error)
                }
                if let progress {
                    await progress(
                        await counter.count(
                            failed: record.outcome == .failed, elapsed: ContinuousClock.now - started))
                }
            }
            group.cancelAll()
        }
        if let failure = await storeFailure.error { throw failure }
        try Task.checkCancellation()
        let report = stepReport(
            target: target, index: index, step: step,
            records: try await results.records(target: target.name, step: index))
        let m = report.metrics
        log(
            "  \(m.counts.succeeded) ok, \(m.counts.failed) failed; TTFT p50 \(NumberFormatting.value(m.ttftMs.p50)) ms, "
                + "ITL p50 \(NumberFormatting.value(m.itlMs.p50)) ms, \(NumberFormatting.value(m.outputTps)) output tok/s"
        )
        for note in report.notes { log("  note: \(note)") }
    }

    private func stepReport(target: BenchSpec.Target, index: Int, step: LoadStep, records: [RequestRecord])
        -> BenchmarkReport.Step
    {
        BenchmarkReport.Step(
            index: index, step: step,
            metrics: StepSummary(
                records: records, step: step, objectives: spec.slo, price: engine.prices.price(for: target),
                machineUSDPerHour: target.machineUSDPerHour
            )
        )
    }

    /// Writes the report as JSON, Markdown and HTML (with the records the HTML's charts need).
    private func write(_ report: BenchmarkReport, from results: any RunResults, to folder: URL) async throws {
        try PrettyJSON.write(report, to: folder.appendingPathComponent("report.json"))
        try Data(MarkdownReportRenderer.render(report).utf8).write(to: folder.appendingPathComponent("report.md"))
        var records: [RequestRecord] = []
        for target in spec.targets {
            for index in spec.steps.indices { records += try await results.records(target: target.name, step: index) }
        }
        try Data(HTMLReportRenderer.render(report, records: records, title: "llmbench report").utf8).write(
            to: folder.appendingPathComponent("report.html"))
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
}

/// The first error of many concurrent attempts, kept for the caller to throw.
actor FirstFailure {
    private(set) var error: (any Error)?

    func keep(_ error: any Error) {
        if self.error == nil { self.error = error }
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
