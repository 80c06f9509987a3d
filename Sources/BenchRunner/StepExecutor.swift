public import BenchCore
import Synchronization

/// Runs one load step against one model client and hands each request's record to a sink as it completes.
///
/// Closed loop: `users` workers each send their next request as soon as the previous one ends; the request's
/// scheduled start is the instant the worker became free. Open loop: a dispatcher sleeps until each absolute
/// target of an ``ArrivalSchedule`` and starts the request in its own child task; with a slot limit the request
/// first waits for a slot (queue time). Dispatching stops after `maxRequests` or at `maxDuration`; requests still
/// in flight at `maxDuration` are cancelled and recorded as such. Each request is a ``RequestRace`` (total and read
/// timeouts, the endpoint's shared limit). Before the step starts, the client opens the connections the step will
/// need, so connection setup is not measured as TTFT.
///
/// Its schedule runs on a ``Timeline`` whose origin is the run's: the continuous clock in production, so every
/// offset it computes (scheduled starts, the step's end) is on the same scale as the transport's stamps.
public struct StepExecutor: Sendable {
    public let client: any ModelClient
    /// How each request is sent and bounded.
    public let race: RequestRace
    public let prompts: any PromptSource
    public let settings: GenerationSettings
    public let target: String
    public let stepIndex: Int
    public let step: LoadStep
    /// The id of the step's first request; ids are unique within a run.
    public let firstRequestID: Int
    /// The run's clock origin.
    public let origin: ContinuousClock.Instant
    /// Seed for the arrival process.
    public let seed: UInt64
    /// Request ids stored by an earlier segment of this step: skipped, never sent again.
    public let skipping: Set<Int>
    /// The segment this execution's records belong to.
    public let segment: Int
    /// Counts the output tokens of successful responses that carried no usage report; nil leaves them as chunk
    /// counts.
    public let tokenCounter: (any TokenCounter)?
    /// The clock of the schedule, its origin the run's.
    private var timeline: Timeline { race.timeline }

    /// - Parameter race: how each request is sent; its timeline must have the run's origin (`origin`).
    public init(
        race: RequestRace, prompts: any PromptSource, settings: GenerationSettings, target: String,
        stepIndex: Int, step: LoadStep, firstRequestID: Int, origin: ContinuousClock.Instant, seed: UInt64,
        skipping: Set<Int> = [], segment: Int = 0, tokenCounter: (any TokenCounter)? = nil
    ) {
        self.race = race
        client = race.client
        self.prompts = prompts
        self.settings = settings
        self.target = target
        self.stepIndex = stepIndex
        self.step = step
        self.firstRequestID = firstRequestID
        self.origin = origin
        self.seed = seed
        self.skipping = skipping
        self.segment = segment
        self.tokenCounter = tokenCounter
    }

    /// Runs the step to its end. With ids to skip, the request limit counts them as done.
    /// - Parameter onRecord: called once per request, as soon as its record is complete.
    /// - Returns: how many request ids the step used, skipped ones included (the next step starts after them).
    ///
    /// A response without usage whose tokens the ``tokenCounter`` counts is handed on once counted, by a task of its
    /// own: its request's slot is free at once, so counting never delays the next request.
    public func run(onRecord: @escaping @Sendable (RequestRecord) async -> Void) async -> Int {
        guard let tokenCounter else { return await runShape { await onRecord($0.record) } }
        let (uncounted, counting) = AsyncStream.makeStream(of: RaceResult.self)
        return await withTaskGroup(of: Int.self) { group in
            group.addTask {
                await withDiscardingTaskGroup { counters in
                    for await result in uncounted {
                        counters.addTask { await onRecord(await Self.counted(result, by: tokenCounter)) }
                    }
                }
                return 0
            }
            let issued = await runShape { result in
                if Self.needsCounting(result.record) {
                    counting.yield(result)
                } else {
                    await onRecord(result.record)
                }
            }
            counting.finish()
            await group.waitForAll()
            return issued
        }
    }

    /// Whether a record's output tokens are chunk counts a tokenizer should replace.
    static func needsCounting(_ record: RequestRecord) -> Bool {
        record.outcome == .success && record.outputTokenSource == .chunks && record.textChunks > 0
    }

    /// The record with its output tokens counted by `counter`; unchanged (chunk counts, labelled so) when the
    /// counter fails.
    static func counted(_ result: RaceResult, by counter: any TokenCounter) async -> RequestRecord {
        var record = result.record
        if let tokens = try? await counter.countTokens(result.output) {
            record.outputTokens = tokens
            record.outputTokenSource = .tokenizer
        }
        return record
    }

