import BenchCore
import BenchLocal
import BenchMetrics
public import BenchReport
import BenchRunner
import BenchSimulator
public import Foundation
import NIOCore
import NIOPosix

/// Measures the client's own ceiling on this host (``HarnessCeiling``) against an in-process simulator with zero
/// latency, and keeps it in the cache folder (`harness-ceiling.json`) so runs on the same host and version reuse it.
public enum HarnessCalibration {
    /// Concurrent streams of the throughput probe.
    public static let streams = 256
    /// The build configuration of this binary.
    #if DEBUG
    public static let build = "debug"
    #else
    public static let build = "release"
    #endif

    /// How long a measurement stays valid on the same host and version.
    public static let validity: TimeInterval = 30 * 24 * 3600

    /// Two probes against a zero-TTFT, zero-ITL simulator: 200 requests one at a time (16 tokens each) give the TTFT
    /// overhead; 1,536 requests over ``streams`` streams (128 tokens each) give the chunk rate.
    /// - Parameter engine: its HTTP client must allow `streams` connections per host.
    public static func measure(
        engine: Engine, streams: Int = streams, log: @escaping @Sendable (String) -> Void = { _ in }
    ) async throws -> HarnessCeiling {
        try await Simulator.withRunning(
            SimulatorConfiguration(port: 0, ttft: .zero, itl: .zero, outputTokens: 128)
        ) { port, _ in
            log("measuring the client's ceiling on this host (zero-latency simulator, in process)…")
            let overhead = try await probe(engine, port: port, concurrency: 1, requests: 200, tokens: 16)
            let throughput = try await probe(
                engine, port: port, concurrency: streams, requests: streams * 6, tokens: 128)
            for probe in [overhead, throughput] where probe.counts.failed > 0 || probe.counts.succeeded == 0 {
                throw CalibrationError(
                    description: "the calibration against the in-process simulator failed: "
                        + (probe.errors.first?.message ?? "no request succeeded"))
            }
            return HarnessCeiling(
                measuredAt: ISO8601DateFormatter().string(from: Date()), llmbenchVersion: BenchmarkRun.version,
                build: build, host: ProcessInfo.processInfo.hostName,
                cores: ProcessInfo.processInfo.activeProcessorCount,
                streams: throughput.maxInFlight, chunksPerS: throughput.client?.chunksPerS ?? throughput.outputTps ?? 0,
                ttftOverheadMs: overhead.ttftMs)
        }
    }

    private static func probe(_ engine: Engine, port: Int, concurrency: Int, requests: Int, tokens: Int) async throws
        -> StepSummary
    {
        var spec = BenchSpec()
        spec.targets = [BenchSpec.Target(name: "ceiling", baseURL: "http://127.0.0.1:\(port)/v1", model: "sim")]
        spec.shapes = [.concurrency(users: concurrency)]
        spec.maxRequests = requests
        spec.inputTokens = 8
        spec.outputTokens = tokens
        spec.retry = .none
        let report = try await BenchmarkRun(spec: spec, engine: engine, outputDirectory: nil).run()
        return report.targets[0].steps[0].metrics
    }

    /// The stored measurement when it was taken on this host by this version within ``validity``.
    public static func cached(in folder: URL) -> HarnessCeiling? {
        guard let data = try? Data(contentsOf: folder.appendingPathComponent("harness-ceiling.json")),
            let ceiling = try? JSONDecoder().decode(HarnessCeiling.self, from: data),
            ceiling.llmbenchVersion == BenchmarkRun.version, ceiling.build == build,
            ceiling.host == ProcessInfo.processInfo.hostName,
            ceiling.cores == ProcessInfo.processInfo.activeProcessorCount,
            let measured = ISO8601DateFormatter().date(from: ceiling.measuredAt),
            Date().timeIntervalSince(measured) < validity
        else { return nil }
        return ceiling
    }

    /// The cached ceiling, or a new measurement stored for the next runs (per host, version and build).
    public static func cachedOrMeasured(
        engine: Engine, log: @escaping @Sendable (String) -> Void = { _ in }
    ) async throws -> HarnessCeiling {
        let folder = cacheFolder(environment: engine.environment)
        if let ceiling = cached(in: folder) { return ceiling }
        let ceiling = try await measure(engine: engine, log: log)
        do {
            try store(ceiling, in: folder)
        } catch {
            log(
                "could not keep the client ceiling in \(folder.path) (\(error.localizedDescription)); measured again next time"
            )
        }
        return ceiling
    }

    /// A calibration that could not measure anything.
    public struct CalibrationError: Error, CustomStringConvertible {
        public var description: String
    }

    /// Where the measurement is kept: llmbench's cache folder.
    public static func cacheFolder(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        LocalModelPaths(environment: environment).root
    }

    /// Writes the measurement to the cache folder.
    public static func store(_ ceiling: HarnessCeiling, in folder: URL) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try PrettyJSON.write(ceiling, to: folder.appendingPathComponent("harness-ceiling.json"))
    }

    /// How long a job waits before the HTTP client's event loops run it, the worst over the loops. The engine's HTTP
    /// client uses the process-wide NIO event loop group, which this probes.
    @Sendable public static func eventLoopLag() async -> Duration? {
        var worst = Duration.zero
        for loop in MultiThreadedEventLoopGroup.singleton.makeIterator() {
            let submitted = ContinuousClock.now
            guard let ran = try? await loop.submit({ ContinuousClock.now }).get() else { return nil }
            worst = max(worst, ran - submitted)
        }
        return worst
    }
}
