import BenchCore
import BenchSimulator
import BenchStore
import Foundation
import NIOHTTP1
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `llmbench serve` as a real process: killed with SIGKILL mid-run and restarted, and scanned for planted keys.
extension LiveTests {
    @Suite struct ServerProcessTests {
        /// A running `llmbench serve` process, its log file and port.
        struct ServeProcess {
            let process: Process
            let log: URL
            let server: TestServer

            /// Starts the server on a free port over `dataDirectory` (SQLite unless `arguments` say otherwise), with
            /// 2-second leases, logging to `log`.
            static func start(
                dataDirectory: URL, log: URL, environment: [String: String] = [:], arguments: [String] = []
            ) async throws -> ServeProcess {
                FileManager.default.createFile(atPath: log.path, contents: nil)
                let output = try FileHandle(forWritingTo: log)
                output.seekToEndOfFile()
                let process = Process()
                process.executableURL = CLITests.executable
                process.arguments =
                    ["serve", "--port", "0", "--data-dir", dataDirectory.path, "--lease-seconds", "2"] + arguments
                process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
                    .merging(["LLMBENCH_TOKEN": TestServer.defaultToken]) { $1 }
                process.standardOutput = output
                process.standardError = output
                try process.run()
                let deadline = ContinuousClock.now + .seconds(30)
                while ContinuousClock.now < deadline {
                    let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
                    if let range = text.range(
                        of: #"listening on http://127\.0\.0\.1:(\d+)"#, options: .regularExpression),
                        let port = Int(text[range].split(separator: ":").last ?? "")
                    {
                        return ServeProcess(
                            process: process, log: log,
                            server: TestServer(port: port, token: TestServer.defaultToken, dataDirectory: dataDirectory)
                        )
                    }
                    try await Task.sleep(for: .milliseconds(50))
                }
                process.terminate()
                throw CocoaError(.fileReadCorruptFile, userInfo: [NSLocalizedDescriptionKey: "serve did not start"])
            }

            func kill() {
                Glibc.kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
            }
        }

        /// Starts `llmbench worker` on a shared database, logging to `log`.
        static func startWorker(database: String, log: URL) throws -> Process {
            FileManager.default.createFile(atPath: log.path, contents: nil)
            let output = try FileHandle(forWritingTo: log)
            let process = Process()
            process.executableURL = CLITests.executable
            process.arguments = [
                "worker", "--database", database, "--lease-seconds", "2", "--max-concurrent-units", "1",
            ]
            process.standardOutput = output
            process.standardError = output
            try process.run()
            return process
        }

        static func scratch() throws -> URL {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("llmbench-proc-\(UUID())")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            return directory
        }

        @Test func aRunSurvivesKill9AndResumesWithEveryRequestExactlyOnce() async throws {
            let scratch = try Self.scratch()
            defer { try? FileManager.default.removeItem(at: scratch) }
            let data = scratch.appendingPathComponent("data")
            let slow = SimulatorConfiguration(ttft: .milliseconds(30), itl: .milliseconds(5), outputTokens: 10)
            try await withSimulator(slow) { simPort, simulator in
                let first = try await ServeProcess.start(
                    dataDirectory: data, log: scratch.appendingPathComponent("1.log"))
                let id = try await first.server.submit(
                    simulatorRunSpec(port: simPort, requests: 60, concurrency: [2], outputTokens: 10))
                // Kill it once a quarter of the requests are stored.
                let deadline = ContinuousClock.now + .seconds(30)
                while ContinuousClock.now < deadline {
                    let done =
                        try await first.server.request(.GET, "/v1/runs/\(id)").json?["progress"]?["done"]?.integer ?? 0
                    if done >= 15 { break }
                    try await Task.sleep(for: .milliseconds(20))
                }
                first.kill()
                let sentBeforeKill = simulator.statistics.requests
                #expect(sentBeforeKill < 60, "the run must be interrupted mid-way")

                let second = try await ServeProcess.start(
                    dataDirectory: data, log: scratch.appendingPathComponent("2.log"))
                defer { second.kill() }
                let run = try await second.server.waitForEnd(id)
                #expect(run["status"] == .string("succeeded"), "\(run)")
                let lines = try await second.server.request(.GET, "/v1/runs/\(id)/records?limit=1000").body
                let records = try lines.split(separator: "\n").map {
                    try JSONDecoder().decode(RequestRecord.self, from: Data($0.utf8))
                }
                #expect(records.map(\.id) == Array(0..<60), "every request exactly once")
                #expect(records.allSatisfy { $0.outcome == .success })
                #expect(Set(records.map(\.segment)) == [0, 1])
                // Only the requests in flight at the kill (at most the concurrency) were sent twice.
                let sent = simulator.statistics.requests
                #expect(sent >= 60 && sent <= 62, "sent \(sent)")
                let report = try await second.server.request(.GET, "/v1/runs/\(id)/report?format=json")
                #expect(report.body.contains("2 segments"))
            }
        }

