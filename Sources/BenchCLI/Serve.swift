import ArgumentParser
import BenchApp
import BenchCore
import BenchEngine
import Foundation
import Logging

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the benchmarking service: the HTTP API, with runs that survive restarts.",
        discussion: """
            Runs are stored in SQLite (the data folder's llmbench.sqlite) or, with --database postgres://…, in \
            PostgreSQL. A run interrupted by a crash or kill resumes at the next start without redoing or losing \
            finished requests. Mutating requests need the bearer token: --token file:PATH or env:NAME, $LLMBENCH_TOKEN, \
            or one generated on \
            first start (printed once, kept in the data folder's `token` file, mode 0600). The API is described at \
            /openapi.json and /docs.
            """
    )

    @Option(help: "Address to listen on (default 127.0.0.1: loopback only).")
    var host = "127.0.0.1"
    @Option(parsing: .unconditional, help: "Port to listen on; 0 picks a free one.")
    var port = 8088
    @Option(help: "Data folder (default: $LLMBENCH_DATA, else ~/.local/share/llmbench).")
    var dataDir: String?
    @Option(help: "`memory`, an SQLite file, or a postgres:// URL (default: llmbench.sqlite in the data folder).")
    var database: String?
    @Option(
        parsing: .unconditional,
        help: "Units of work (a target's load step) executed at once; 0 serves the API only (workers do the work).")
    var maxConcurrentUnits = 2
    @Option(
        parsing: .unconditional,
        help: "Seconds a unit stays claimed without a heartbeat before another worker may take it over.")
    var leaseSeconds = 15.0
    @Option(
        parsing: .unconditional,
        help: "At most this many requests in flight to one endpoint across all runs this process executes.")
    var maxInFlightPerEndpoint: Int?
    @Option(help: "The most requests one step or quality task of a run may keep in flight; larger runs are refused.")
    var maxRunConcurrency = ServiceProcess.defaultMaxRunConcurrency
    @Flag(inversion: .prefixedNo, help: "Measure the client's ceiling on this host at start (cached per version).")
    var calibration = true
    @Flag(help: "Allow targets on link-local and cloud-metadata addresses (169.254.0.0/16, fe80::/10).")
    var allowLinkLocalTargets = false
    @Option(parsing: .unconditional, help: "Largest request body accepted, in bytes.")
    var maxBodyBytes = 1 << 20
    @Option(
        help: """
            Where the bearer token is: file:PATH (its first line) or env:NAME (a variable). Never the token itself: \
            a command line is visible to every user of the machine. It is never printed.
            """)
    var token: String?

    /// The token `--token` points at.
    /// - Throws: `ValidationError` naming the flag when the source is malformed, missing or empty.
    static func readToken(_ source: String, environment: [String: String]) throws -> String {
        let value: String?
        if source.hasPrefix("file:") {
            let path = String(source.dropFirst(5))
            do {
                value = try String(contentsOfFile: path, encoding: .utf8).split(whereSeparator: \.isNewline).first
                    .map { $0.trimmingCharacters(in: .whitespaces) }
            } catch {
                throw ValidationError("--token: cannot read \(path): \(FileProblem.reason(error))")
            }
        } else if source.hasPrefix("env:") {
            let name = String(source.dropFirst(4))
            guard let variable = environment[name] else {
                throw ValidationError("--token: the variable \(name) is not set")
            }
            value = variable.trimmingCharacters(in: .whitespacesAndNewlines)
        } else {
            throw ValidationError(
                "--token takes file:PATH or env:NAME, not the token itself (a command line is visible to every user)")
        }
        guard let value, !value.isEmpty else { throw ValidationError("--token: \(source) holds an empty token") }
        return value
    }

    func validate() throws {
        try FlagRange.port("--port", port)
        try FlagRange.atLeast("--max-concurrent-units", maxConcurrentUnits, 0)
        try FlagRange.above("--lease-seconds", leaseSeconds, 0)
        try FlagRange.atLeast("--max-in-flight-per-endpoint", maxInFlightPerEndpoint, 1)
        try FlagRange.atLeast("--max-body-bytes", maxBodyBytes, 1_024)
        if let token { _ = try Self.readToken(token, environment: ProcessInfo.processInfo.environment) }
    }

    func run() async throws {
        var options = ServiceProcess.Options(
            dataDirectory: dataDir.map { URL(fileURLWithPath: $0) } ?? DataDirectory.url())
        options.host = host
        options.port = port
        options.database = database
        options.maxConcurrentUnits = maxConcurrentUnits
        options.lease = .seconds(leaseSeconds)
        options.maxInFlightPerEndpoint = maxInFlightPerEndpoint
        options.maxRunConcurrency = maxRunConcurrency
        options.calibrate = calibration
        options.allowLinkLocalTargets = allowLinkLocalTargets
        options.maxBodyBytes = maxBodyBytes
        options.token = try token.map { try Self.readToken($0, environment: ProcessInfo.processInfo.environment) }
        var logger = Logger(label: "llmbench.server")
        logger.logLevel = .warning
        let host = self.host
        try await ServiceProcess(options: options, logger: logger).run { started in
            Console.info("llmbench serve listening on http://\(host):\(started.port) (API reference: /docs)")
            if let token = started.generatedToken, let file = started.tokenFile {
                Console.info("bearer token (shown once; kept in \(file.path)): \(token)")
            }
        }
    }
}
