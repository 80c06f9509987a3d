public import BenchCore

/// The client/server split, for endpoints that report their own timings (llama.cpp `timings`): how llmbench's
/// measurements compare with the server's view of the same requests.
///
/// - `server_decode_tps`: the server's `predicted_per_second` per request.
/// - `client_to_server_decode_ratio`: per request, llmbench's decode speed ÷ the server's; 1.0 means the client saw
///   tokens arrive exactly as fast as the server produced them.
/// - `ttft_outside_server_ms`: per request, TTFT − the server's `prompt_ms`: network, queueing for a server slot,
///   HTTP handling and client time — everything TTFT contains that is not prompt processing.
/// - `usage_matches_server`: requests whose usage output tokens equal the server's `predicted_n`.
public struct ServerTimingSummary: Sendable, Hashable, Codable {
    public var requests: Int
    public var serverDecodeTps: DistributionSummary
    public var clientToServerDecodeRatio: DistributionSummary
    public var ttftOutsideServerMs: DistributionSummary
    public var usageMatchesServer: Int

    /// The split over successful records that carry server timings, or nil when none does.
    public init?(records: [RequestRecord]) {
        let timed = records.filter { $0.outcome == .success && $0.serverTimings != nil }
        guard !timed.isEmpty else { return nil }
        requests = timed.count
        serverDecodeTps = DistributionSummary(timed.compactMap { $0.serverTimings?.predictedPerSecond })
        clientToServerDecodeRatio = DistributionSummary(
            timed.compactMap { record in
                guard let client = record.decodeTokensPerSecond, let server = record.serverTimings?.predictedPerSecond,
                    server > 0
                else { return nil }
                return client / server
            }
        )
        ttftOutsideServerMs = DistributionSummary(
            timed.compactMap { record in
                guard let ttft = record.timeToFirstToken, let prompt = record.serverTimings?.promptMilliseconds else {
                    return nil
                }
                return ttft.milliseconds - prompt
            }
        )
        usageMatchesServer =
            timed.filter {
                $0.usage?.outputTokens != nil && $0.usage?.outputTokens == $0.serverTimings?.predictedTokens
            }.count
    }

    enum CodingKeys: String, CodingKey {
        case requests
        case serverDecodeTps = "server_decode_tps"
        case clientToServerDecodeRatio = "client_to_server_decode_ratio"
        case ttftOutsideServerMs = "ttft_outside_server_ms"
        case usageMatchesServer = "usage_matches_server"
    }
}