        @Test(.enabled(if: StoreKind.available.contains(.postgres), "needs PostgreSQL"))
        func twoWorkersOnPostgresOneKilledFinishEveryRunWithEveryRequestOnce() async throws {
            let scratch = try Self.scratch()
            defer { try? FileManager.default.removeItem(at: scratch) }
            let serverURL = try #require(StoreKind.postgresURL)
            let slow = SimulatorConfiguration(ttft: .milliseconds(30), itl: .milliseconds(5), outputTokens: 10)
            try await StoreKind.withScratchDatabase(serverURL: serverURL) { database in
                try await withSimulator(slow) { simPort, simulator in
                    // The API alone, and two workers doing the work.
                    let api = try await ServeProcess.start(
                        dataDirectory: scratch.appendingPathComponent("api"),
                        log: scratch.appendingPathComponent("api.log"),
                        arguments: ["--database", database, "--max-concurrent-units", "0"])
                    defer { api.kill() }
                    let doomed = try Self.startWorker(database: database, log: scratch.appendingPathComponent("w1.log"))
                    let survivor = try Self.startWorker(
                        database: database, log: scratch.appendingPathComponent("w2.log"))
                    defer {
                        for worker in [doomed, survivor] where worker.isRunning {
                            Glibc.kill(worker.processIdentifier, SIGKILL)
                            worker.waitUntilExit()
                        }
                    }
                    var ids: [String] = []
                    for _ in 0..<2 {
                        ids.append(
                            try await api.server.submit(
                                simulatorRunSpec(port: simPort, requests: 20, concurrency: [1, 2], outputTokens: 10)))
                    }
                    // Both workers are busy once both runs have progress; then one dies.
                    let deadline = ContinuousClock.now + .seconds(30)
                    while ContinuousClock.now < deadline {
                        var started = 0
                        for id in ids {
                            let done =
                                try await api.server.request(.GET, "/v1/runs/\(id)").json?["progress"]?["done"]?.integer
                                ?? 0
                            if done >= 3 { started += 1 }
                        }
                        if started == 2 { break }
                        try await Task.sleep(for: .milliseconds(20))
                    }
                    Glibc.kill(doomed.processIdentifier, SIGKILL)
                    doomed.waitUntilExit()
                    for id in ids {
                        let run = try await api.server.waitForEnd(id, timeout: .seconds(60))
                        #expect(run["status"] == .string("succeeded"), "\(run)")
                        let body = try await api.server.request(.GET, "/v1/runs/\(id)/records?limit=1000").body
                        let records = try body.split(separator: "\n").map {
                            try JSONDecoder().decode(RequestRecord.self, from: Data($0.utf8))
                        }
                        #expect(records.map(\.id) == Array(0..<40), "every request of \(id) exactly once")
                        #expect(records.allSatisfy { $0.outcome == .success })
                    }
                    // The killed worker's unit was taken over; at most its in-flight requests were sent twice.
                    let runIDs = ids
                    let takenOver = try await PostgresDatabase.withDatabase(url: database) { postgres in
                        var units: [WorkUnit] = []
                        for id in runIDs { units += try await SQLRunStore(database: postgres).units(runID: id) }
                        return units.filter { $0.attempts > 1 }.count
                    }
                    #expect(takenOver >= 1)
                    let sent = simulator.statistics.requests
                    #expect(sent >= 80 && sent <= 82, "sent \(sent)")
                }
            }
        }

