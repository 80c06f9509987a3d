import BenchCore
import BenchProviders
import BenchRunner
public import BenchEval
import BenchMetrics
import Foundation

/// A judge: a target that grades answers with a ``JudgeTemplate``, at temperature 0 with a fixed seed where the
/// API takes one. Its cost and latency are kept with each verdict, apart from the candidate's. For rubric templates
/// on endpoints whose protocol offers output log-probabilities it asks for the top 5 of each token, so the score can be
/// probability-weighted (G-Eval); an endpoint that refuses the request as invalid (HTTP 4xx) is asked again
/// without them, and the plain score is used.
public struct Judge: Sendable {
    public let template: JudgeTemplate
    public let name: String
    public let model: String
    /// Asks through `ask`: the judge target's engine endpoint, or a scripted judge.
    let ask: @Sendable (GenerationRequest) async -> Completion
    /// Opens connections to the judge ahead of the verdicts.
    let warm: @Sendable (Int) async -> Void
    let price: ModelPrice?
    let extraBody: [String: JSONValue]
    let offersLogprobs: Bool

    /// The judge for `target`, asked through `client` when given (a scripted judge, bounded like any generation),
    /// else through the target's own endpoint on the engine, with retries.
    /// - Throws: ``SpecError`` when the judge's API key variable is not set.
    init(template: JudgeTemplate, target: BenchSpec.Target, client: (any ModelClient)?, engine: Engine) async throws {
        self.template = template
        name = target.name
        model = target.model
        price = engine.prices.price(for: target)
        extraBody = target.extraBody
        offersLogprobs = target.kind.capabilities.outputLogprobs
        if let client {
            let race = RequestRace(
                client: client, requestTimeout: .seconds(600), readTimeout: engine.readTimeout,
                limit: await engine.limits.semaphore(baseURL: target.baseURL))
            ask = { await Completion.of($0, race: race) }
            warm = { await client.warmConnections($0) }
        } else {
            let endpoint = try await engine.endpoint(for: target, field: "judge.api_key_env")
            ask = { await endpoint.complete($0) }
            warm = { await endpoint.client.warmConnections($0) }
        }
    }

    /// Opens up to `count` connections to the judge, so its verdicts' latencies hold no connection setup.
    func warmConnections(_ count: Int) async {
        await warm(count)
    }

    /// The judge's record for one answer (an error in it when the request failed).
    func grade(question: String, answer: String, reference: String) async -> JudgeRecord {
        await grade(["question": question, "answer": answer, "reference": reference])
    }

    /// The judge's record for the template filled with `fields`, its reply read (verdict, claims, categories,
    /// weighted score).
    func grade(_ fields: [String: String]) async -> JudgeRecord {
        let messages = template.messages(fields)
        let weighting = template.scale != nil && offersLogprobs
        var completion = await ask(messages, logprobs: weighting)
        if weighting, completion.failure?.kind == .invalidRequest {
            completion = await ask(messages, logprobs: false)
        }
        var record = JudgeRecord(template: template.name, judge: name, messages: messages, reply: completion.answer)
        record.error = completion.failure?.description
        record.latencyMilliseconds = completion.latency.milliseconds
        record.inputTokens = completion.usage?.inputTokens
        record.outputTokens = completion.usage?.outputTokens
        record.costUSD = completion.usage.flatMap { price?.cost(of: $0) }
        record.read(with: template, tokens: completion.logprobs)
        return record
    }

    private func ask(_ messages: [ChatMessage], logprobs: Bool) async -> Completion {
        let request = GenerationRequest(
            model: model, messages: messages, maxOutputTokens: template.maxTokens, temperature: 0, seed: 0,
            topLogprobs: logprobs ? 5 : nil, extraBody: extraBody)
        return await ask(request)
    }
}
