import BenchEngine
import BenchProviders
import BenchCore
import BenchEval
import BenchReport
import BenchSimulator
import Foundation
import Testing

@Suite struct QualityInSpecTests {
    @Test func specsListQualityTasksAndNameTheFieldAtFault() throws {
        let folder = Fixtures.repositoryRoot.appendingPathComponent("tasks")
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("spec-\(UUID()).yaml")
        defer { try? FileManager.default.removeItem(at: file) }
        try """
        targets: [{base_url: "http://127.0.0.1:9/v1", model: m}]
        quality:
          - arithmetic
          - {suite: instructions, concurrency: 2}
          - {task: \(folder.path)/gsm8k.yaml, dataset: data/test.jsonl, limit: 5}
        """.write(to: file, atomically: true, encoding: .utf8)
        let spec = try BenchSpec.load(path: file.path)
        #expect(spec.quality.count == 3)
        #expect(spec.quality[0].source == .suite(.arithmetic) && spec.quality[1].concurrency == 2)
        let dataset = file.deletingLastPathComponent().appendingPathComponent("data/test.jsonl").path
        #expect(spec.quality[2].source == .file(path: "\(folder.path)/gsm8k.yaml", dataset: dataset))
        #expect(try spec.quality[2].load(field: "quality[2]").limit == 5)
        let base = "targets: [{base_url: \"http://127.0.0.1:9/v1\", model: m}]\n"
        for (text, field) in [
            ("quality: [sums]", "quality[0]"),
            ("quality: [{suite: json, dataset: x.jsonl}]", "quality[0].dataset"),
            ("quality: [{limit: 3}]", "quality[0]"),
            ("quality: [{task: t.yaml, colour: red}]", "quality[0].colour"),
        ] {
            #expect {
                try BenchSpec.parse(base + text)
            } throws: { error in
                (error as? SpecError)?.field == field
            }
        }
        #expect {
            try QualityTask(source: .file(path: "/nonexistent/task.yaml", dataset: nil)).load(field: "quality[4]")
        } throws: { error in
            (error as? SpecError)?.field == "quality[4].task"
        }
    }

    @Test func judgedQualityTasksNeedTheSpecsJudge() throws {
        let text = """
            targets: [{base_url: "http://127.0.0.1:9/v1", model: m}]
            quality:
              - task: {name: facts, dataset: {items: [{q: a}]}, prompt: "{{q}}", reference: r, judge: simpleqa}
            """
        let unjudged = try BenchSpec.parse(text)
        #expect {
            try unjudged.qualityTasks()
        } throws: { error in
            (error as? SpecError)?.field == "quality[0]" && (error as? SpecError)?.problem.contains("`judge:`") == true
        }
        let judged = try BenchSpec.parse(text + "\njudge: {kind: anthropic, model: claude-haiku-4-5}")
        #expect(judged.judge?.kind == .anthropic && judged.judge?.model == "claude-haiku-4-5")
        #expect(try judged.qualityTasks().count == 1)
        #expect {
            try BenchSpec.parse(text + "\njudge: {kind: anthropic}")
        } throws: { error in
            (error as? SpecError)?.field.hasPrefix("judge") == true
        }
    }
}

extension LiveTests {
    @Suite struct QualityInSpecLoopbackTests {
        @Test func aBenchSpecScoresEveryTargetAndComparesThem() async throws {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bench-quality-\(UUID())")
            defer { try? FileManager.default.removeItem(at: folder) }
            let configuration = SimulatorConfiguration(ttft: .milliseconds(1), itl: .zero, outputTokens: 6)
            let report = try await withSimulator(configuration) { port, _ in
                var spec = BenchSpec()
                spec.targets = ["a", "b"].map {
                    BenchSpec.Target(name: $0, baseURL: "http://127.0.0.1:\(port)/v1", model: "sim")
                }
                spec.maxRequests = 4
                spec.quality = [
                    QualityTask(source: .suite(.arithmetic), limit: 5), QualityTask(source: .suite(.instructions)),
                ]
                return try await BenchmarkRun.testRun(spec: spec, outputDirectory: folder)
            }
            for target in report.targets {
                let quality = try #require(target.quality)
                #expect(quality.map(\.task) == ["smoke/arithmetic", "smoke/instructions"])
                #expect(quality[0].results == 5 && quality[0].failed == 0)
            }
            let comparisons = try #require(report.qualityComparisons)
            #expect(comparisons.count == 2 && comparisons.allSatisfy { $0.mismatch == nil && $0.pairedItems > 0 })
            for path in ["quality/a/smoke-arithmetic/items.jsonl", "quality/b/smoke-instructions/summary.json"] {
                #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent(path).path), "\(path)")
            }
            let markdown = try String(contentsOf: folder.appendingPathComponent("report.md"), encoding: .utf8)
            #expect(markdown.contains("## Quality") && markdown.contains("### Paired comparisons"))
            let stored = try JSONDecoder().decode(
                BenchmarkReport.self, from: Data(contentsOf: folder.appendingPathComponent("report.json")))
            #expect(stored.targets[1].quality?.first?.results == 5)
        }

        @Test func aResumedTaskAsksOnlyWhatIsNotStoredAndHandsOverEachResult() async throws {
            let configuration = SimulatorConfiguration(ttft: .milliseconds(1), itl: .zero, outputTokens: 6)
            let received = ResultBox()
            let (results, sent) = try await withSimulator(configuration) { port, simulator in
                var task = SmokeSuite.arithmetic.task
                task.limit = 5
                let items = try task.loadItems()
                let stored = Set(items.prefix(2).map { EvalItemResult.key(itemID: $0.id, repeatIndex: 0) })
                let results = try await withEngine() { engine in
                    try await EvalRun(
                        task: task, target: BenchSpec.Target(baseURL: "http://127.0.0.1:\(port)/v1", model: "sim"),
                        engine: engine,
                        outputDirectory: nil, skip: stored, onResult: { await received.add($0) }
                    ).run()
                }.results
                #expect(results.allSatisfy { !stored.contains($0.key) })
                return (results, simulator.statistics.requests)
            }
            #expect(results.count == 3 && sent == 3)
            #expect(await received.keys == Set(results.map(\.key)))
        }

        @Test func aLogLikelihoodTaskOnAnEndpointWithoutOneStopsBeforeAnyRequest() async throws {
            let configuration = SimulatorConfiguration(ttft: .milliseconds(1), itl: .zero, outputTokens: 6)
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ll-\(UUID())")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            let task = folder.appendingPathComponent("task.yaml")
            try "dataset: d.jsonl\noutput_type: rolling_loglikelihood\nprompt: \"{{text}}\"\n".write(
                to: task, atomically: true, encoding: .utf8)
            let sent = try await withSimulator(configuration) { port, simulator in
                var spec = BenchSpec()
                spec.targets = [BenchSpec.Target(name: "sim", baseURL: "http://127.0.0.1:\(port)/v1", model: "sim")]
                spec.quality = [QualityTask(source: .file(path: task.path, dataset: nil))]
                await #expect {
                    try await BenchmarkRun.testRun(spec: spec, outputDirectory: nil)
                } throws: { error in
                    "\(error)".contains("not available for this endpoint")
                }
                return simulator.statistics.requests
            }
            #expect(sent == 0)
        }
    }
}

actor ResultBox {
    private(set) var keys: Set<String> = []

    func add(_ result: EvalItemResult) { keys.insert(result.key) }
}
