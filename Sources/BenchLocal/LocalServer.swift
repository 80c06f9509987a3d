import BenchCore
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A running `llama-server`, as recorded in the cache's run folder.
public struct LocalServerState: Sendable, Hashable, Codable {
    public var pid: Int32
    public var port: Int
    public var threads: Int
    public var parallel: Int
    public var contextSize: Int
    public var startedAt: String

    /// The OpenAI-compatible API root.
    public var baseURL: String { "http://127.0.0.1:\(port)/v1" }

    enum CodingKeys: String, CodingKey {
        case pid, port, threads, parallel
        case contextSize = "context_size"
        case startedAt = "started_at"
    }
}

/// Starts, finds and stops the local `llama-server` serving the default model on loopback.
public struct LocalServer: Sendable {
    public let paths: LocalModelPaths

    public init(paths: LocalModelPaths = LocalModelPaths()) {
        self.paths = paths
    }

    /// Threads for the server: one fewer than the cores (at least 1), because llama.cpp's synchronised worker
    /// threads slow down 10–20× when a benchmark client competes with them for every core.
    public static var defaultThreads: Int { max(1, ProcessInfo.processInfo.activeProcessorCount - 1) }

    /// Starts the server and waits until `isHealthy` says its `/health` answers. The probe is injected so this module
    /// needs no HTTP client (the engine asks through the process's client), and the installer stays a small build.
    /// - Parameters:
    ///   - port: the port, or nil for a free one.
    ///   - parallel: request slots (`-np`); `contextSize` is split across them.
    ///   - detached: run in a session of its own, to outlive this process (`llmbench local start`).
    ///   - isHealthy: whether `GET http://127.0.0.1:<port>/health` answers 200.
    /// - Throws: ``LocalModelError`` when it is not installed, already running, or does not become healthy.
    public func start(
        port: Int? = nil, threads: Int = LocalServer.defaultThreads, parallel: Int = 4, contextSize: Int = 8192,
        detached: Bool = false, isHealthy: @Sendable (_ port: Int) async -> Bool
    ) async throws -> LocalServerState {
        guard LocalModelInstaller(paths: paths).isInstalled else {
            throw LocalModelError(
                step: "start", problem: "the local model is not installed", fix: "run `llmbench local install`")
        }
        if let running = status() {
            throw LocalModelError(
                step: "start", problem: "a server is already running (pid \(running.pid), \(running.baseURL))",
                fix: "use it, or run `llmbench local stop`"
            )
        }
        let port = try port ?? Self.freePort()
        try FileManager.default.createDirectory(
            at: paths.runState.deletingLastPathComponent(), withIntermediateDirectories: true)
        try? FileManager.default.removeItem(at: paths.serverLog)
        let arguments = [
            "-m", paths.model.path, "--host", "127.0.0.1", "--port", String(port), "-t", String(threads),
            "-c", String(contextSize), "-np", String(parallel), "--metrics", "--no-webui", "-a",
            LocalModelPins.modelAlias,
        ]
        let process = try ChildProcess.spawn(paths.serverBinary, arguments, log: paths.serverLog, newSession: detached)
        let state = LocalServerState(
            pid: process.pid, port: port, threads: threads, parallel: parallel, contextSize: contextSize,
            startedAt: ISO8601DateFormatter().string(from: Date())
        )
        try JSONEncoder().encode(state).write(to: paths.runState)
        do {
            try await waitUntilHealthy(state, process: process, isHealthy: isHealthy)
        } catch {
            stop()
            throw error
        }
        return state
    }

    private func waitUntilHealthy(
        _ state: LocalServerState, process: ChildProcess, isHealthy: @Sendable (_ port: Int) async -> Bool
    ) async throws {
        let deadline = ContinuousClock.now + .seconds(120)
        while ContinuousClock.now < deadline {
            guard process.exitStatus() == nil else {
                throw LocalModelError(
                    step: "start",
                    problem: "llama-server exited during start-up:\n"
                        + CommandRunner.tail(of: paths.serverLog, lines: 10),
                    fix: "full log: \(paths.serverLog.path)"
                )
            }
            if await isHealthy(state.port) { return }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw LocalModelError(
            step: "start", problem: "llama-server did not become healthy within 120 s",
            fix: "see \(paths.serverLog.path)")
    }

    /// The running server, if the recorded process is still alive.
    public func status() -> LocalServerState? {
        guard let data = try? Data(contentsOf: paths.runState),
            let state = try? JSONDecoder().decode(LocalServerState.self, from: data), Self.isAlive(state.pid)
        else { return nil }
        return state
    }

    /// Stops the recorded server: SIGTERM, then SIGKILL after 10 s. Synchronous, so signal handlers can call it.
    /// - Returns: whether a server was running.
    @discardableResult
    public func stop() -> Bool {
        defer { try? FileManager.default.removeItem(at: paths.runState) }
        guard let data = try? Data(contentsOf: paths.runState),
            let state = try? JSONDecoder().decode(LocalServerState.self, from: data), Self.isAlive(state.pid)
        else { return false }
        kill(state.pid, SIGTERM)
        let deadline = ContinuousClock.now + .seconds(10)
        while Self.isAlive(state.pid), ContinuousClock.now < deadline {
            _ = waitpid(state.pid, nil, WNOHANG)  // reaps it when it is our child; harmless otherwise
            usleep(20_000)
        }
        if Self.isAlive(state.pid) {
            kill(state.pid, SIGKILL)
            _ = waitpid(state.pid, nil, WNOHANG)
        }
        return true
    }

    /// Whether a process exists and is not a zombie.
    public static func isAlive(_ pid: Int32) -> Bool {
        guard pid > 0, kill(pid, 0) == 0 else { return false }
        // A child that has exited but was not reaped still answers kill(0): check its state.
        if let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        {
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            return fields.first != "Z"
        }
        return true
    }

    /// A port on 127.0.0.1 that was free a moment ago (bind to port 0, read it back, release it).
    static func freePort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw LocalModelError(step: "start", problem: "cannot open a socket") }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(descriptor, pointer, length) == 0 && getsockname(descriptor, pointer, &length) == 0
            }
        }
        guard bound else { throw LocalModelError(step: "start", problem: "cannot find a free port on 127.0.0.1") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