    private func runShape(deliver: @escaping @Sendable (RaceResult) async -> Void) async -> Int {
        await client.warmConnections(connectionsNeeded)
        let start = timeline.now()
        let deadline = step.maxDuration.map { start + $0 }
        switch step.shape {
        case .concurrency(let users):
            if let conversations = prompts as? any ConversationSource {
                return await runConversations(
                    conversations, users: users, start: start, deadline: deadline, deliver: deliver)
            }
            return await runClosedLoop(users: users, start: start, deadline: deadline, deliver: deliver)
        case .rate(let perSecond, let arrival, let maxInFlight):
            let schedule = ArrivalSchedule(rate: perSecond, process: arrival, seed: seed ^ UInt64(stepIndex))
            return await runOpenLoop(
                schedule: schedule, maxInFlight: maxInFlight, start: start, deadline: deadline, deliver: deliver
            )
        case .trace(let trace, let speed, let maxInFlight):
            // Entries already stored by an earlier segment are not waited for: the rest keep their spacing, the
            // first of them at once.
            let remaining = trace.entries.indices.filter { !skipping.contains(firstRequestID + $0) }
                .map { trace.entries[$0].arrival / speed }
            return await runOpenLoop(
                schedule: remaining.map { $0 - (remaining.first ?? .zero) }, maxInFlight: maxInFlight, start: start,
                deadline: deadline, deliver: deliver)
        }
    }

    /// Connections the step can use at once: the concurrency, the slot limit, or about two seconds of arrivals
    /// (capped at 256) for an unlimited open loop.
    var connectionsNeeded: Int {
        let bound = step.maxRequests.map { $0 - skipping.count } ?? .max
        switch step.shape {
        case .concurrency(let users):
            return min(users, bound)
        case .rate(let perSecond, _, let maxInFlight):
            return min(maxInFlight ?? min(256, Int((perSecond * 2).rounded(.up))), bound)
        case .trace(let trace, let speed, let maxInFlight):
            return min(maxInFlight ?? min(256, Int(((trace.meanRate ?? 1) * speed * 2).rounded(.up))), bound)
        }
    }

    private func runClosedLoop(
        users: Int, start: Duration, deadline: Duration?, deliver: @escaping @Sendable (RaceResult) async -> Void
    ) async -> Int {
        let counter = RequestCounter(limit: step.maxRequests, firstID: firstRequestID, skipping: skipping)
        await withDiscardingTaskGroup { group in
            for _ in 0..<users {
                group.addTask {
                    var freeAt = start
                    while !Task.isCancelled, let n = counter.take() {
                        if let deadline, timeline.now() >= deadline { break }
                        let result = await perform(
                            firstRequestID + n, scheduled: freeAt, slotAcquired: freeAt, deadline: deadline
                        )
                        await deliver(result)
                        freeAt = result.endedAt
                    }
                }
            }
        }
        return counter.issued
    }

    /// Closed loop over conversations: each user takes the next conversation and sends its turns one after the
    /// other, each with the history so far (the model's real answers included), pausing the think time between an
    /// answer and the next turn. Turn k of conversation n has id first + n × turns + k, turns = maxTurns (at most
    /// the request limit). A failed turn ends its conversation (the next turn would need its answer). With a request
    /// limit, the step runs ⌊limit ÷ turns⌋ conversations, so its ids stay within the limit (without one, within
    /// ``LoadStep/idsWithoutRequestLimit``); a resumed step skips conversations with any stored turn.
    private func runConversations(
        _ conversations: any ConversationSource, users: Int, start: Duration,
        deadline: Duration?, deliver: @escaping @Sendable (RaceResult) async -> Void
    ) async -> Int {
        let turns = conversations.turns(for: step)
        let started = Set(skipping.map { ($0 - firstRequestID) / turns })
        // Ids stay within the step's share: its request limit, or the ids a step without one is given.
        let counter = RequestCounter(
            limit: (step.maxRequests ?? LoadStep.idsWithoutRequestLimit) / turns, skipping: started)
        await withDiscardingTaskGroup { group in
            for _ in 0..<users {
                group.addTask {
                    var freeAt = start
                    while !Task.isCancelled, let n = counter.take() {
                        let (preamble, userTurns) = conversations.conversation(n)
                        var history = preamble
                        for (k, message) in userTurns.prefix(turns).enumerated() {
                            if let deadline, timeline.now() >= deadline { return }
                            history.append(ChatMessage(role: "user", content: message))
                            let prompt = Prompt(
                                index: n, messages: history, maxOutputTokens: conversations.maxOutputTokens)
                            var result = await perform(
                                firstRequestID + n * turns + k, prompt: prompt, scheduled: freeAt,
                                slotAcquired: freeAt, deadline: deadline, keepsAnswer: true)
                            result.record.turn = k
                            await deliver(result)
                            freeAt = result.endedAt
                            guard result.record.outcome == .success else { break }
                            history.append(ChatMessage(role: "assistant", content: result.answer))
                            if k + 1 < min(turns, userTurns.count), conversations.thinkTime > .zero {
                                freeAt += conversations.thinkTime
                                do { try await timeline.sleep(until: freeAt) } catch { return }
                            }
                        }
                    }
                }
            }
        }
        return counter.issued * turns
    }

