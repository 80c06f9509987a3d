import BenchCore
import BenchEngine
import BenchEval
import BenchProviders
import BenchRunner
import BenchStore
import BenchSimulator
import Clocks
import Foundation
import NIOHTTP1
import Synchronization
import Testing

/// The layout the architecture document describes, checked on the sources themselves.
@Suite struct ArchitectureTests {
    /// Every Swift file of a module, without comment lines.
    static func sources(_ module: String) throws -> [(file: String, lines: [Substring])] {
        let folder = Fixtures.repositoryRoot.appendingPathComponent("Sources/\(module)")
        guard let files = FileManager.default.enumerator(atPath: folder.path) else { return [] }
        return try files.compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") }.map { file in
            let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            let lines = text.split(separator: "\n").filter {
                !$0.trimmingCharacters(in: .whitespaces).hasPrefix("//")
            }
            return ("\(module)/\(file)", lines)
        }
    }

    static var modules: [String] {
        (try? FileManager.default.contentsOfDirectory(
            atPath: Fixtures.repositoryRoot.appendingPathComponent("Sources").path))?.sorted() ?? []
    }

    @Test func theProcessHasOneHTTPClientAndOnlyTheEngineMakesIt() throws {
        var constructions: [String] = []
        var shared: [String] = []
        for module in Self.modules {
            for (file, lines) in try Self.sources(module) {
                for line in lines {
                    if line.range(of: #"(^|[^A-Za-z.])HTTPClient\("#, options: .regularExpression) != nil {
                        constructions.append(file)
                    }
                    if line.contains("HTTPClient.shared") { shared.append(file) }
                }
            }
        }
        #expect(constructions == ["BenchEngine/Engine/HTTPClientService.swift"])
        #expect(shared.isEmpty, "the process-wide singleton is a second client: \(shared)")
    }

    /// What each module may import of the project and of the server, HTTP and database libraries.
    static let allowed: [String: Set<String>] = [
        "BenchCore": [],
        "BenchMetrics": ["BenchCore"],
        "BenchEval": ["BenchCore", "BenchMetrics"],
        "BenchReport": ["BenchCore", "BenchMetrics", "BenchEval"],
        "BenchRunner": ["BenchCore", "BenchMetrics"],
        "BenchProviders": ["BenchCore", "AsyncHTTPClient"],
        "BenchSimulator": ["BenchCore", "Hummingbird"],
        "BenchLocal": ["BenchCore"],
        "BenchInstall": ["BenchLocal"],
        "BenchStore": ["BenchCore", "SQLiteNIO", "PostgresNIO"],
        "BenchEngine": [
            "BenchCore", "BenchMetrics", "BenchEval", "BenchReport", "BenchRunner", "BenchProviders",
            "BenchSimulator", "BenchLocal", "BenchStore", "AsyncHTTPClient", "ServiceLifecycle",
        ],
        "BenchServer": [
            "BenchCore", "BenchMetrics", "BenchEval", "BenchReport", "BenchStore", "BenchEngine", "Hummingbird",
        ],
        "BenchApp": ["BenchCore", "BenchEngine", "BenchServer", "BenchStore", "Hummingbird", "ServiceLifecycle"],
        "BenchCLI": [
            "BenchCore", "BenchMetrics", "BenchEval", "BenchReport", "BenchRunner", "BenchProviders",
            "BenchSimulator", "BenchLocal", "BenchEngine", "BenchApp",
        ],
    ]

    /// The imports that matter to the layering: the project's modules and the I/O libraries.
    static let watched: Set<String> = Set(allowed.keys).union([
        "AsyncHTTPClient", "Hummingbird", "SQLiteNIO", "PostgresNIO", "ServiceLifecycle",
    ])

    @Test func everyModuleImportsOnlyWhatItsLayerAllows() throws {
        #expect(Set(Self.modules) == Set(Self.allowed.keys))
        for module in Self.modules {
            let allowed = Self.allowed[module] ?? []
            for (file, lines) in try Self.sources(module) {
                for line in lines {
                    let words = line.split(separator: " ")
                    guard let index = words.firstIndex(of: "import"), index <= 1, index + 1 < words.count else {
                        continue
                    }
                    let imported = String(words[index + 1])
                    if Self.watched.contains(imported) {
                        #expect(allowed.contains(imported), "\(file) imports \(imported)")
                    }
                }
            }
        }
    }
}

