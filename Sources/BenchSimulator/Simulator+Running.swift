import Logging

extension Simulator {
    /// Runs a simulator of `configuration` on a free loopback port (its `port` is ignored) for the duration of
    /// `body`, which gets the port and the simulator, then stops it. Logs nothing below critical.
    public static func withRunning<T: Sendable>(
        _ configuration: SimulatorConfiguration,
        _ body: @Sendable (_ port: Int, _ simulator: Simulator) async throws -> T
    ) async throws -> T {
        var configuration = configuration
        configuration.port = 0
        var logger = Logger(label: "llmbench.simulator")
        logger.logLevel = .critical
        let simulator = Simulator(configuration: configuration, logger: logger)
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                try await simulator.run { continuation.yield($0) }
                return nil
            }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else { throw CancellationError() }
            defer { group.cancelAll() }
            return try await body(port, simulator)
        }
    }
}
