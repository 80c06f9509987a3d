import BenchCore
import BenchMetrics
import BenchRunner
import Testing

@Suite struct RecordAssemblerTests {
    let origin = ContinuousClock.now

    func assemble(_ events: [(Double, GenerationEvent)], override: ProviderError? = nil) -> RequestRecord {
        let template = RequestRecord(
            id: 1, target: "t", step: 0, promptIndex: 1, scheduledAt: .zero, slotAcquiredAt: .zero, endedAt: .zero,
            outcome: .failed, requestedOutputTokens: 3, exactOutputRequested: true
        )
        var assembler = RecordAssembler(origin: origin, template: template)
        for (ms, event) in events {
            assembler.consume(StampedEvent(event, at: origin + .microseconds(Int64(ms * 1000))))
        }
        let end = origin + .microseconds(Int64(((events.last?.0 ?? 0) + 5) * 1000))
        return assembler.finish(endedAt: end, override: override)
    }

    @Test func completeStreamUsesUsageTokensAndEndsAtDone() {
        let r = assemble([
            (0, .requestSent), (2, .responseHead(status: 200)), (50, .text("Hi", channel: .answer)),
            (60, .text(" there", channel: .answer)), (70, .text(" friend", channel: .answer)), (71, .finish(.length)),
            (72, .usage(TokenUsage(inputTokens: 9, outputTokens: 3))), (73, .done),
        ])
        #expect(r.outcome == .success)
        #expect(r.outputTokens == 3 && r.outputTokenSource == .usage)
        #expect(r.endedAt == .milliseconds(73))
        #expect(r.timeToFirstToken == .milliseconds(50))
        #expect(r.outputWords == 3 && r.outputCharacters == 15)
        #expect(r.httpStatus == 200 && r.finishReason == .length)
        #expect(r.outputHash.count == 16)
    }

    @Test func streamWithoutTerminalEventIsTruncated() {
        let r = assemble([(0, .requestSent), (1, .responseHead(status: 200)), (10, .text("a", channel: .answer))])
        #expect(r.outcome == .failed)
        #expect(r.error?.kind == .truncated)
        #expect(r.outputTokens == 1 && r.outputTokenSource == .chunks)
    }

    @Test func usageWithoutTextIsAMismatchButToolCallsAreNot() {
        let usage = GenerationEvent.usage(TokenUsage(inputTokens: 9, outputTokens: 18))
        let mismatch = assemble([
            (0, .requestSent), (1, .responseHead(status: 200)), (5, .finish(.stop)), (6, usage), (7, .done),
        ])
        #expect(mismatch.outcome == .failed && mismatch.error?.kind == .decoding)
        #expect(mismatch.error?.message.contains("18 output tokens") == true)
        let tools = assemble([(0, .requestSent), (5, .finish(.toolCalls)), (6, usage), (7, .done)])
        #expect(tools.outcome == .success)
        // No usage either: an empty answer, not a mismatch.
        #expect(assemble([(0, .requestSent), (5, .finish(.stop)), (7, .done)]).outcome == .success)
    }

    @Test func failureEventMakesAFailedRecord() {
        let r = assemble([(0, .requestSent), (1, .failure(ProviderError(.server, "boom", httpStatus: 500)))])
        #expect(r.outcome == .failed && r.error?.httpStatus == 500)
    }

    @Test func overrideReplacesACancellation() {
        let r = assemble(
            [(0, .requestSent), (5, .failure(ProviderError(.cancelled, "cancelled")))],
            override: ProviderError(.timeout, "too slow")
        )
        #expect(r.outcome == .failed && r.error?.kind == .timeout)
        let cancelled = assemble([(0, .requestSent), (5, .failure(ProviderError(.cancelled, "cancelled")))])
        #expect(cancelled.outcome == .cancelled)
    }

    @Test func identicalTextGivesIdenticalHash() {
        let a = assemble([(0, .text("same", channel: .answer)), (1, .done)])
        let b = assemble([(0, .text("sa", channel: .answer)), (1, .text("me", channel: .answer)), (2, .done)])
        let c = assemble([(0, .text("other", channel: .answer)), (1, .done)])
        #expect(a.outputHash == b.outputHash)
        #expect(a.outputHash != c.outputHash)
    }
}
