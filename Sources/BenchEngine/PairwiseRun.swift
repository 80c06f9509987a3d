public import BenchCore
public import BenchEval
import BenchMetrics
public import Foundation

/// Pairwise preference between candidates' stored answers to the same task (each an `llmbench eval` output
/// folder): every pair of candidates on every item all of them answered, judged in both orders with
/// ``JudgeTemplate/pairwise``. Each judged pair is appended to `pairwise.jsonl` as it completes; the summary
/// (``PairwiseSummary``) goes to `pairwise-summary.json`.
public struct PairwiseRun: Sendable {
    /// One candidate: its name, model and stored results (of `task`, when known).
    public struct Candidate: Sendable {
        public var name: String
        public var model: String?
        public var task: String?
        public var results: [EvalItemResult]

        public init(name: String, model: String?, task: String? = nil, results: [EvalItemResult]) {
            self.name = name
            self.model = model
            self.task = task
            self.results = results
        }

        /// Candidates from eval output folders, each named by its target (else by its folder); targets that
        /// appear in several folders (one model at two temperatures) are told apart by the folder: `name (folder)`.
        /// - Throws: ``DatasetError`` when a folder holds no readable results.
        public static func load(folders: [URL]) throws -> [Candidate] {
            var candidates = try folders.map { folder in
                let stored = EvalResultsFolder(folder)
                let summary = try stored.summary()
                return Candidate(
                    name: summary.target ?? folder.lastPathComponent, model: summary.model, task: summary.task,
                    results: try stored.results())
            }
            let names = candidates.map(\.name)
            for index in candidates.indices where names.filter({ $0 == names[index] }).count > 1 {
                candidates[index].name += " (\(folders[index].lastPathComponent))"
            }
            return candidates
        }
    }

    public let candidates: [Candidate]
    public let judgeTarget: BenchSpec.Target
    public let engine: Engine
    /// Replaces the client built for the judge target (a scripted judge).
    public let judgeClient: (any ModelClient)?
    public let concurrency: Int
    public let outputDirectory: URL?
    public let resamples: Int
    public let seed: UInt64
    public let log: @Sendable (String) -> Void

    public init(
        candidates: [Candidate], judgeTarget: BenchSpec.Target, engine: Engine, judgeClient: (any ModelClient)? = nil,
        concurrency: Int = 4, outputDirectory: URL?, resamples: Int = 1_000, seed: UInt64 = 0,
        log: @escaping @Sendable (String) -> Void = { _ in }
    ) {
        self.candidates = candidates
        self.judgeTarget = judgeTarget
        self.engine = engine
        self.judgeClient = judgeClient
        self.concurrency = max(1, concurrency)
        self.outputDirectory = outputDirectory
        self.resamples = resamples
        self.seed = seed
        self.log = log
    }

    /// One pair of answers to judge.
    struct Match: Sendable {
        var itemID: String
        var question: String
        var first: (name: String, answer: String)
        var second: (name: String, answer: String)
    }

    /// - Throws: ``SpecError`` for fewer than two candidates, repeated names or no item every candidate answered.
    public func run() async throws -> (summary: PairwiseSummary, judgments: [PairwiseJudgment]) {
        let matches = try self.matches()
        if let outputDirectory {
            try FileManager.default.createDirectory(at: outputDirectory, withIntermediateDirectories: true)
        }
        let judge = try await Judge(template: .pairwise, target: judgeTarget, client: judgeClient, engine: engine)
        let writer = try outputDirectory.map { try JSONLinesFile(url: $0.appendingPathComponent("pairwise.jsonl")) }
        log("▶ pairwise: \(matches.count) pairs × 2 orders, judged by \(judgeTarget.name)")
        var judgments = try await matches.concurrentMap(limit: concurrency) { match in
            let judgment = await Self.judge(match, judge: judge)
            try Task.checkCancellation()
            writer?.append(judgment)
            return judgment
        }
        writer?.close()
        judgments.sort { ($0.itemID, $0.first, $0.second) < ($1.itemID, $1.first, $1.second) }
        let summary = PairwiseSummary(
            judgments: judgments, candidates: candidates.map(\.name),
            candidateModels: Dictionary(
                uniqueKeysWithValues: candidates.compactMap { candidate in candidate.model.map { (candidate.name, $0) }
                }),
            judge: judgeTarget.name, judgeModel: judgeTarget.model, resamples: resamples, seed: seed)
        if let outputDirectory {
            try PrettyJSON.write(summary, to: outputDirectory.appendingPathComponent("pairwise-summary.json"))
        }
        return (summary, judgments)
    }

    /// Every pair of candidates on every item all of them answered (first asks that did not fail).
    func matches() throws -> [Match] {
        guard candidates.count >= 2 else { throw SpecError("candidates", "pairwise judging needs two or more") }
        let tasks = Set(candidates.compactMap(\.task))
        guard tasks.count <= 1 else {
            throw SpecError(
                "candidates",
                "the folders hold different tasks (\(tasks.sorted().joined(separator: ", "))): only answers to the same items can be compared"
            )
        }
        let names = candidates.map(\.name)
        if let repeated = names.first(where: { name in names.filter { $0 == name }.count > 1 }) {
            throw SpecError("candidates", "two candidates are named \(repeated); give each folder its own target")
        }
        let answered = candidates.map { candidate in
            Dictionary(
                candidate.results.filter { $0.repeatIndex == 0 && $0.outcome != .failed && $0.answer != nil }
                    .map { ($0.itemID, $0) }, uniquingKeysWith: { first, _ in first })
        }
        let common = answered.dropFirst().reduce(Set(answered[0].keys)) { $0.intersection($1.keys) }.sorted()
        guard !common.isEmpty else { throw SpecError("candidates", "no item was answered by every candidate") }
        var matches: [Match] = []
        for itemID in common {
            for i in candidates.indices {
                for j in candidates.indices where j > i {
                    let first = answered[i][itemID]!
                    let second = answered[j][itemID]!
                    matches.append(
                        Match(
                            itemID: itemID, question: first.prompt ?? "",
                            first: (candidates[i].name, first.answer ?? ""),
                            second: (candidates[j].name, second.answer ?? "")))
                }
            }
        }
        return matches
    }

    static func judge(_ match: Match, judge: Judge) async -> PairwiseJudgment {
        async let forward = judge.grade([
            "question": match.question, "answer_a": match.first.answer, "answer_b": match.second.answer,
        ])
        async let backward = judge.grade([
            "question": match.question, "answer_a": match.second.answer, "answer_b": match.first.answer,
        ])
        return PairwiseJudgment(
            itemID: match.itemID, first: match.first.name, second: match.second.name,
            firstLength: match.first.answer.count, secondLength: match.second.answer.count, forward: await forward,
            backward: await backward)
    }
}
