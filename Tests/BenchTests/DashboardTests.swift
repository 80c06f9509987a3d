import BenchEngine
import BenchProviders
import BenchCore
import BenchReport
import NIOHTTP1
import BenchSimulator
import Foundation
import Testing

/// The service's dashboard pages against a real run on the simulator: served as HTML, and opened in a real
/// headless Chromium (no console errors, the run's numbers in the DOM).
extension LiveTests {
    @Suite struct DashboardTests {
        static let simulator = SimulatorConfiguration(ttft: .milliseconds(5), itl: .milliseconds(1), outputTokens: 8)

        @Test func theRunsListRunPageAndComparisonServeTheRunsNumbers() async throws {
            try await withSimulator(Self.simulator) { simPort, _ in
                try await TestServer.with { server in
                    let first = try await server.submit(simulatorRunSpec(port: simPort, concurrency: [1, 2]))
                    let second = try await server.submit(simulatorRunSpec(port: simPort, concurrency: [1, 2]))
                    for id in [first, second] { _ = try await server.waitForEnd(id) }
                    let list = try await server.request(.GET, "/")
                    #expect(list.status == 200 && list.header("content-type")?.hasPrefix("text/html") == true)
                    #expect(list.body.contains("href=\"/runs/\(first)\"") && list.body.contains("succeeded"))
                    let page = try await server.request(.GET, "/runs/\(first)")
                    #expect(page.status == 200 && page.body.contains("TTFT distribution"))
                    #expect(!page.body.contains("new EventSource"), "a finished run does not follow events")
                    let report = try #require(try await server.request(.GET, "/v1/runs/\(first)/report").json)
                    let tps = try #require(
                        report["targets"]?.array?.first?["steps"]?.array?.last?["metrics"]?["output_tps"]?.number)
                    #expect(page.body.contains(">\(NumberFormatting.value(tps))</td>"))
                    let compare = try await server.request(.GET, "/compare?runs=\(first),\(second)")
                    #expect(
                        compare.status == 200 && compare.body.contains("\(first): sim")
                            && compare.body.contains("\(second): sim"))
                    #expect(try await server.request(.GET, "/compare?runs=run_nope").status == 404)
                    #expect(try await server.request(.GET, "/runs/run_nope").status == 404)
                    // `llmbench report ID --server URL` fetches the same report.
                    let root = "http://127.0.0.1:\(server.port)"
                    let (fetched, missing) = try await withEngine { engine in
                        let fetched = try await RemoteReport.fetch(
                            server: root, run: first, format: "html", engine: engine)
                        let missing = await #expect(throws: SpecError.self) {
                            try await RemoteReport.fetch(server: root, run: "run_nope", format: "md", engine: engine)
                        }
                        return (fetched, missing)
                    }
                    #expect(fetched.contains("<title>TTFT distribution</title>"))
                    #expect(missing?.problem.contains("HTTP 404") == true)

                    guard HeadlessChromium.shouldRun else { return }
                    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
                        "llmbench-dash-\(UUID())")
                    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                    defer { try? FileManager.default.removeItem(at: folder) }
                    let keep = ProcessInfo.processInfo.environment["LLMBENCH_UPDATE_SCREENSHOTS"] == "1"
                    let screenshots = Fixtures.repositoryRoot.appendingPathComponent("docs/screenshots")
                    for (path, name, expected) in [
                        ("/", "dashboard-runs.png", first),
                        ("/runs/\(first)", "dashboard-run.png", "Throughput against load"),
                        ("/compare?runs=\(first),\(second)", "dashboard-compare.png", "\(second): sim"),
                    ] {
                        let shot = (keep ? screenshots : folder).appendingPathComponent(name)
                        let opened = try HeadlessChromium.open(
                            "http://127.0.0.1:\(server.port)\(path)", height: 2000, screenshot: shot)
                        #expect(opened.problems.isEmpty, "\(path): \(opened.problems)")
                        #expect(opened.dom.contains(expected), "\(path) lacks \(expected)")
                    }
                }
            }
        }

        @Test func aRunningRunsPageFollowsItLiveWithoutErrors() async throws {
            guard HeadlessChromium.shouldRun else { return }
            let slow = SimulatorConfiguration(ttft: .milliseconds(50), itl: .milliseconds(40), outputTokens: 40)
            try await withSimulator(slow) { simPort, _ in
                try await TestServer.with { server in
                    let id = try await server.submit(
                        simulatorRunSpec(port: simPort, requests: 40, concurrency: [1], outputTokens: 40))
                    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
                        "llmbench-live-\(UUID())")
                    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                    defer { try? FileManager.default.removeItem(at: folder) }
                    let opened = try HeadlessChromium.open(
                        "http://127.0.0.1:\(server.port)/runs/\(id)", height: 900,
                        screenshot: folder.appendingPathComponent("live.png"))
                    #expect(opened.problems.isEmpty, "\(opened.problems)")
                    #expect(opened.dom.contains("id=\"status\"") && opened.dom.contains("<progress"))
                    _ = try await server.request(.POST, "/v1/runs/\(id)/cancel", auth: true)
                    _ = try await server.waitForEnd(id)
                }
            }
        }
    }
}
