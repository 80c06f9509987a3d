import BenchCore
import BenchMetrics
import Testing

/// A successful record with the given instants in milliseconds from the run start.
func record(
    id: Int = 0, scheduled: Double = 0, slot: Double? = nil, dispatched: Double = 0, chunks: [Double],
    reasoningChunks: Int = 0, end: Double, tokens: Int? = nil, outcome: RequestOutcome = .success,
    error: ProviderError? = nil
) -> RequestRecord {
    let ms = { (value: Double) in Duration.microseconds(Int64(value * 1000)) }
    return RequestRecord(
        id: id, target: "t", step: 0, promptIndex: id, scheduledAt: ms(scheduled),
        slotAcquiredAt: ms(slot ?? scheduled),
        dispatchedAt: ms(dispatched), responseHeadAt: ms(dispatched), firstTokenAt: chunks.first.map(ms),
        firstAnswerAt: chunks.dropFirst(reasoningChunks).first.map(ms), lastTokenAt: chunks.last.map(ms),
        endedAt: ms(end), chunkTimes: chunks.map(ms), outcome: outcome, error: error,
        outputTokens: tokens ?? chunks.count, outputTokenSource: tokens == nil ? .chunks : .usage,
        textChunks: chunks.count, reasoningChunks: reasoningChunks
    )
}

/// A record with only its identity, as the executor hands it to the assembler.
func blankRecord() -> RequestRecord {
    RequestRecord(
        id: 0, target: "t", step: 0, promptIndex: 0, scheduledAt: .zero, slotAcquiredAt: .zero, endedAt: .zero,
        outcome: .failed
    )
}

@Suite struct PercentileTests {
    @Test func linearInterpolationMatchesHandComputedValues() {
        let values = [15.0, 20, 35, 40, 50]
        // h = (n−1)·p/100: p50 → h=2 → 35; p90 → h=3.6 → 40+0.6·10 = 46; p95 → 3.8 → 48; p99 → 3.96 → 49.6
        #expect(Percentile.linear(sorted: values, p: 50) == 35)
        #expect(abs(Percentile.linear(sorted: values, p: 90)! - 46) < 1e-9)
        #expect(abs(Percentile.linear(sorted: values, p: 95)! - 48) < 1e-9)
        #expect(abs(Percentile.linear(sorted: values, p: 99)! - 49.6) < 1e-9)
        #expect(Percentile.linear(sorted: [1, 2, 3, 4], p: 50) == 2.5)
        #expect(Percentile.linear(sorted: [7], p: 99) == 7)
        #expect(Percentile.linear(sorted: [], p: 50) == nil)
    }

    @Test func summaryHasSampleStandardDeviation() {
        let summary = DistributionSummary([2, 4, 4, 4, 5, 5, 7, 9])
        #expect(summary.count == 8)
        #expect(summary.mean == 5)
        // Σ(x−5)² = 32; sample variance 32/7.
        #expect(abs(summary.stdev! - (32.0 / 7).squareRoot()) < 1e-12)
        #expect(summary.min == 2 && summary.max == 9)
        #expect(summary.p50 == 4.5)
        let empty = DistributionSummary([])
        #expect(empty.count == 0 && empty.mean == nil && empty.p99 == nil)
    }
}

@Suite struct RequestMetricTests {
    @Test func perRequestMetricsFollowTheDefinitions() {
        // dispatched at 10 ms; chunks at 110, 130, 150, 190 ms; ended at 200 ms; usage says 5 tokens.
        let r = record(scheduled: 8, slot: 9, dispatched: 10, chunks: [110, 130, 150, 190], end: 200, tokens: 5)
        #expect(r.timeToFirstToken == .milliseconds(100))
        #expect(r.timeToFirstAnswer == .milliseconds(100))
        #expect(r.endToEndLatency == .milliseconds(190))
        #expect(r.interTokenLatency == .milliseconds(20))  // (190 − 110) / (5 − 1)
        #expect(abs(r.decodeTokensPerSecond! - 50) < 1e-9)  // 4 / 0.08 s
        #expect(r.chunkGaps == [.milliseconds(20), .milliseconds(20), .milliseconds(40)])
        #expect(r.maxChunkGap == .milliseconds(40))
        #expect(r.queueTime == .milliseconds(1))
        #expect(r.schedulerLag == .milliseconds(1))
    }

