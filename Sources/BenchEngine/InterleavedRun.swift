import BenchCore
public import BenchMetrics
import BenchRunner
public import Foundation

/// A paired, interleaved comparison of a spec's targets: round r sends prompt r to every target, one after the
/// other in an order drawn afresh for the round (seeded), so that each pair of requests meets the same network,
/// load and time of day within a few seconds. Rounds run `concurrency` at a time. Records go to `records.jsonl` as
/// they finish (target = the target's name, step 0, prompt index = the round's prompt); the summary gives each
/// target's step figures and, for every pair of targets, paired differences of TTFT, E2E and decode speed
/// (``PairedSpeedComparison``).
public struct InterleavedRun: Sendable {
    /// The targets (two or more), prompts and request settings.
    public let spec: BenchSpec
    public let engine: Engine
    /// Rounds: prompts sent to every target.
    public let rounds: Int
    /// Rounds in flight at once.
    public let concurrency: Int
    /// Where `records.jsonl` and `paired.json` go; nil keeps them in memory.
    public let outputDirectory: URL?
    /// Progress lines.
    public let log: @Sendable (String) -> Void

    /// What `paired.json` holds.
    public struct Summary: Sendable, Hashable, Codable {
        public static let schemaIdentifier = "llmbench.paired/1"

        /// One target's step figures over its requests of the run.
        public struct Target: Sendable, Hashable, Codable {
            public var name: String
            public var model: String
            public var metrics: StepSummary
        }

        public var schema = Self.schemaIdentifier
        public var generatedAt: String
        public var rounds: Int
        public var concurrency: Int
        public var seed: UInt64
        public var targets: [Target]
        /// Every pair of targets, A the earlier in the spec.
        public var comparisons: [PairedSpeedComparison]

        enum CodingKeys: String, CodingKey {
            case schema
            case generatedAt = "generated_at"
            case rounds, concurrency, seed, targets, comparisons
        }
    }

    public init(
        spec: BenchSpec, engine: Engine, rounds: Int, concurrency: Int = 1, outputDirectory: URL?,
        log: @escaping @Sendable (String) -> Void = { _ in }
    ) {
        self.spec = spec
        self.engine = engine
        self.rounds = rounds
        self.concurrency = concurrency
        self.outputDirectory = outputDirectory
        self.log = log
    }

    /// The order of the targets in round `round`: a Fisher–Yates shuffle seeded by the spec's seed and the round.
    public static func order(targets: Int, round: Int, seed: UInt64) -> [Int] {
        var generator = SeededRandom(seed: seed ^ (UInt64(round) &* 0x9E37_79B9_7F4A_7C15))
        return Array(0..<targets).shuffled(using: &generator)
    }

    /// - Throws: ``SpecError`` before any request for fewer than two targets, no rounds or an invalid spec.
    public func run() async throws -> Summary {
        try spec.validate()
        guard spec.targets.count >= 2 else {
            throw SpecError("targets", "a paired comparison needs at least two targets")
        }
        guard rounds >= 2 else { throw SpecError("rounds", "needs at least 2 rounds") }
        guard concurrency >= 1 else { throw SpecError("concurrency", "must be at least 1") }
        if spec.conversationFile != nil || spec.conversationTurns != nil || spec.traceFile != nil {
            throw SpecError("prompts", "a paired comparison sends single prompts: give no conversations or trace")
        }
        let benchmark = BenchmarkRun(spec: spec, engine: engine, outputDirectory: nil)
        let prompts = try benchmark.promptSource()
        if let outputDirectory {
            try FileManager.default.createDirectory(at: outputDirectory, withIntermediateDirectories: true)
        }
        let recordLog = try RunLog(url: outputDirectory?.appendingPathComponent("records.jsonl"))
        let origin = ContinuousClock.now
        let step = LoadStep(shape: .concurrency(users: concurrency), maxRequests: rounds)
        var built: [StepExecutor] = []
        for (index, target) in spec.targets.enumerated() {
            let endpoint = try await engine.endpoint(
                for: target, policy: RequestPolicy(spec: spec), field: "targets[\(index)].api_key_env",
                origin: origin)
            built.append(
                StepExecutor(
                    race: endpoint.race, prompts: prompts, settings: benchmark.plan(for: target).settings,
                    target: target.name, stepIndex: 0, step: step, firstRequestID: 0, origin: origin,
                    seed: spec.seed, tokenCounter: endpoint.tokenCounter))
        }
        let executors = built
        for executor in executors { await executor.client.warmConnections(concurrency) }
        let (count, seed, log) = (executors.count, spec.seed, log)
        let done = ProgressCounter(
            BenchmarkRun.StepProgress(
                target: "paired", label: "rounds", step: 1, steps: 1, done: 0, failed: 0, expected: rounds,
                duration: nil, elapsed: .zero))
        _ = try await (0..<rounds).concurrentMap(limit: concurrency) { round in
            let prompt = prompts.prompt(forRequest: round)
            var failed = false
            for index in Self.order(targets: count, round: round, seed: seed) {
                let record = await executors[index].send(round * count + index, prompt: prompt)
                failed = failed || record.outcome != .success
                await recordLog.append(record)
            }
            let progress = await done.count(failed: failed, elapsed: .now - origin)
            if progress.done % max(1, rounds / 10) == 0 {
                log("  \(progress.done)/\(rounds) rounds (\(progress.failed) with a failed request)")
            }
        }
        await recordLog.close()

        var targets: [Summary.Target] = []
        var byTarget: [[Int: RequestRecord]] = []
        for target in spec.targets {
            let records = await recordLog.records(target: target.name, step: 0)
            targets.append(
                Summary.Target(
                    name: target.name, model: target.model,
                    metrics: StepSummary(
                        records: records, step: step, objectives: spec.slo, price: engine.prices.price(for: target),
                        machineUSDPerHour: target.machineUSDPerHour)))
            byTarget.append(Dictionary(uniqueKeysWithValues: records.map { ($0.id / count, $0) }))
        }
        var comparisons: [PairedSpeedComparison] = []
        for a in 0..<count {
            for b in (a + 1)..<count {
                comparisons.append(
                    PairedSpeedComparison(
                        a: spec.targets[a].name, b: spec.targets[b].name,
                        rounds: (0..<rounds).map { (byTarget[a][$0], byTarget[b][$0]) }, seed: seed))
            }
        }
        let summary = Summary(
            generatedAt: ISO8601DateFormatter().string(from: Date()), rounds: rounds, concurrency: concurrency,
            seed: seed, targets: targets, comparisons: comparisons)
        if let outputDirectory {
            try PrettyJSON.write(summary, to: outputDirectory.appendingPathComponent("paired.json"))
        }
        return summary
    }
}
