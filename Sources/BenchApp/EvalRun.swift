import AsyncHTTPClient
public import BenchCore
public import BenchEval
import BenchRunner
public import Foundation

/// Runs a generative evaluation task against one target: every item (times `repeats`) asked at temperature
/// `temperature`, answers extracted and scored, each result appended to `items.jsonl` as it completes, and the
/// summary (accuracy with its interval, unparsed and failed counts) written to `summary.json`.
public struct EvalRun: Sendable {
    public let task: TaskDefinition
    public let target: BenchSpec.Target
    public let concurrency: Int
    public let temperature: Double
    public let outputDirectory: URL?
    public let environment: [String: String]
    public let log: @Sendable (String) -> Void

    public init(
        task: TaskDefinition, target: BenchSpec.Target, concurrency: Int = 4, temperature: Double = 0,
        outputDirectory: URL?, environment: [String: String] = ProcessInfo.processInfo.environment,
        log: @escaping @Sendable (String) -> Void = { _ in }
    ) {
        self.task = task
        self.target = target
        self.concurrency = max(1, concurrency)
        self.temperature = temperature
        self.outputDirectory = outputDirectory
        self.environment = environment
        self.log = log
    }

    /// - Throws: ``DatasetError`` for a dataset or template problem found before anything is sent, ``SpecError``
    ///   for the target; failing requests are results, not errors.
    public func run() async throws -> (summary: EvalSummary, results: [EvalItemResult]) {
        let items = try task.loadItems()
        guard !items.isEmpty else { throw DatasetError(location: task.name, problem: "the dataset holds no items") }
        let all = items
        let asks = try items.flatMap { item -> [(EvalItem, [ChatMessage], String, Int)] in
            guard let gold = try task.goldAnswer(for: item) else {
                throw DatasetError(location: "item \(item.id)", problem: "the reference filters find no gold answer")
            }
            let messages = try task.messages(for: item, among: all)
            return (0..<task.repeats).map { (item, messages, gold, $0) }
        }
        let key = try target.apiKey(environment: environment, field: "target.api_key_env")
        if let outputDirectory {
            try FileManager.default.createDirectory(at: outputDirectory, withIntermediateDirectories: true)
        }
        let writer = try outputDirectory.map { try JSONLinesFile(url: $0.appendingPathComponent("items.jsonl")) }
        let http = HTTPClient(eventLoopGroupProvider: .singleton)
        defer { _ = http.shutdown() }
        let client = RetryingModelClient(
            base: TargetEndpoint(
                target: target, http: http, apiKey: key, headTimeout: .seconds(600), environment: environment
            ).client,
            policy: RetryPolicy())
        log("▶ \(task.name): \(items.count) items × \(task.repeats) on \(target.name)")
        let slots = AsyncSemaphore(limit: concurrency)
        let results = await withTaskGroup(of: EvalItemResult.self) { group in
            for (item, messages, gold, repeatIndex) in asks {
                await slots.acquire()
                group.addTask {
                    let request = GenerationRequest(
                        model: target.model, messages: messages, maxOutputTokens: task.maxTokens,
                        temperature: temperature, seed: UInt64(repeatIndex), extraBody: target.extraBody)
                    var answer = ""
                    var failure: ProviderError?
                    for await stamped in client.stream(request) {
                        switch stamped.event {
                        case .text(let text, .answer): answer += text
                        case .failure(let error): failure = error
                        default: break
                        }
                    }
                    let result =
                        failure.map {
                            EvalItemResult(
                                itemID: item.id, repeatIndex: repeatIndex, outcome: .failed, score: 0, reference: gold,
                                error: $0.description)
                        }
                        ?? EvalItemResult.scoring(
                            answer, task: task, itemID: item.id, repeatIndex: repeatIndex, gold: gold)
                    writer?.append(result)
                    await slots.release()
                    return result
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        writer?.close()
        let sorted = results.sorted { ($0.itemID, $0.repeatIndex) < ($1.itemID, $1.repeatIndex) }
        let summary = EvalSummary(task: task.name, results: sorted)
        if let outputDirectory {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try encoder.encode(summary).write(to: outputDirectory.appendingPathComponent("summary.json"))
        }
        return (summary, sorted)
    }
}