    private func runOpenLoop(
        schedule: some Sequence<Duration>, maxInFlight: Int?, start: Duration,
        deadline: Duration?, deliver: @escaping @Sendable (RaceResult) async -> Void
    ) async -> Int {
        let slots = maxInFlight.map { AsyncSemaphore(limit: $0) }
        var issued = 0
        await withDiscardingTaskGroup { group in
            var offsets = schedule.makeIterator()
            while step.maxRequests.map({ issued < $0 }) ?? true {
                if skipping.contains(firstRequestID + issued) {
                    issued += 1
                    continue
                }
                guard let offset = offsets.next() else { break }
                let scheduled = start + offset
                if let deadline, scheduled >= deadline { break }
                do {
                    try await timeline.sleep(until: scheduled)
                } catch {
                    break
                }
                let id = firstRequestID + issued
                group.addTask {
                    var slotAcquired = scheduled
                    if let slots, await slots.acquire() { slotAcquired = timeline.now() }
                    let result: RaceResult
                    if let deadline, timeline.now() >= deadline {
                        let record = notDispatched(id, scheduled: scheduled, slotAcquired: slotAcquired)
                        result = RaceResult(record: record, endedAt: record.endedAt, answer: "", output: "")
                    } else {
                        result = await perform(id, scheduled: scheduled, slotAcquired: slotAcquired, deadline: deadline)
                    }
                    await slots?.release()
                    await deliver(result)
                }
                issued += 1
            }
        }
        return issued
    }

    private func template(_ id: Int, prompt: Prompt, scheduled: Duration, slotAcquired: Duration) -> RequestRecord {
        RequestRecord(
            id: id, target: target, step: stepIndex, promptIndex: prompt.index,
            scheduledAt: scheduled, slotAcquiredAt: slotAcquired, endedAt: slotAcquired,
            outcome: .failed, requestedInputTokens: prompt.requestedInputTokens,
            requestedOutputTokens: prompt.maxOutputTokens,
            exactOutputRequested: settings.exactOutputLength && prompt.maxOutputTokens != nil, segment: segment
        )
    }

    /// The prompt of request `id`: the trace entry it replays (counted from the step's first request, so every
    /// target replays the same workload), else the prompt source's prompt for the id.
    private func prompt(for id: Int) -> Prompt {
        if case .trace = step.shape { return prompts.prompt(forRequest: id - firstRequestID) }
        return prompts.prompt(forRequest: id)
    }

    private func notDispatched(_ id: Int, scheduled: Duration, slotAcquired: Duration) -> RequestRecord {
        let prompt = prompt(for: id)
        let assembler = RecordAssembler(
            origin: origin, template: template(id, prompt: prompt, scheduled: scheduled, slotAcquired: slotAcquired))
        return assembler.finish(endedAfter: timeline.now(), override: RequestRace.stepEnded)
    }

    /// Sends one request now, outside the step's schedule, with the given prompt (the same prompt to several
    /// targets in turn, a conversation's next turn), and returns its record. The step's request timeout applies.
    public func send(_ id: Int, prompt: Prompt) async -> RequestRecord {
        let now = timeline.now()
        let result = await perform(id, prompt: prompt, scheduled: now, slotAcquired: now, deadline: nil)
        guard let tokenCounter, Self.needsCounting(result.record) else { return result.record }
        return await Self.counted(result, by: tokenCounter)
    }

    /// Sends one request through the race and returns its record and the offset it ended at.
    private func perform(
        _ id: Int, prompt: Prompt? = nil, scheduled: Duration, slotAcquired: Duration, deadline: Duration?,
        keepsAnswer: Bool = false
    ) async -> RaceResult {
        let prompt = prompt ?? self.prompt(for: id)
        let assembler = RecordAssembler(
            origin: origin, template: template(id, prompt: prompt, scheduled: scheduled, slotAcquired: slotAcquired),
            keepsAnswer: keepsAnswer, keepsOutput: tokenCounter != nil
        )
        let outcome = await race.run(settings.request(for: prompt), deadline: deadline, state: assembler) {
            $0.consume($1)
        }
        return RaceResult(
            record: outcome.state.finish(endedAfter: outcome.endedAt, override: outcome.limitError),
            endedAt: outcome.endedAt, answer: outcome.state.answer, output: outcome.state.output)
    }

    /// One request's record, when it ended, and its answer and generated text when kept.
    struct RaceResult: Sendable {
        var record: RequestRecord
        var endedAt: Duration
        var answer: String
        var output: String
    }
}

/// Hands out request numbers 0, 1, 2, … up to an optional limit, to any number of workers, passing over the
/// numbers whose ids (first id + number) are to be skipped.
final class RequestCounter: Sendable {
    private let next = Atomic<Int>(0)
    private let limit: Int?
    private let firstID: Int
    private let skipping: Set<Int>

    init(limit: Int?, firstID: Int = 0, skipping: Set<Int> = []) {
        self.limit = limit
        self.firstID = firstID
        self.skipping = skipping
    }

    /// The next number, or nil when the limit is reached.
    func take() -> Int? {
        while true {
            let n = next.wrappingAdd(1, ordering: .relaxed).oldValue
            if let limit, n >= limit { return nil }
            if !skipping.contains(firstID + n) { return n }
        }
    }

    /// How many numbers were handed out.
    var issued: Int {
        let taken = next.load(ordering: .relaxed)
        return limit.map { min($0, taken) } ?? taken
    }
}
