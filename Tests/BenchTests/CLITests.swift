import BenchEngine
import BenchProviders
import BenchCore
import BenchEval
import BenchMetrics
import BenchReport
import Foundation
import Testing

/// Runs the built `llmbench` executable as a user would.
extension LiveTests {
    @Suite struct CLITests {
        static var executable: URL {
            // Tests run from the build directory that also holds the `llmbench` product.
            Bundle.main.bundleURL.appendingPathComponent("llmbench")
        }

        struct Result {
            var status: Int32
            var stdout: String
            var stderr: String
        }

        static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> Result {
            let process = Process()
            process.executableURL = executable
            process.arguments = arguments
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
            let out = Pipe()
            let err = Pipe()
            process.standardOutput = out
            process.standardError = err
            try process.run()
            let stdout = out.fileHandleForReading.readDataToEndOfFile()
            let stderr = err.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return Result(
                status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                stderr: String(decoding: stderr, as: UTF8.self)
            )
        }

        /// Starts `llmbench simulate` on a free port and returns the process and its port.
        static func startSimulator(_ arguments: [String]) throws -> (Process, Int) {
            let process = Process()
            process.executableURL = executable
            process.arguments = ["simulate", "--port", "0"] + arguments
            let out = Pipe()
            process.standardOutput = out
            try process.run()
            var buffer = Data()
            while !buffer.contains(UInt8(ascii: "\n")) {
                let chunk = out.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                buffer.append(chunk)
            }
            let line = String(decoding: buffer, as: UTF8.self)
            guard let range = line.range(of: #":(\d+)/v1"#, options: .regularExpression),
                let port = Int(line[range].dropFirst().dropLast(3))
            else {
                process.terminate()
                throw CocoaError(.fileReadCorruptFile, userInfo: [NSLocalizedDescriptionKey: "no port in \(line)"])
            }
            return (process, port)
        }

        @Test func benchAgainstSimulateWritesTheReportFiles() throws {
            let (simulator, port) = try Self.startSimulator([
                "--ttft-ms", "20", "--itl-ms", "2", "--output-tokens", "16",
            ])
            defer { simulator.terminate(); simulator.waitUntilExit() }
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("llmbench-cli-\(UUID())")
            defer { try? FileManager.default.removeItem(at: directory) }
            let result = try Self.run([
                "bench", "--base-url", "http://127.0.0.1:\(port)/v1", "--model", "sim", "--concurrency", "1,4",
                "--requests", "12", "--output-tokens", "16", "--slo", "ttft_ms=1000", "--out", directory.path,
            ])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.contains("TTFT p50 ms"))
            let report = try JSONDecoder().decode(
                [String: JSONValue].self, from: Data(contentsOf: directory.appendingPathComponent("report.json"))
            )
            #expect(report["schema"] == .string("llmbench.report/1"))
            guard case .array(let targets) = report["targets"], case .object(let target) = targets.first,
                case .array(let steps) = target["steps"], case .object(let step) = steps.last,
                case .object(let metrics) = step["metrics"]
            else {
                Issue.record("unexpected report shape")
                return
            }
            #expect(steps.count == 2)
            for name in [
                "ttft_ms", "ttfa_ms", "itl_ms", "max_gap_ms", "e2e_ms", "decode_tps", "scheduler_lag_ms", "queue_ms",
            ] {
                guard case .object(let distribution) = metrics[name] else {
                    Issue.record("missing \(name)")
                    continue
                }
                #expect(Set(distribution.keys) == ["count", "mean", "stdev", "min", "max", "p50", "p90", "p95", "p99"])
            }
            for name in ["output_tps", "request_rps", "goodput_rps", "error_rate", "throttle_rate"] {
                if case .number = metrics[name] {} else { Issue.record("\(name) is not a number") }
            }
            let records = try String(contentsOf: directory.appendingPathComponent("records.jsonl"), encoding: .utf8)
            #expect(records.split(separator: "\n").count == 24)
            let markdown = try String(contentsOf: directory.appendingPathComponent("report.md"), encoding: .utf8)
            #expect(markdown.contains("| sim@127.0.0.1:\(port) | c=4 |"))
        }

