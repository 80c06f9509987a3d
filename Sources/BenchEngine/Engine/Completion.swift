public import BenchCore
import BenchRunner

/// One generation, read to the end: the answer text, usage, finish reason or failure, how long it took, and the
/// generated tokens' log-probabilities when the request asked for them.
public struct Completion: Sendable {
    public var answer = ""
    public var usage: TokenUsage?
    public var finish: FinishReason?
    public var failure: ProviderError?
    /// Time from the request's start (after any wait for the endpoint's limit) to its end; retry and pacing waits
    /// included, since the caller waited for them.
    public var latency: Duration = .zero
    public var logprobs: [GeneratedTokenLogprob] = []

    /// Sends `request` through `race` (its timeouts, its endpoint's limit) and collects the stream; a failed attempt
    /// that is retried is forgotten.
    static func of(_ request: GenerationRequest, race: RequestRace) async -> Completion {
        let outcome = await race.run(request, state: Collecting()) { $0.consume($1) }
        var completion = outcome.state.completion
        if let limit = outcome.limitError, completion.failure == nil || completion.failure?.kind == .cancelled {
            completion.failure = limit
        }
        completion.latency = outcome.endedAt - outcome.startedAt
        return completion
    }

    /// The fold of one stream into a completion.
    private struct Collecting: Sendable {
        var completion = Completion()

        mutating func consume(_ stamped: StampedEvent) {
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
    }
}