/// Scheduling logic on an injected clock: tested by advancing a test clock, never by sleeping.
@Suite struct TimelineLogicTests {
    /// Waits until something sleeps on `clock`.
    static func untilSuspended(_ clock: TestClock<Duration>) async {
        while (try? await clock.checkSuspension()) != nil { await Task.yield() }
    }

    /// Waits (a second at most, in real time) until `condition` holds: for work that the test clock released.
    static func eventually(_ condition: () -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(1)
        while !condition(), ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(1)) }
    }

    static let request = GenerationRequest(model: "m", messages: [ChatMessage(role: "user", content: "hi")])
    static let answer: [(Duration, GenerationEvent)] = [
        (.zero, .text("ok", channel: .answer)), (.zero, .finish(.stop)), (.zero, .done),
    ]

    @Test func aThrottledAttemptWaitsItsRetryAfterOnTheTimeline() async throws {
        var throttle = ProviderError(.rateLimited, "slow down", httpStatus: 429)
        throttle.retryAfterSeconds = 30
        let scripted = ScriptedModelClient(attempts: [[(.zero, .failure(throttle))], Self.answer])
        let clock = TestClock()
        let client = RetryingModelClient(base: scripted, policy: RetryPolicy(), timeline: Timeline(clock))
        let started = ContinuousClock.now
        try await withThrowingTaskGroup(of: [GenerationEvent].self) { group in
            group.addTask { await client.stream(Self.request).reduce(into: []) { $0.append($1.event) } }
            await Self.untilSuspended(clock)
            await clock.advance(by: .seconds(29))
            #expect(scripted.calls.count.load(ordering: .relaxed) == 1, "sent again before retry-after")
            await clock.advance(by: .seconds(1))
            let events = try #require(try await group.next())
            #expect(events.contains(.retrying(after: .seconds(30), error: throttle)))
            #expect(events.last == .done)
        }
        #expect(scripted.calls.count.load(ordering: .relaxed) == 2)
        #expect(ContinuousClock.now - started < .seconds(10), "the 30 s wait passed on the test clock")
    }

    @Test func aRateBudgetSpacesAttemptsOnTheTimeline() async throws {
        let clock = TestClock()
        let pacer = RequestPacer(budget: RateBudget(requestsPerMinute: 6), timeline: Timeline(clock))
        let client = PacedModelClient(base: ScriptedModelClient(attempts: [Self.answer]), pacer: pacer)
        let done = ScriptedModelClient.Calls()
        try await withThrowingTaskGroup(of: [GenerationEvent].self) { group in
            for _ in 0..<2 {
                group.addTask {
                    let events = await client.stream(Self.request).reduce(into: []) { $0.append($1.event) }
                    done.count.add(1, ordering: .relaxed)
                    return events
                }
            }
            // 6 per minute: one at once, the next 10 s later, announced before it waits.
            await Self.untilSuspended(clock)
            await clock.advance(by: .zero)
            try await Self.eventually { done.count.load(ordering: .relaxed) == 1 }
            #expect(done.count.load(ordering: .relaxed) == 1)
            await clock.advance(by: .seconds(9))
            #expect(done.count.load(ordering: .relaxed) == 1)
            await clock.advance(by: .seconds(1))
            var waits: [Duration] = []
            for try await events in group {
                for case .paced(let waited) in events { waits.append(waited) }
            }
            #expect(waits.sorted() == [.zero, .seconds(10)])
        }
    }

    @Test func anOpenLoopDispatchesEachRequestAtItsScheduledOffset() async throws {
        let clock = TestClock()
        let timeline = Timeline(clock)
        let executor = StepExecutor(
            race: RequestRace(
                client: ScriptedModelClient(attempts: [Self.answer]), requestTimeout: .seconds(600),
                readTimeout: nil, timeline: timeline),
            prompts: SyntheticPrompts(inputTokens: 4, outputTokens: 4, seed: 0),
            settings: GenerationSettings(model: "m"),
            target: "t", stepIndex: 0,
            step: LoadStep(shape: .rate(perSecond: 10, arrival: .constant, maxInFlight: nil), maxRequests: 4),
            firstRequestID: 0, origin: .now, seed: 0)
        let records = Records()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { _ = await executor.run { record in records.list.withLock { $0.append(record) } } }
            // Each arrival is released by the clock reaching its offset, not before.
            for index in 0..<4 {
                await Self.untilSuspended(clock)
                #expect(records.list.withLock { $0.count } == index, "request \(index) waits for its arrival")
                await clock.advance(by: index == 0 ? .zero : .milliseconds(100))
                try await Self.eventually { records.list.withLock { $0.count } == index + 1 }
            }
            try await group.waitForAll()
        }
        let scheduled = records.list.withLock { $0 }.sorted { $0.id < $1.id }.map(\.scheduledAt)
        #expect(scheduled == [.zero, .milliseconds(100), .milliseconds(200), .milliseconds(300)])
    }

    /// Records collected from concurrent tasks.
    final class Records: Sendable {
        let list = Mutex<[RequestRecord]>([])
    }

    /// One text event, then silence until cancelled.
    struct Stalling: ModelClient {
        func stream(_ request: GenerationRequest) -> any AsyncSequence<StampedEvent, Never> {
            AsyncStream { continuation in
                continuation.yield(StampedEvent(.requestSent, at: .now))
                continuation.yield(StampedEvent(.text("a", channel: .answer), at: .now))
            }
        }
    }

    @Test func theReadTimeoutEndsAStreamWithNoEventsAndCountsFromTheLast() async throws {
        let clock = TestClock()
        let race = RequestRace(
            client: Stalling(), requestTimeout: .seconds(600), readTimeout: .seconds(5), timeline: Timeline(clock))
        try await withThrowingTaskGroup(of: RequestRace.Outcome<Int>.self) { group in
            group.addTask { await race.run(Self.request, state: 0) { count, _ in count += 1 } }
            await Self.untilSuspended(clock)
            await clock.advance(by: .seconds(5))
            let outcome = try #require(try await group.next())
            #expect(outcome.state == 2)
            #expect(outcome.limitError?.kind == .timeout)
            #expect(outcome.limitError?.message.contains("read timeout of 5.0 s") == true)
            #expect(outcome.endedAt == .seconds(5))
        }
    }
}

