import BenchApp
import BenchCore
import BenchMetrics
import BenchReport
import BenchSimulator

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