        @Test func plantedKeysReachNoResponseLogOrDatabase() async throws {
            let scratch = try Self.scratch()
            defer { try? FileManager.default.removeItem(at: scratch) }
            let data = scratch.appendingPathComponent("data")
            let wrongKey = "sk-planted-wrong-key-0123456789abcdef"
            let rightKey = "sk-planted-right-key-fedcba9876543210"
            let guarded = SimulatorConfiguration(
                ttft: .milliseconds(1), itl: .zero, outputTokens: 4, requiredAPIKey: rightKey)
            try await withSimulator(guarded) { simPort, _ in
                let serve = try await ServeProcess.start(
                    dataDirectory: data, log: scratch.appendingPathComponent("serve.log"),
                    environment: ["LLMBENCH_WRONG_KEY": wrongKey, "LLMBENCH_RIGHT_KEY": rightKey])
                defer { serve.kill() }
                var responses: [String] = []
                func spec(_ variable: String) -> String {
                    """
                    {"targets":[{"name":"sim","base_url":"http://127.0.0.1:\(simPort)/v1","model":"sim","api_key_env":"\(variable)"}],
                     "load":{"concurrency":[1],"requests":2},"prompts":{"output_tokens":4}}
                    """
                }
                var ids: [String] = []
                for variable in ["LLMBENCH_WRONG_KEY", "LLMBENCH_RIGHT_KEY"] {
                    let reply = try await serve.server.request(.POST, "/v1/runs", body: spec(variable), auth: true)
                    responses.append(reply.body)
                    ids.append(try #require(reply.json?["id"]?.string))
                }
                let failed = try await serve.server.waitForEnd(ids[0])
                let succeeded = try await serve.server.waitForEnd(ids[1])
                #expect(succeeded["summary"]?.array?.first?["succeeded"] == .number(2), "\(succeeded)")
                #expect(failed["summary"]?.array?.first?["failed"] == .number(2), "\(failed)")
                for id in ids {
                    for path in [
                        "", "/records", "/report?format=json", "/report?format=md", "/report?format=csv",
                        "/report?format=html", "/events",
                    ] {
                        responses.append(try await serve.server.request(.GET, "/v1/runs/\(id)\(path)").body)
                    }
                }
                for path in ["/v1/runs", "/metrics", "/v1/compare?runs=\(ids[0]),\(ids[1])"] {
                    responses.append(try await serve.server.request(.GET, path).body)
                }
                // The 401 is recorded, with the provider's message (which echoed the key) redacted.
                #expect(responses.joined().contains("authentication"))
                serve.kill()
                var haystacks = responses
                haystacks.append(try String(contentsOf: serve.log, encoding: .utf8))
                for file in try FileManager.default.contentsOfDirectory(atPath: data.path) {
                    let bytes = try Data(contentsOf: data.appendingPathComponent(file))
                    haystacks.append(String(decoding: bytes, as: UTF8.self))
                }
                for key in [wrongKey, rightKey] {
                    for (index, text) in haystacks.enumerated() {
                        #expect(!text.contains(key), "haystack \(index) holds a planted key")
                        #expect(
                            !text.contains(String(key.suffix(12))), "haystack \(index) holds the end of a planted key")
                    }
                }
            }
        }
    }
}