extension TimelineLogicTests {
    @Test func anIdleCoordinatorLooksForWorkAgainWhenItsTimelineSays() async throws {
        let clock = TestClock()
        let store = InMemoryRunStore()
        try await withEngine { engine in
            let queue = RunQueue(store: store, engine: engine, maxConcurrency: 8)
            let coordinator = RunCoordinator(
                store: store, engine: engine, maxConcurrentUnits: 1, pollInterval: .seconds(5),
                timeline: Timeline(clock))
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await coordinator.run() }
                // Nothing queued: the coordinator polled once and waits for its next look.
                await Self.untilSuspended(clock)
                let run = try await queue.submit(
                    try JSONParser.parse(
                        #"{"targets": [{"base_url": "http://127.0.0.1:9/v1", "model": "m"}], "load": {"requests": 1}}"#)
                )
                try await Task.sleep(for: .milliseconds(200))
                #expect(try await store.run(id: run.id)?.status == .queued, "claimed before the poll interval")
                await clock.advance(by: .seconds(5))
                var status = try await store.run(id: run.id)?.status
                let deadline = ContinuousClock.now + .seconds(5)
                while status?.isActive == true, ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(10))
                    status = try await store.run(id: run.id)?.status
                }
                #expect(status == .succeeded, "the next look claimed and ran it (\(String(describing: status)))")
                group.cancelAll()
            }
        }
    }
}

