import BenchCore
import BenchSimulator
import BenchStore
import Foundation
import NIOHTTP1
import Synchronization
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
                _ = FileManager.default.createFile(atPath: log.path, contents: nil)
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
            _ = FileManager.default.createFile(atPath: log.path, contents: nil)
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

        /// Every key path of a JSON document (array elements merged), for comparing report structures.
        static func keyPaths(_ value: JSONValue, _ prefix: String = "") -> Set<String> {
            switch value {
            case .object(let fields):
                return fields.reduce(into: Set([prefix])) { paths, field in
                    paths.formUnion(keyPaths(field.value, prefix + "/" + field.key))
                }
            case .array(let items):
                // A list of plain values (notes, reasons) is content, not structure.
                guard items.contains(where: { if case .object = $0 { true } else { false } }) else { return [prefix] }
                return items.reduce(into: Set([prefix])) { $0.formUnion(keyPaths($1, prefix + "/*")) }
            default:
                return [prefix]
            }
        }

        @Test(.enabled(if: StoreKind.available.contains(.postgres), "needs PostgreSQL"))
        func oneSpecGivesTheSameFiguresFromTheCLIServeAndTwoWorkers() async throws {
            let scratch = try Self.scratch()
            defer { try? FileManager.default.removeItem(at: scratch) }
            let serverURL = try #require(StoreKind.postgresURL)
            let slow = SimulatorConfiguration(ttft: .milliseconds(60), itl: .milliseconds(2), outputTokens: 8)
            let fast = SimulatorConfiguration(ttft: .milliseconds(30), itl: .milliseconds(1), outputTokens: 8)
            let reports = try await withSimulator(slow) { slowPort, _ in
                try await withSimulator(fast) { fastPort, _ in
                    // Two targets (one with its own price, one priced by the table's row), a sweep, a quality task.
                    let spec = """
                        {"targets": [
                           {"name": "slow", "base_url": "http://127.0.0.1:\(slowPort)/v1", "model": "sim",
                            "price": {"input": 1, "output": 4}},
                           {"name": "fast", "base_url": "http://127.0.0.1:\(fastPort)/v1", "model": "sim",
                            "price_model": "gpt-5.4-mini"}],
                         "load": {"concurrency": [1, 3], "requests": 6},
                         "prompts": {"input_tokens": 16, "output_tokens": 8},
                         "quality": [{"suite": "arithmetic", "limit": 5, "concurrency": 2}]}
                        """
                    var reports: [String: JSONValue] = [:]
                    // 1. The CLI.
                    let file = scratch.appendingPathComponent("spec.json")
                    try Data(spec.utf8).write(to: file)
                    let out = scratch.appendingPathComponent("cli")
                    let cli = try CLITests.run(["bench", file.path, "--out", out.path, "--quiet"])
                    #expect(cli.status == 0, "\(cli.stderr)")
                    reports["cli"] = try JSONParser.parse(
                        String(contentsOf: out.appendingPathComponent("report.json"), encoding: .utf8))
                    // 2. `serve` on SQLite.
                    let serve = try await ServeProcess.start(
                        dataDirectory: scratch.appendingPathComponent("sqlite"),
                        log: scratch.appendingPathComponent("serve.log"))
                    defer { serve.kill() }
                    let served = try await serve.server.submit(spec)
                    #expect(try await serve.server.waitForEnd(served)["status"] == .string("succeeded"))
                    reports["serve"] = try await serve.server.request(.GET, "/v1/runs/\(served)/report").json
                    // 3. The API alone and two workers, on PostgreSQL.
                    let workersReport = Mutex<JSONValue?>(nil)
                    try await StoreKind.withScratchDatabase(serverURL: serverURL) { database in
                        let api = try await ServeProcess.start(
                            dataDirectory: scratch.appendingPathComponent("api"),
                            log: scratch.appendingPathComponent("api.log"),
                            arguments: ["--database", database, "--max-concurrent-units", "0"])
                        defer { api.kill() }
                        let workers = try (1...2).map {
                            try Self.startWorker(database: database, log: scratch.appendingPathComponent("w\($0).log"))
                        }
                        defer {
                            for worker in workers where worker.isRunning {
                                Glibc.kill(worker.processIdentifier, SIGTERM)
                                worker.waitUntilExit()
                            }
                        }
                        let queued = try await api.server.submit(spec)
                        let run = try await api.server.waitForEnd(queued, timeout: .seconds(120))
                        #expect(run["status"] == .string("succeeded"), "\(run)")
                        let report = try await api.server.request(.GET, "/v1/runs/\(queued)/report").json
                        workersReport.withLock { $0 = report }
                    }
                    reports["workers"] = workersReport.withLock { $0 }
                    return reports
                }
            }
            let cli = try #require(reports["cli"])
            for (path, report) in reports {
                // The same structure, key for key.
                let difference = Self.keyPaths(report).symmetricDifference(Self.keyPaths(cli))
                #expect(difference.isEmpty, "\(path) differs from the CLI's report: \(difference.sorted())")
                let targets = report["targets"]?.array ?? []
                #expect(targets.map { $0["name"] } == [.string("slow"), .string("fast")], "\(path)")
                for (target, truth) in zip(targets, [60.0, 30.0]) {
                    let steps = target["steps"]?.array ?? []
                    #expect(steps.count == 2, "\(path)")
                    for step in steps {
                        let metrics = step["metrics"]
                        // Same request counts and outcomes: six requests, all fine.
                        #expect(metrics?["counts"]?["succeeded"] == .number(6), "\(path)")
                        #expect(metrics?["counts"]?["failed"] == .number(0), "\(path)")
                        let p50 = try #require(metrics?["ttft_ms"]?["p50"]?.number)
                        #expect(
                            abs(p50 - truth) <= 5,
                            "\(path) \(target["name"] ?? .null): TTFT p50 \(p50) ms, truth \(truth)")
                        #expect(metrics?["cost"]?["usd_total"]?.number != nil, "\(path): speed cost")
                    }
                    // The same quality figures, priced like the speed steps.
                    let quality = try #require(target["quality"]?.array?.first, "\(path)")
                    let clis = try #require(
                        cli["targets"]?.array?.first { $0["name"] == target["name"] }?["quality"]?.array?.first)
                    for key in ["results", "correct", "incorrect", "unparsed", "failed", "accuracy"] {
                        #expect(quality[key] == clis[key], "\(path): quality \(key)")
                    }
                    #expect(quality["results"] == .number(5), "\(path)")
                    #expect((quality["cost_usd"]?.number ?? 0) > 0, "\(path): quality cost \(quality)")
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
