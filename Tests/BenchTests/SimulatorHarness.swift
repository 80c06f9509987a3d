import BenchEngine
import BenchProviders
import BenchCore
import BenchMetrics
import BenchReport
import BenchSimulator
import Foundation

/// Runs a simulator on a free loopback port for the duration of `body`.
func withSimulator<T: Sendable>(
    _ configuration: SimulatorConfiguration,
    _ body: @Sendable (_ port: Int, _ simulator: Simulator) async throws -> T
) async throws -> T {
    try await Simulator.withRunning(configuration, body)
}

/// A spec for one simulator target.
func simulatorSpec(port: Int, _ adjust: (inout BenchSpec) -> Void = { _ in }) -> BenchSpec {
    var spec = BenchSpec()
    spec.targets = [BenchSpec.Target(name: "sim", baseURL: "http://127.0.0.1:\(port)/v1", model: "sim")]
    spec.inputTokens = 16
    spec.readTimeout = .seconds(10)
    spec.requestTimeout = .seconds(30)
    adjust(&spec)
    return spec
}

extension BenchmarkReport {
    var onlyStep: StepSummary { targets[0].steps[0].metrics }
}

/// Runs `body` with an engine of its own, as a command does: its HTTP client allows `connections` per host and is
/// shut down (awaited) when `body` returns.
func withEngine<T: Sendable>(
    connections: Int = 256, maxInFlightPerEndpoint: Int? = nil,
    environment: [String: String] = ProcessInfo.processInfo.environment, targetGuard: TargetGuard? = nil,
    _ body: (Engine) async throws -> T
) async throws -> T {
    var configuration = Engine.Configuration(
        connectionsPerHost: connections, maxInFlightPerEndpoint: maxInFlightPerEndpoint, environment: environment)
    configuration.targetGuard = targetGuard
    return try await Engine.withRunning(configuration, body)
}

extension BenchmarkRun {
    /// Runs `spec` as `llmbench bench` does, through an engine of its own sized from the spec.
    static func testRun(
        spec: BenchSpec, outputDirectory: URL?, environment: [String: String] = ProcessInfo.processInfo.environment,
        log: @escaping @Sendable (String) -> Void = { _ in }
    ) async throws -> BenchmarkReport {
        try await withEngine(connections: Engine.connections(for: spec), environment: environment) { engine in
            try await BenchmarkRun(spec: spec, engine: engine, outputDirectory: outputDirectory, log: log).run()
        }
    }
}
