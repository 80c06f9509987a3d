import ArgumentParser
import BenchApp
import Foundation
import Logging

struct Worker: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Execute queued runs from a shared PostgreSQL store, beside `llmbench serve` and other workers.",
        discussion: """
            Claims units of work (a target's load step; FOR UPDATE SKIP LOCKED), holds them under a lease it renews, \
            and hands them back on SIGINT/SIGTERM. A unit whose worker died returns to the queue when its lease ends \
            and resumes from its stored records on another worker. API keys are read from this machine's \
            environment, by the variable names the run names.
            """
    )

    @Option(help: "The store: a postgres:// URL (an SQLite file works for a single machine).")
    var database: String
    @Option(parsing: .unconditional, help: "Units executed at once.")
    var maxConcurrentUnits = 2
    @Option(
        parsing: .unconditional,
        help: "Seconds a unit stays claimed without a heartbeat before another worker may take it over.")
    var leaseSeconds = 15.0
    @Option(
        parsing: .unconditional,
        help: "At most this many requests in flight to one endpoint across all runs this process executes.")
    var maxInFlightPerEndpoint: Int?
    @Option(help: "The most requests one step of a run may keep in flight (the server's --max-run-concurrency).")
    var maxRunConcurrency = ServiceProcess.defaultMaxRunConcurrency
    @Flag(inversion: .prefixedNo, help: "Measure the client's ceiling on this host at start (cached per version).")
    var calibration = true
    @Flag(help: "Allow targets on link-local and cloud-metadata addresses (169.254.0.0/16, fe80::/10).")
    var allowLinkLocalTargets = false

    func validate() throws {
        try FlagRange.atLeast("--max-concurrent-units", maxConcurrentUnits, 1)
        try FlagRange.above("--lease-seconds", leaseSeconds, 0)
        try FlagRange.atLeast("--max-in-flight-per-endpoint", maxInFlightPerEndpoint, 1)
    }

    func run() async throws {
        var logger = Logger(label: "llmbench.worker")
        logger.logLevel = .warning
        try await WorkerProcess(
            database: database, maxConcurrentUnits: maxConcurrentUnits, lease: .seconds(leaseSeconds),
            maxInFlightPerEndpoint: maxInFlightPerEndpoint, maxRunConcurrency: maxRunConcurrency,
            calibrate: calibration, allowLinkLocalTargets: allowLinkLocalTargets, logger: logger
        ).run { name in
            Console.info("llmbench worker \(name) working on \(Self.redacted(database))")
        }
    }

    /// The database URL without its password.
    static func redacted(_ url: String) -> String {
        guard var parts = URLComponents(string: url), parts.password != nil else { return url }
        parts.password = "***"
        return parts.string ?? url
    }
}