    @Test func reasoningChunksCountForTTFTButNotTTFA() {
        let r = record(dispatched: 0, chunks: [50, 60, 200, 210], reasoningChunks: 2, end: 220)
        #expect(r.timeToFirstToken == .milliseconds(50))
        #expect(r.timeToFirstAnswer == .milliseconds(200))
    }

    @Test func itlNeedsTwoTokens() {
        let r = record(chunks: [100], end: 120)
        #expect(r.interTokenLatency == nil)
        #expect(r.decodeTokensPerSecond == nil)
        #expect(r.maxChunkGap == nil)
    }
}

@Suite struct StepSummaryTests {
    @Test func ratesUseTheWindowAndFailuresCountInErrorRate() {
        let step = LoadStep(shape: .concurrency(users: 2), maxRequests: 4, warmup: .milliseconds(100))
        let records = [
            // Ends at 90 ms: inside warm-up, excluded.
            record(id: 0, chunks: [40, 50], end: 90, tokens: 2),
            record(id: 1, chunks: [200, 300], end: 600, tokens: 10),
            record(id: 2, chunks: [400, 500], end: 1100, tokens: 30),
            record(
                id: 3, chunks: [], end: 500, outcome: .failed,
                error: ProviderError(.rateLimited, "slow down", httpStatus: 429)
            ),
        ]
        let summary = StepSummary(
            records: records, step: step, objectives: ServiceLevelObjectives(ttftMs: 250)
        )
        // Step 0 → 1100 ms; window 100 → 1100 ms = 1.0 s.
        #expect(summary.window?.lengthS == 1.0)
        #expect(summary.counts.total == 4 && summary.counts.inWindow == 3)
        #expect(summary.counts.succeeded == 2 && summary.counts.failed == 1 && summary.counts.throttled == 1)
        #expect(summary.outputTps == 40)
        #expect(summary.requestRps == 2)
        #expect(summary.goodputRps == 1)  // only request 1 has TTFT ≤ 250 ms
        #expect(summary.errorRate == 1.0 / 3)
        #expect(summary.throttleRate == 1.0 / 3)
        #expect(summary.ttftMs.count == 2 && summary.ttftMs.p50 == 300)
        #expect(
            summary.errors == [
                StepSummary.ErrorGroup(kind: .rateLimited, httpStatus: 429, message: "slow down", count: 1)
            ])
        #expect(summary.maxInFlight == 4)  // all four were dispatched at 0 ms
    }

    @Test func cancelledRequestsCountInNoRate() {
        let step = LoadStep(shape: .concurrency(users: 1), maxDuration: .seconds(1))
        let records = [
            record(id: 0, chunks: [100, 200], end: 300),
            record(
                id: 1, dispatched: 300, chunks: [], end: 1000, outcome: .cancelled,
                error: ProviderError(.cancelled, "stop")),
        ]
        let summary = StepSummary(records: records, step: step, objectives: ServiceLevelObjectives())
        #expect(summary.counts.cancelled == 1)
        #expect(summary.errorRate == 0)
        #expect(summary.goodputRps == nil)
    }

    @Test func sloMissingMetricsFailExceptITL() {
        let slo = ServiceLevelObjectives(ttftMs: 1000, itlMs: 1)
        #expect(slo.isMet(by: record(chunks: [100], end: 150)))  // one token: no ITL, meets it
        #expect(!slo.isMet(by: record(chunks: [], end: 150)))  // no TTFT at all
        #expect(!slo.isMet(by: record(chunks: [100, 200], end: 250)))  // ITL 100 ms > 1 ms
    }
}
