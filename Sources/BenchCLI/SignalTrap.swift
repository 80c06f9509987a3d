import BenchLocal
import Dispatch
import Foundation

/// Runs `body`; if SIGINT or SIGTERM arrives meanwhile, stops the local server before exiting, so no orphan
/// llama-server outlives llmbench.
func withServerStoppedOnSignal<T: Sendable>(_ server: LocalServer, _ body: () async throws -> T) async throws -> T {
    let sources = [SIGINT, SIGTERM].map { number -> any DispatchSourceSignal in
        signal(number, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
        source.setEventHandler {
            server.stop()
            Console.error("interrupted; llama-server stopped")
            exit(130)
        }
        source.resume()
        return source
    }
    defer {
        for source in sources { source.cancel() }
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }
    return try await body()
}
