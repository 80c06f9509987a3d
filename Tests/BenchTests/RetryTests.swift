import BenchEngine
import BenchProviders
import BenchCore
import BenchMetrics
import BenchRunner
import BenchSimulator
import Synchronization
import Testing

@Suite struct RetryPolicyTests {
    let throttle = ProviderError(.rateLimited, "slow down", httpStatus: 429)

    @Test func exponentialBackoffIsCappedAndJittered() {
        let policy = RetryPolicy(maxRetries: 6)
        // No jitter reduction at unit 0: 0.5, 1, 2, 4, 8, then capped at 8 s.
        let delays = (0..<6).map { policy.delay(beforeRetry: $0, after: throttle, unit: 0) }
        #expect(delays == [.milliseconds(500), .seconds(1), .seconds(2), .seconds(4), .seconds(8), .seconds(8)])
        // Full jitter draw: × (1 − 0.25).
        #expect(policy.delay(beforeRetry: 1, after: throttle, unit: 1) == .milliseconds(750))
        #expect(policy.delay(beforeRetry: 6, after: throttle, unit: 0) == nil)
    }

    @Test func serverRetryAfterWinsUnlessTooLong() {
        let policy = RetryPolicy()
        var error = throttle
        error.retryAfterSeconds = 2.5
        #expect(policy.delay(beforeRetry: 0, after: error, unit: 0.9) == .milliseconds(2500))
        error.retryAfterSeconds = 121
        #expect(policy.delay(beforeRetry: 0, after: error, unit: 0) == nil)
    }

    @Test func aFailureTheServerForbidsRetryingIsNotRetried() {
        var error = ProviderError(.rateLimited, "quota", httpStatus: 429)
        error.retryForbidden = true
        #expect(RetryPolicy().delay(beforeRetry: 0, after: error, unit: 0) == nil)
    }

    @Test func onlyListedKindsAreRetried() {
        let policy = RetryPolicy()
        #expect(policy.delay(beforeRetry: 0, after: ProviderError(.overloaded, "busy"), unit: 0) != nil)
        #expect(policy.delay(beforeRetry: 0, after: ProviderError(.server, "boom", httpStatus: 500), unit: 0) == nil)
        #expect(policy.delay(beforeRetry: 0, after: ProviderError(.authentication, "no"), unit: 0) == nil)
        #expect(RetryPolicy.none.delay(beforeRetry: 0, after: throttle, unit: 0) == nil)
    }
}

/// A model client that replays one scripted attempt per call, each event after a scripted delay.
struct ScriptedModelClient: ModelClient {
    let attempts: [[(Duration, GenerationEvent)]]
    let calls = Calls()

    final class Calls: Sendable {
        let count = Atomic<Int>(0)
    }

    func stream(_ request: GenerationRequest) -> any AsyncSequence<StampedEvent, Never> {
        let n = calls.count.wrappingAdd(1, ordering: .relaxed).oldValue
        let script = attempts[min(n, attempts.count - 1)]
        return Script(steps: script)
    }

    struct Script: AsyncSequence, AsyncIteratorProtocol {
        let steps: [(Duration, GenerationEvent)]
        var index = 0

        func makeAsyncIterator() -> Script { self }

        mutating func next() async -> StampedEvent? {
            guard index < steps.count else { return nil }
            let (delay, event) = steps[index]
            index += 1
            try? await Task.sleep(for: delay)
            return StampedEvent(event, at: .now)
        }
    }
}

/// Timing checks: with the live tests, one at a time.
extension LiveTests {
    @Suite struct RetryingClientTests {
        @Test func throttledAttemptsAreRetriedAndKeptOutOfLatency() async throws {
            var throttle = ProviderError(.rateLimited, "slow down", httpStatus: 429)
            throttle.retryAfterSeconds = 0.03
            let failed: [(Duration, GenerationEvent)] = [(.zero, .requestSent), (.milliseconds(5), .failure(throttle))]
            let success: [(Duration, GenerationEvent)] = [
                (.zero, .requestSent), (.milliseconds(1), .responseHead(status: 200)),
                (.milliseconds(20), .text("a", channel: .answer)), (.milliseconds(10), .text("b", channel: .answer)),
                (.milliseconds(1), .finish(.stop)), (.zero, .done),
            ]
            let scripted = ScriptedModelClient(attempts: [failed, failed, success])
            let client = RetryingModelClient(base: scripted, policy: RetryPolicy())
            let origin = ContinuousClock.now
            var assembler = RecordAssembler(
                origin: origin,
                template: blankRecord()
            )
            for await event in client.stream(GenerationRequest(model: "m", messages: [])) { assembler.consume(event) }
            let record = assembler.finish(endedAt: .now)
            #expect(scripted.calls.count.load(ordering: .relaxed) == 3)
            #expect(record.outcome == .success)
            #expect(record.attempts == 3)
            #expect(record.retriedErrors.map(\.kind) == [.rateLimited, .rateLimited])
            #expect(record.wasThrottled)
            // Two failed attempts of ~5 ms and two 30 ms waits come before the attempt that counts …
            #expect(record.retryTime >= .milliseconds(70))
            // … and TTFT is measured from that attempt's dispatch only.
            let ttft = try #require(record.timeToFirstToken)
            #expect(ttft >= .milliseconds(20) && ttft < .milliseconds(60), "TTFT \(ttft)")
            #expect(record.textChunks == 2)
        }

        @Test func exhaustedRetriesEndWithTheLastFailure() async {
            let throttle = ProviderError(.overloaded, "busy", httpStatus: 529, retryAfterSeconds: 0.001)
            let scripted = ScriptedModelClient(attempts: [[(.zero, .requestSent), (.zero, .failure(throttle))]])
            let client = RetryingModelClient(base: scripted, policy: RetryPolicy(maxRetries: 2))
            var assembler = RecordAssembler(
                origin: .now,
                template: blankRecord()
            )
            for await event in client.stream(GenerationRequest(model: "m", messages: [])) { assembler.consume(event) }
            let record = assembler.finish(endedAt: .now)
            #expect(scripted.calls.count.load(ordering: .relaxed) == 3)
            #expect(record.outcome == .failed && record.error?.kind == .overloaded)
            #expect(record.attempts == 3)
        }
    }
}

extension LiveTests {
    @Suite struct RetryLoopbackTests {
        @Test func simulatedRateLimitsAreRetriedAndStillReported() async throws {
            let configuration = SimulatorConfiguration(
                ttft: .milliseconds(2), itl: .zero, outputTokens: 4, seed: 5, faults: .init(rateLimited: 0.3),
                retryAfterSeconds: 0
            )
            let (report, stats) = try await withSimulator(configuration) { port, simulator in
                let report = try await BenchmarkRun.testRun(
                    spec: simulatorSpec(port: port) {
                        $0.maxRequests = 40
                        $0.outputTokens = 4
                    },
                    outputDirectory: nil
                )
                return (report, simulator.statistics)
            }
            let m = report.onlyStep
            #expect(stats.rateLimited > 5)
            #expect(stats.requests == 40 + stats.rateLimited)
            #expect(m.counts.succeeded + m.counts.failed == 40)
            #expect(m.retriedRequests > 0)
            #expect(m.counts.throttled >= m.retriedRequests)
            #expect((m.throttleRate ?? 0) > 0)
        }
    }
}