extension LiveTests {
    /// The engine under every entry point, measured against the simulator's known timing.
    @Suite struct EngineLoopbackTests {
        /// A task of `count` questions the simulator answers with words.
        static func task(_ count: Int, judged: Bool = false) throws -> TaskDefinition {
            let items = (0..<count).map { "{q: \"question \($0)\"}" }.joined(separator: ", ")
            return try EvalTaskTests.task(
                "name: wide\ndataset: {items: [\(items)]}\nprompt: \"{{q}}\"\nreference: \"x\"\nmax_tokens: 4"
                    + (judged ? "\njudge: simpleqa" : ""))
        }

        @Test func anEvaluationKeepsItsWholeConcurrencyInFlightAndMeasuresTheModelNotTheClient() async throws {
            // TTFT 200 ms and 4 tokens with no gap: every answer takes 200 ms, all 32 at once.
            let model = SimulatorConfiguration(ttft: .milliseconds(200), itl: .zero, outputTokens: 4)
            let (results, peak) = try await withSimulator(model) { port, simulator in
                let (_, results) = try await withEngine(connections: 32) { engine in
                    try await EvalRun(
                        task: try Self.task(32),
                        target: BenchSpec.Target(baseURL: "http://127.0.0.1:\(port)/v1", model: "sim"),
                        engine: engine, concurrency: 32, outputDirectory: nil
                    ).run()
                }
                return (results, simulator.statistics.peakStreams)
            }
            #expect(peak == 32, "all 32 requests in flight at once")
            #expect(results.count == 32 && results.allSatisfy { $0.outcome != .failed })
            for latency in results.compactMap(\.latencyMilliseconds) {
                // Queued behind a capped pool, an item would wait a whole 200 ms answer; 50 ms leaves room for a loaded
                // 2-core machine running other suites at the same time.
                #expect(abs(latency - 200) <= 50, "item latency \(latency) ms for a true 200 ms")
            }
        }

        @Test func aJudgesVerdictsAreAllInFlightAtOnceToo() async throws {
            let candidate = SimulatorConfiguration(ttft: .milliseconds(1), itl: .zero, outputTokens: 4)
            let judging = SimulatorConfiguration(ttft: .milliseconds(200), itl: .zero, outputTokens: 4)
            let (results, peak) = try await withSimulator(candidate) { port, _ in
                try await withSimulator(judging) { judgePort, judgeSimulator in
                    let (_, results) = try await withEngine(connections: 64) { engine in
                        try await EvalRun(
                            task: try Self.task(32, judged: true),
                            target: BenchSpec.Target(baseURL: "http://127.0.0.1:\(port)/v1", model: "sim"),
                            engine: engine, concurrency: 32, outputDirectory: nil,
                            judgeTarget: BenchSpec.Target(
                                name: "judge", baseURL: "http://127.0.0.1:\(judgePort)/v1", model: "j")
                        ).run()
                    }
                    return (results, judgeSimulator.statistics.peakStreams)
                }
            }
            #expect(peak == 32, "all 32 verdicts in flight at once")
            #expect(results.count == 32)
            let verdicts = results.compactMap { $0.judge?.latencyMilliseconds }
            #expect(verdicts.count == 32, "\(results.first?.judge?.error ?? "")")
            for latency in verdicts {
                #expect(abs(latency - 200) <= 50, "verdict latency \(latency) ms for a true 200 ms (see above)")
            }
        }
    }
}

