import BenchLocal
import Foundation
import UnixSignals

/// Runs `body`; if SIGINT or SIGTERM arrives meanwhile, stops the local server before exiting, so no orphan
/// llama-server outlives llmbench.
func withServerStoppedOnSignal<T: Sendable>(
    _ server: LocalServer, _ body: @Sendable () async throws -> T
) async throws -> T {
    try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask {
            for await _ in await UnixSignalsSequence(trapping: .sigint, .sigterm) {
                server.stop()
                Console.error("interrupted; llama-server stopped")
                exit(130)
            }
            return nil
        }
        defer { group.cancelAll() }
        return try await body()
    }
}
