import BenchCore
import BenchEngine
import Foundation
import Testing

/// Bad input gets one clear sentence and a usage exit code, and nothing runs: each case as a user would type it.
extension LiveTests {
    @Suite struct BadInputTests {
        typealias CLI = CLITests

        static let target = ["--kind", "openai", "--base-url", "http://127.0.0.1:9/v1", "--model", "m"]

        static let badFlags: [(command: [String], flags: [String], message: String)] = [
            (["bench"], ["--temperature", "-1"], "--temperature must be from 0 to 2, got -1"),
            (["bench"], ["--temperature=-1"], "--temperature must be from 0 to 2, got -1"),
            (["bench"], ["--read-timeout", "0"], "--read-timeout must be above 0, got 0"),
            (["bench"], ["--retries", "-2"], "--retries must be at least 0, got -2"),
            (["bench"], ["--max-error-rate", "1.5"], "--max-error-rate must be from 0 to 1, got 1.5"),
            (["eval", "--suite", "arithmetic"], ["--concurrency", "0"], "--concurrency must be at least 1, got 0"),
            (
                ["eval", "--suite", "arithmetic"], ["--judge-extra-body", "{bad"],
                "--judge-extra-body is not valid JSON at line 1, column 2"
            ),
            (
                ["eval", "--suite", "arithmetic"], ["--judge-extra-body", #"{"grammar":"x"}"#],
                "--judge-extra-body needs a judge"
            ),
        ]

        @Test func numericAndJSONFlagsAreCheckedBeforeAnythingRuns() throws {
            for bad in Self.badFlags {
                let result = try CLI.run(bad.command + Self.target + bad.flags)
                #expect(result.status == 64, "\(bad.flags): \(result.stderr)")
                #expect(result.stderr.contains(bad.message), "\(bad.flags): \(result.stderr)")
            }
        }

        @Test func simulateAndServeFlagsAreCheckedToo() throws {
            let simulate = try CLI.run(["simulate", "--itl-ms", "-5"])
            #expect(simulate.status == 64 && simulate.stderr.contains("--itl-ms must be at least 0, got -5"))
            let serve = try CLI.run(["serve", "--port", "70000"])
            #expect(serve.status == 64 && serve.stderr.contains("--port must be from 0 to 65535, got 70000"))
            // The token is never taken from the command line, where `ps` shows it.
            let token = try CLI.run(["serve", "--token", "s3cret-value", "--database", "memory"])
            #expect(token.status == 64 && token.stderr.contains("--token takes file:PATH or env:NAME"))
            #expect(!token.stderr.contains("s3cret-value"))
            let unset = try CLI.run(["serve", "--token", "env:LLMBENCH_NO_SUCH_TOKEN", "--database", "memory"])
            #expect(unset.status == 64 && unset.stderr.contains("the variable LLMBENCH_NO_SUCH_TOKEN is not set"))
        }

        @Test func aShippedTaskWhoseDataCannotBeFetchedNamesTheMirrorFlagAndWhereTheDataIsPublished() throws {
            let task = Fixtures.repositoryRoot.appendingPathComponent("tasks/gsm8k.yaml").path
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("llmbench-nodata-\(UUID())")
            defer { try? FileManager.default.removeItem(at: folder) }
            // Port 9 (discard) is closed on loopback, so the download fails at once and never leaves the machine.
            let result = try CLI.run(
                ["eval", task, "--data-mirror", "http://127.0.0.1:9"] + Self.target,
                environment: ["LLMBENCH_DATA_DIR": folder.path])
            #expect(result.status == 2, "\(result.stderr)")
            #expect(
                result.stderr.contains("gsm8k/test.jsonl: cannot download http://127.0.0.1:9/openai/"),
                "\(result.stderr)")
            #expect(
                result.stderr.contains(
                    "point --data-mirror (or LLMBENCH_DATA_MIRROR) at a mirror of the same paths, or download https://raw.githubusercontent.com/openai/grade-school-math/3101c7d5072418e28b9008a6636bde82a006892c/grade_school_math/data/test.jsonl yourself and pass it with --dataset PATH"
                ), "\(result.stderr)")
        }

        @Test func filesThatCannotBeReadOrWrittenAreOneSentence() throws {
            let missing = try CLI.run(["eval-compare", "/nonexistent-llmbench-a", "/tmp"])
            #expect(missing.status == 64)
            #expect(
                missing.stderr.contains("/nonexistent-llmbench-a/summary.json: cannot read the summary: no such file"),
                "\(missing.stderr)")
            #expect(!missing.stderr.contains("NSCocoaErrorDomain"))
            // An output folder under a regular file cannot be created.
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("llmbench-file-\(UUID())")
            try Data("x".utf8).write(to: file)
            defer { try? FileManager.default.removeItem(at: file) }
            let out = file.appendingPathComponent("results").path
            let unwritable = try CLI.run(
                ["bench"] + Self.target + ["--requests", "1", "--no-calibration", "--out", out])
            #expect(unwritable.status == 64, "\(unwritable.stderr)")
            #expect(unwritable.stderr.contains("llmbench: cannot "), "\(unwritable.stderr)")
            #expect(unwritable.stderr.contains(file.path) && !unwritable.stderr.contains("NSCocoaErrorDomain"))
        }

        @Test func versionAndKindHelp() throws {
            let version = try CLI.run(["--version"])
            #expect(version.status == 0 && version.stdout == "llmbench \(BenchmarkRun.version)\n")
            let help = try CLI.run(["bench", "--help"])
            #expect(help.stdout.contains("bedrock"))
        }

        @Test func anEvalAgainstARefusingEndpointStopsAtOnceSayingWhy() throws {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("llmbench-refused-\(UUID())")
            defer { try? FileManager.default.removeItem(at: folder) }
            let result = try CLI.run(["eval", "--suite", "arithmetic"] + Self.target + ["--out", folder.path])
            #expect(result.status == 2)
            #expect(
                result.stderr.contains(
                    "stopped early: the endpoint refused all of the first 3 connections (connection: connection refused by 127.0.0.1:9)"
                ), "\(result.stderr)")
            // What was asked is kept; far fewer than the task's 30 items were sent.
            let asked = try String(contentsOf: folder.appendingPathComponent("items.jsonl"), encoding: .utf8)
            #expect((3...8).contains(asked.split(separator: "\n").count))
        }

        @Test func quietAllFailedRunStillSaysWhy() throws {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("llmbench-quiet-\(UUID())")
            defer { try? FileManager.default.removeItem(at: folder) }
            let result = try CLI.run(
                ["bench"] + Self.target + ["--requests", "2", "--quiet", "--no-calibration", "--out", folder.path])
            #expect(result.status == 2)
            #expect(
                result.stderr.contains(
                    "every request failed; the most common failure (2×): connection: connection refused by 127.0.0.1:9"),
                "\(result.stderr)")
        }
    }
}