        @Test func probeStoresItsFindingsAndPrintsThemAsJSON() throws {
            let (simulator, port) = try Self.startSimulator(["--ttft-ms", "1", "--output-tokens", "40"])
            defer { simulator.terminate(); simulator.waitUntilExit() }
            let data = FileManager.default.temporaryDirectory.appendingPathComponent("llmbench-probe-\(UUID())")
            defer { try? FileManager.default.removeItem(at: data) }
            let result = try Self.run(
                ["probe", "--base-url", "http://127.0.0.1:\(port)/v1", "--model", "sim", "--json"],
                environment: ["LLMBENCH_DATA": data.path]
            )
            #expect(result.status == 0, "\(result.stderr)")
            let reports = try JSONParser.parse(result.stdout).array
            #expect(reports?.first?["findings"]?["streaming"]?["verdict"] == .string("supported"))
            let stored = try FileManager.default.contentsOfDirectory(atPath: data.appendingPathComponent("probes").path)
            #expect(stored.count == 1 && stored[0].hasPrefix("openai-127.0.0.1-sim-"))
        }

        @Test func invalidSpecNamesTheField() throws {
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("spec-\(UUID()).yaml")
            defer { try? FileManager.default.removeItem(at: file) }
            try "targets:\n  - base_url: http://127.0.0.1:1/v1\n    model: m\nload:\n  concurrency: [1, -2]\n".write(
                to: file, atomically: true, encoding: .utf8)
            let result = try Self.run(["bench", file.path])
            #expect(result.status == 64)
            #expect(result.stderr.contains("load.concurrency[1]"))
        }

        @Test func missingKeyVariableIsAnErrorNamingIt() throws {
            let result = try Self.run(
                [
                    "bench", "--base-url", "http://127.0.0.1:1/v1", "--model", "m", "--api-key-env",
                    "LLMBENCH_NO_SUCH_KEY",
                ]
            )
            #expect(result.status == 64)
            #expect(result.stderr.contains("LLMBENCH_NO_SUCH_KEY is not set"))
        }

        @Test func allFailedRunExitsNonZeroAndSaysWhy() throws {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("llmbench-fail-\(UUID())")
            defer { try? FileManager.default.removeItem(at: directory) }
            let result = try Self.run([
                "bench", "--base-url", "http://127.0.0.1:9/v1", "--model", "m", "--requests", "2", "--out",
                directory.path,
            ])
            #expect(result.status == 2)
            #expect(result.stdout.contains("connection"))
            #expect(result.stderr.contains("every request failed"))
            #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("report.json").path))
        }

        @Test func evalAgreementComparesStoredJudgesAndHumanLabels() throws {
            let root = FileManager.default.temporaryDirectory.appendingPathComponent("llmbench-agree-\(UUID())")
            defer { try? FileManager.default.removeItem(at: root) }
            func folder(_ name: String, judge: String, verdicts: [String]) throws -> String {
                let results = verdicts.enumerated().map { index, verdict in
                    var result = EvalItemResult(
                        itemID: "\(index)", repeatIndex: 0, outcome: .correct, score: 1, answer: "a")
                    var record = JudgeRecord(template: "simpleqa/1", judge: judge, messages: [])
                    record.verdict = verdict
                    result.judge = record
                    return result
                }
                let url = root.appendingPathComponent(name)
                try EvalResultsFolder(url).write(EvalSummary(task: "t", results: results), results: results)
                return url.path
            }
            let first = try folder("one", judge: "judge-a", verdicts: ["CORRECT", "CORRECT", "INCORRECT", "CORRECT"])
            let second = try folder(
                "two", judge: "judge-b", verdicts: ["CORRECT", "INCORRECT", "INCORRECT", "CORRECT"])
            let labels = root.appendingPathComponent("human.jsonl")
            try "{\"item_id\": \"0\", \"label\": \"CORRECT\"}\n{\"item_id\": 1, \"label\": \"INCORRECT\"}\n".write(
                to: labels, atomically: true, encoding: .utf8)
            let result = try Self.run(["eval-agreement", first, second, "--human", labels.path])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.contains("judge-a simpleqa/1 and judge-b simpleqa/1 agree on 75.0 % of 4"))
            #expect(result.stdout.contains("human and judge-b simpleqa/1 agree on 100.0 % of 2"))
            #expect(result.stdout.contains("Krippendorff's α (nominal)"))
            let json = try Self.run(["eval-agreement", first, second, "--json"])
            let decoded = try JSONDecoder().decode(JudgeAgreement.self, from: Data(json.stdout.utf8))
            #expect(decoded.units == 4 && decoded.pairs.count == 1)
            try "{\"item\": 3}\n".write(to: labels, atomically: true, encoding: .utf8)
            let bad = try Self.run(["eval-agreement", first, second, "--human", labels.path])
            #expect(bad.status == 64 && bad.stderr.contains("human.jsonl:1"))
        }

