import ArgumentParser
import BenchApp
import BenchEngine
import Foundation
import Logging

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the benchmarking service: the HTTP API, with runs that survive restarts.",
        discussion: """
            Runs are stored in SQLite (the data folder's llmbench.sqlite) or, with --database postgres://…, in \
            PostgreSQL. A run interrupted by a crash or kill resumes at the next start without redoing or losing \
            finished requests. Mutating requests need the bearer token: --token, $LLMBENCH_TOKEN, or one generated on \
            first start (printed once, kept in the data folder's `token` file, mode 0600). The API is described at \
            /openapi.json and /docs.
            """
    )

    @Option(help: "Address to listen on (default 127.0.0.1: loopback only).")
    var host = "127.0.0.1"
    @Option(help: "Port to listen on; 0 picks a free one.")
    var port = 8088
    @Option(help: "Data folder (default: $LLMBENCH_DATA, else ~/.local/share/llmbench).")
    var dataDir: String?
    @Option(help: "`memory`, an SQLite file, or a postgres:// URL (default: llmbench.sqlite in the data folder).")
    var database: String?
    @Option(help: "Units of work (a target's load step) executed at once; 0 serves the API only (workers do the work).")
    var maxConcurrentUnits = 2
    @Option(help: "Seconds a unit stays claimed without a heartbeat before another worker may take it over.")
    var leaseSeconds = 15.0
    @Option(help: "At most this many requests in flight to one endpoint across all runs this process executes.")
    var maxInFlightPerEndpoint: Int?
    @Option(help: "The most requests one step or quality task of a run may keep in flight; larger runs are refused.")
    var maxRunConcurrency = ServiceProcess.defaultMaxRunConcurrency
    @Flag(inversion: .prefixedNo, help: "Measure the client's ceiling on this host at start (cached per version).")
    var calibration = true
    @Flag(help: "Allow targets on link-local and cloud-metadata addresses (169.254.0.0/16, fe80::/10).")
    var allowLinkLocalTargets = false
    @Option(help: "Largest request body accepted, in bytes.")
    var maxBodyBytes = 1 << 20

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
