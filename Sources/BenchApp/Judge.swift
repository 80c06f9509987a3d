import BenchCore
public import BenchEval
import BenchMetrics
import Foundation

/// One generation, read to the end: the answer text, usage, finish reason or failure, and how long it took.
struct Completion: Sendable {
    var answer = ""
    var usage: TokenUsage?
    var finish: FinishReason?
    var failure: ProviderError?
    var latency: Duration = .zero

    static func of(_ request: GenerationRequest, client: some ModelClient) async -> Completion {
        let started = ContinuousClock.now
        var completion = Completion()
        for await stamped in client.stream(request) {
            switch stamped.event {
            case .text(let text, .answer): completion.answer += text
            case .usage(let reported): completion.usage = reported
            case .finish(let reason): completion.finish = reason
            case .failure(let error): completion.failure = error
            default: break
            }
        }
        completion.latency = ContinuousClock.now - started
        return completion
    }
}

/// A judge: a target that grades answers with a ``JudgeTemplate``, at temperature 0 with a fixed seed where the
/// API takes one. Its cost and latency are kept with each verdict, apart from the candidate's.
public struct Judge: Sendable {
    public let template: JudgeTemplate
    public let name: String
    public let model: String
    let client: any ModelClient
    let price: ModelPrice?
    let extraBody: [String: JSONValue]

    init(
        template: JudgeTemplate, target: BenchSpec.Target, client: any ModelClient, price: ModelPrice?
    ) {
        self.template = template
        name = target.name
        model = target.model
        self.client = client
        self.price = price
        extraBody = target.extraBody
    }

    /// The judge's record for one answer (an error in it when the request failed).
    func grade(question: String, answer: String, reference: String) async -> JudgeRecord {
        let messages = template.messages(question: question, answer: answer, reference: reference)
        let request = GenerationRequest(
            model: model, messages: messages, maxOutputTokens: template.maxTokens, temperature: 0, seed: 0,
            extraBody: extraBody)
        let completion = await Completion.of(request, client: client)
        var record = JudgeRecord(template: template.name, judge: name, messages: messages, reply: completion.answer)
        record.error = completion.failure?.description
        record.latencyMilliseconds = completion.latency.milliseconds
        record.inputTokens = completion.usage?.inputTokens
        record.outputTokens = completion.usage?.outputTokens
        record.costUSD = completion.usage.flatMap { price?.cost(of: $0) }
        return record
    }
}