        @Test func reportRendersARunFolderAgainInEveryFormat() throws {
            let run = Fixtures.repositoryRoot.appendingPathComponent("Tests/Golden/sample-run").path
            let out = FileManager.default.temporaryDirectory.appendingPathComponent("report-\(UUID()).html")
            defer { try? FileManager.default.removeItem(at: out) }
            let html = try Self.run(["report", run, "--out", out.path])
            #expect(html.status == 0, "\(html.stderr)")
            let golden = Fixtures.repositoryRoot.appendingPathComponent("Tests/Golden/report.html")
            #expect(try String(contentsOf: out, encoding: .utf8) == String(contentsOf: golden, encoding: .utf8))
            let csv = try Self.run(["report", run, "--format", "csv"])
            #expect(csv.status == 0 && csv.stdout.hasPrefix("target,load,succeeded"))
            #expect(csv.stdout.split(separator: "\n").count == 9)
            let quality = try Self.run(["report", run, "--format", "quality-csv"])
            #expect(quality.stdout.split(separator: "\n").count == 5)
            #expect(quality.stdout.contains("smollm2-local,smoke/knowledge,generate,,20,0.2,"))
            let markdown = try Self.run(["report", run, "--format", "md"])
            #expect(markdown.stdout.hasPrefix("# llmbench report"))
            let wrong = try Self.run(["report", run, "--format", "pdf"])
            #expect(wrong.status == 64 && wrong.stderr.contains("--format"))
            let missing = try Self.run(["report", "/nonexistent/run"])
            #expect(missing.status == 64 && missing.stderr.contains("report.json"))
        }

        @Test func aFailedGateExitsThreeAndJSONGoesToStandardOutput() throws {
            let (simulator, port) = try Self.startSimulator([
                "--ttft-ms", "30", "--itl-ms", "1", "--output-tokens", "8",
            ])
            defer { simulator.terminate(); simulator.waitUntilExit() }
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("llmbench-gate-\(UUID())")
            defer { try? FileManager.default.removeItem(at: directory) }
            let base = [
                "bench", "--base-url", "http://127.0.0.1:\(port)/v1", "--model", "sim", "--concurrency", "2",
                "--requests", "6", "--output-tokens", "8", "--out", directory.path, "--json",
            ]
            // A TTFT objective of 1 ms no request can meet: the goodput gate fails, naming the step.
            let failed = try Self.run(base + ["--slo", "ttft_ms=1", "--min-goodput-share", "0.9"])
            #expect(failed.status == 3, "\(failed.stderr)")
            #expect(
                failed.stderr.contains("gate failed") && failed.stderr.contains("c=2: 0.0% of requests met the SLOs"))
            let report = try JSONDecoder().decode(BenchmarkReport.self, from: Data(failed.stdout.utf8))
            #expect(report.targets.first?.steps.first?.metrics.counts.succeeded == 6)
            #expect(!failed.stdout.contains("▶"), "progress lines stay off standard output")
            let passed = try Self.run(
                base + ["--slo", "ttft_ms=5000", "--min-goodput-share", "0.9", "--max-error-rate", "0"])
            #expect(passed.status == 0, "\(passed.stderr)")
            let wrong = try Self.run(base + ["--max-error-rate", "5"])
            #expect(wrong.status == 64 && wrong.stderr.contains("--max-error-rate"))
        }
    }
}
