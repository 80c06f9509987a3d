import ArgumentParser
import BenchEngine
import BenchReport
import Foundation

/// `llmbench calibrate`: measures the client's own ceiling on this host and stores it for the runs that follow.
struct Calibrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Measure llmbench's own ceiling on this host (streams, chunks/s, TTFT overhead) against a zero-latency simulator.",
        discussion: """
            bench, serve and worker measure it on first use and keep it for 30 days per host and version; this \
            command measures again (after a hardware or load change) and prints it. Every step of every report is \
            compared with it: a step reading 80 % of the ceiling's chunk rate is stamped client-bound.
            """
    )

    @Flag(help: "Print the ceiling as JSON.")
    var json = false

    func run() async throws {
        let json = self.json
        let ceiling = try await Engine.withRunning(.init(connectionsPerHost: HarnessCalibration.streams)) { engine in
            try await HarnessCalibration.measure(engine: engine, log: { json ? Console.status($0) : Console.info($0) })
        }
        try HarnessCalibration.store(ceiling, in: HarnessCalibration.cacheFolder())
        if json {
            print(try Console.json(ceiling))
        } else {
            Console.info(HarnessCeilingText.describe(ceiling))
        }
    }
}