extension LiveTests {
    /// `POST /v1/benchmark` is a run like any other: the same validator, the same engine and its limits.
    @Suite struct SynchronousBenchmarkTests {
        @Test func wrongTypesZeroAndNegativeCountsAreRefusedNamingTheBodysOwnField() async throws {
            try await TestServer.with { server in
                let target = #""target": {"base_url": "http://127.0.0.1:9/v1", "model": "m"}"#
                for (fields, pointer) in [
                    (#""requests": "ten""#, "/requests"),
                    (#""requests": "10""#, "/requests"),
                    (#""requests": 0"#, "/requests"),
                    (#""requests": -2"#, "/requests"),
                    (#""requests": 2.5"#, "/requests"),
                    (#""concurrency": "x""#, "/concurrency"),
                    (#""concurrency": 0"#, "/concurrency"),
                    (#""concurrency": [2, 4]"#, "/concurrency"),
                    (#""max_tokens": 0"#, "/max_tokens"),
                    (#""temperature": -1"#, "/temperature"),
                    (#""requests": 101"#, "/requests"),
                    (#""surprise": 1"#, "/surprise"),
                ] {
                    let body = "{\(target), \"prompts\": [\"a\"], \(fields)}"
                    let reply = try await server.request(.POST, "/v1/benchmark", body: body, auth: true)
                    #expect(reply.status == 422, "\(fields): \(reply.body)")
                    #expect(reply.json?["field"] == .string(pointer), "\(fields): \(reply.body)")
                }
                for (body, pointer) in [
                    (#"{"target": 5, "prompts": ["a"]}"#, "/target"),
                    (#"{"target": "nobody", "prompts": ["a"]}"#, "/target"),
                    (#"{"target": {"base_url": "nope", "model": "m"}, "prompts": ["a"]}"#, "/target/base_url"),
                    (#"{"target": {"base_url": "http://127.0.0.1:9/v1"}, "prompts": ["a"]}"#, "/target/model"),
                    (#"{"target": {"kind": "anthropic", "model": "m"}, "prompts": ["a"]}"#, "/target/api_key_env"),
                    (#"{"target": {"base_url": "http://127.0.0.1:9/v1", "model": "m"}, "prompts": []}"#, "/prompts"),
                    (#"{"target": {"base_url": "http://127.0.0.1:9/v1", "model": "m"}, "prompts": [7]}"#, "/prompts/0"),
                ] {
                    let reply = try await server.request(.POST, "/v1/benchmark", body: body, auth: true)
                    #expect(reply.status == 422, "\(body): \(reply.body)")
                    #expect(reply.json?["field"] == .string(pointer), "\(body): \(reply.body)")
                }
            }
        }

        @Test func theEndpointLimitHoldsAcrossRunsAndTheSynchronousAPI() async throws {
            let configuration = SimulatorConfiguration(ttft: .milliseconds(40), itl: .milliseconds(2), outputTokens: 5)
            let (peak, sync) = try await withSimulator(configuration) { port, simulator in
                try await TestServer.with(maxInFlightPerEndpoint: 2) { server in
                    let id = try await server.submit(
                        simulatorRunSpec(port: port, requests: 16, concurrency: [4], outputTokens: 5))
                    let body = """
                        {"target": {"base_url": "http://127.0.0.1:\(port)/v1", "model": "sim"},
                         "prompts": ["a", "b", "c", "d", "e", "f", "g", "h"], "max_tokens": 5, "concurrency": 4}
                        """
                    let reply = try await server.request(.POST, "/v1/benchmark", body: body, auth: true)
                    let run = try await server.waitForEnd(id)
                    #expect(run["status"] == .string("succeeded"))
                    return (simulator.statistics.peakStreams, reply)
                }
            }
            #expect(sync.status == 200, "\(sync.body)")
            let step = sync.json?["report"]?["targets"]?.array?.first?["steps"]?.array?.first?["metrics"]
            #expect(step?["counts"]?["succeeded"] == .number(8))
            // Two runs of 4 in flight each, one endpoint limited to 2: the simulator never saw more than 2 streams.
            #expect(peak <= 2, "peak \(peak)")
        }
    }
}
