import AsyncHTTPClient
import BenchCore
import BenchRunner
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
    /// The generated tokens' log-probabilities, when the request asked for them.
    var logprobs: [GeneratedTokenLogprob] = []

    static func of(_ request: GenerationRequest, client: some ModelClient) async -> Completion {
        let started = ContinuousClock.now
        var completion = Completion()
        for await stamped in client.stream(request) {
            switch stamped.event {
            case .text(let text, .answer): completion.answer += text
            case .usage(let reported): completion.usage = reported
            case .finish(let reason): completion.finish = reason
            case .failure(let error): completion.failure = error
            case .tokenLogprobs(let tokens): completion.logprobs += tokens
            case .retrying: completion = Completion()  // the next attempt's events replace the failed one's
            default: break
            }
        }
        completion.latency = ContinuousClock.now - started
        return completion
    }
}

/// A judge: a target that grades answers with a ``JudgeTemplate``, at temperature 0 with a fixed seed where the
/// API takes one. Its cost and latency are kept with each verdict, apart from the candidate's. For rubric templates
/// on OpenAI-style chat endpoints it asks for the top 5 log-probabilities of each token, so the score can be
/// probability-weighted (G-Eval); an endpoint that refuses the request as invalid (HTTP 4xx) is asked again
/// without them, and the plain score is used.
public struct Judge: Sendable {
    public let template: JudgeTemplate
    public let name: String
    public let model: String
    let client: any ModelClient
    let price: ModelPrice?
    let extraBody: [String: JSONValue]
    let offersLogprobs: Bool

    init(
        template: JudgeTemplate, target: BenchSpec.Target, client: any ModelClient, price: ModelPrice?
    ) {
        self.template = template
        name = target.name
        model = target.model
        self.client = client
        self.price = price
        extraBody = target.extraBody
        if case .openaiChat = target.kind.wire { offersLogprobs = true } else { offersLogprobs = false }
    }

    /// The judge for `target`, asked through `client` when given (a scripted judge), else through the target's
    /// own endpoint with retries.
    /// - Throws: ``SpecError`` when the judge's API key variable is not set.
    init(
        template: JudgeTemplate, target: BenchSpec.Target, client: (any ModelClient)?, http: HTTPClient,
        environment: [String: String], prices: PriceTable
    ) throws {
        let key = try target.apiKey(environment: environment, field: "judge.api_key_env")
        let client =
            client
            ?? RetryingModelClient(
                base: TargetEndpoint(
                    target: target, http: http, apiKey: key, headTimeout: .seconds(600), environment: environment
                ).client,
                policy: RetryPolicy())
        self.init(template: template, target: target, client: client, price: prices.price(for: target.model))
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
        var extra = extraBody
        if logprobs {
            extra["logprobs"] = .bool(true)
            extra["top_logprobs"] = .number(5)
        }
        let request = GenerationRequest(
            model: model, messages: messages, maxOutputTokens: template.maxTokens, temperature: 0, seed: 0,
            extraBody: extra)
        return await Completion.of(request, client: client)
    }
}
