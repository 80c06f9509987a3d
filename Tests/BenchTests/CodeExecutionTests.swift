import BenchCore
import BenchEngine
import BenchEval
import BenchMetrics
import BenchReport
import Foundation
import Hummingbird
import Testing

@Suite struct CodeExecutionTests {
    /// A HumanEval-shaped item: the prompt leaves the body open, the tests call `check(candidate)`.
    static let item = EvalItem(
        id: "HumanEval/0",
        fields: [
            "prompt": .string("import math\n\ndef add(a, b):\n    \"\"\"Add two numbers.\"\"\"\n"),
            "test": .string(
                "def check(candidate):\n    assert candidate(2, 3) == 5\n    assert math.floor(1.5) == 1\n"),
            "entry_point": .string("add"),
        ])

    static var check: CodeCheck {
        CodeCheck(
            prefix: PromptTemplate("{{prompt}}"), test: PromptTemplate("{{test}}"),
            entryPoint: PromptTemplate("{{entry_point}}"))
    }

    @Test func aBodyContinuesThePromptAndAWholeDefinitionReplacesTheStubKeepingItsImports() throws {
        let reference = try Self.check.reference(for: Self.item)
        let body = try #require(CodeCheck.program(answer: "    return a + b\n", reference: reference))
        #expect(body.hasPrefix("import math\n\ndef add(a, b):\n    \"\"\"Add two numbers.\"\"\"\n    return a + b\n"))
        #expect(body.hasSuffix("assert math.floor(1.5) == 1\n\n\ncheck(add)\n"))
        let chat = "Here you go:\n```python\ndef add(a, b):\n    return a + b\n```\nIt adds."
        let whole = try #require(CodeCheck.program(answer: chat, reference: reference))
        // The prompt's import stays (the tests use it); its stub gives way to the answer's definition.
        #expect(whole.hasPrefix("import math\n\n\ndef add(a, b):\n    return a + b\n\n\ndef check"), "\(whole)")
        #expect(!whole.contains("It adds") && !whole.contains("```"))
        #expect(CodeCheck.program(answer: "x", reference: "not json") == nil)
    }

    @Test func verdictsComeFromTheExitAndTheLastTracebackLine() {
        func verdict(_ status: Int32, _ stderr: String, timedOut: Bool = false) -> CodeExecution.Verdict {
            CodeExecution.verdict(status: status, stderr: stderr, timedOut: timedOut)
        }
        #expect(verdict(0, "") == .passed)
        #expect(verdict(1, "Traceback…\n  line 3\nAssertionError\n") == .wrongAnswer)
        #expect(verdict(1, "  def f(:\n        ^\nSyntaxError: invalid syntax\n") == .syntaxError)
        #expect(verdict(1, "IndentationError: unexpected indent") == .syntaxError)
        #expect(verdict(1, "Traceback…\nMemoryError\n") == .memory)
        #expect(verdict(152, "") == .timeout)
        #expect(verdict(-9, "", timedOut: true) == .timeout)
        #expect(verdict(1, "BlockingIOError: [Errno 11] Resource temporarily unavailable") == .processLimit)
        // A fork bomb's children interleave their tracebacks: the last line need not be the exception.
        let interleaved = """
            Traceback (most recent call last):
              File "/tmp/work/program.py", line 3, in <module>
            BlockingIOError: [Errno 11] Resource temporarily unavailable
                os.fork()
            Traceback (most recent call last):
              File "/tmp/work/program.py", line 3, in <module>
            """
        #expect(verdict(1, interleaved) == .processLimit)
        #expect(verdict(1, "OSError: [Errno 101] Network is unreachable") == .network)
        #expect(verdict(1, "OSError: [Errno 27] File too large") == .fileSize)
        #expect(verdict(1, "NameError: name 'x' is not defined") == .runtimeError)
    }

    @Test func passAtKIsTheMeanOfTheUnbiasedPerItemEstimates() throws {
        func run(_ item: String, _ index: Int, passed: Bool) -> EvalItemResult {
            var result = EvalItemResult(
                itemID: item, repeatIndex: index, outcome: passed ? .correct : .incorrect, score: passed ? 1 : 0)
            result.execution = CodeExecution(
                verdict: passed ? .passed : .wrongAnswer, exitStatus: passed ? 0 : 1, milliseconds: 10,
                stderrTail: passed ? "" : "AssertionError", isolation: "namespaces")
            return result
        }
        // Item a: 2 of 5 pass; item b: none of 5; item c: all 5.
        let results =
            (0..<5).map { run("a", $0, passed: $0 < 2) } + (0..<5).map { run("b", $0, passed: false) }
            + (0..<5).map { run("c", $0, passed: true) }
        let code = try #require(EvalSummary(task: "t", results: results).codeExecution)
        #expect(code.passAt.map(\.k) == [1, 5])
        // pass@1: (0.4 + 0 + 1) / 3; pass@5: (1 + 0 + 1) / 3.
        #expect(abs(code.passAt[0].value - 1.4 / 3) < 1e-12)
        #expect(abs(code.passAt[1].value - 2.0 / 3) < 1e-12)
        #expect(code.passAt[1].interval != nil && code.passAt[0].items == 3)
        #expect(code.verdicts == ["passed": 7, "wrong_answer": 8] && code.isolation == ["namespaces"])
        let line = try #require(
            QualityLines.summary(EvalSummary(task: "t", results: results)).first { $0.contains("code execution") })
        #expect(line.hasPrefix("  code execution [namespaces]: pass@1 46.7 % (95 % CI"))
        #expect(line.hasSuffix("runs: passed 7, wrong answer 8"))
    }

    @Test func theHumanEvalTaskBuildsItsReferenceAndACodeTaskNamesWhatItLacks() throws {
        let task = try BenchmarkRegistry.task(named: "humaneval")
        #expect(task.scorer.runsCode && task.data.first?.packing == .gzip && task.data.first?.items == 164)
        let gold = try #require(try task.goldAnswer(for: Self.item))
        #expect(gold.contains(#""entry_point":"add""#) && gold.contains(#""test":"def check(candidate)"#))
        #expect(throws: DatasetError.self) {
            try EvalTaskTests.task(
                """
                name: c
                dataset: {items: [{prompt: "def f():"}]}
                prompt: "{{prompt}}"
                scorer: {code_execution: {prefix: "{{prompt}}", test: "{{test}}"}}
                """)
        }
        do {
            _ = try EvalTaskTests.task(
                """
                name: c
                dataset: {items: [{prompt: "def f():"}]}
                prompt: "{{prompt}}"
                scorer: {code_execution: {prefix: "{{prompt}}", test: "{{test}}"}}
                """)
        } catch let error as DatasetError {
            #expect("\(error)".contains("scorer.code_execution.entry_point"))
        }
    }

    @Test func theCLIRefusesToRunCodeWithoutConsentBeforeFetchingAnything() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("llmbench-nodata-\(UUID())")
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try LiveTests.CLITests.run(
            [
                "eval", "humaneval", "--data-mirror", "http://127.0.0.1:9", "--base-url", "http://127.0.0.1:9/v1",
                "--model", "m",
            ],
            environment: ["LLMBENCH_DATA_DIR": folder.path])
        #expect(result.status == 64, "\(result.stderr)")
        #expect(result.stderr.contains("--allow-code-execution: humaneval runs the model's code against its tests"))
        #expect(!result.stderr.contains("cannot download") && !FileManager.default.fileExists(atPath: folder.path))
    }
}

extension LiveTests {
    /// Programs run in the real sandbox: each hostile one is stopped by its limit, classified, and leaves nothing
    /// running. Needs the namespaces a root CI machine gives.
    @Suite struct SandboxTests {
        static func sandbox() async throws -> CodeSandbox {
            var sandbox = try await CodeSandbox.make(allowUnsandboxed: false)
            sandbox.cpuSeconds = 1
            return sandbox
        }

        /// Processes running `program.py` (the sandbox's program name) anywhere on the machine.
        static func programsRunning() -> Int {
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
            return entries.filter { name in
                guard name.allSatisfy(\.isNumber),
                    let line = FileManager.default.contents(atPath: "/proc/\(name)/cmdline")
                else { return false }
                return String(decoding: line, as: UTF8.self).contains("program.py")
            }.count
        }

        @Test func eachKnownProgramIsClassifiedAndNothingIsLeftRunning() async throws {
            let sandbox = try await Self.sandbox()
            #expect(sandbox.isolation != .none)
            let outside = "/tmp/llmbench-escape-\(UUID().uuidString)"
            let home = FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(
                "llmbench-escape-\(UUID().uuidString)"
            ).path
            let cases: [(name: String, program: String, verdict: CodeExecution.Verdict)] = [
                ("passes", "def f():\n    return 1\nassert f() == 1\nprint('fine')\n", .passed),
                ("wrong answer", "assert 1 + 1 == 3\n", .wrongAnswer),
                ("syntax error", "def f(:\n    pass\n", .syntaxError),
                ("infinite loop", "while True:\n    pass\n", .timeout),
                ("fork bomb", "import os\nwhile True:\n    os.fork()\n", .processLimit),
                ("10 GB", "block = bytearray(10 * 1024 ** 3)\n", .memory),
                (
                    "network",
                    "import socket\nsocket.create_connection(('127.0.0.1', 22), timeout=5)\n", .network
                ),
                (
                    "write outside",
                    "open(\(String(reflecting: outside)), 'w').write('x')\nopen(\(String(reflecting: home)), 'w').write('x')\n",
                    .runtimeError
                ),
                ("huge file", "open('big', 'wb').write(b'x' * (64 * 1024 * 1024))\n", .fileSize),
            ]
            for (name, program, expected) in cases {
                let run = try await sandbox.run(program)
                #expect(run.verdict == expected, "\(name): \(run.verdict) \(run.exitStatus) \(run.stderrTail)")
                #expect(Self.programsRunning() == 0, "\(name) left processes running")
            }
            // The write to /tmp went to the sandbox's own /tmp; the write to the home directory was refused.
            #expect(!FileManager.default.fileExists(atPath: outside) && !FileManager.default.fileExists(atPath: home))
            let write = try await sandbox.run("open(\(String(reflecting: home)), 'w').write('x')\n")
            #expect(write.reason?.hasPrefix("runtime error: ") == true, "\(write.stderrTail)")
            #expect(write.stderrTail.contains("PermissionError") || write.stderrTail.contains("Read-only file system"))
        }

        /// A loopback chat endpoint that answers each HumanEval-shaped item by its function's name.
        static func withCodingModel<T: Sendable>(_ body: @Sendable (Int) async throws -> T) async throws -> T {
            let answers = [
                "add": "```python\ndef add(a, b):\n    return a + b\n```",
                "sub": "    return a + b\n",
                "spin": "    while True:\n        pass\n",
            ]
            let router = Router()
            router.post("/v1/chat/completions") { request, _ in
                let text = String(buffer: try await request.body.collect(upTo: 1 << 20))
                let answer = answers.first { text.contains("def \($0.key)(") }?.value ?? "no idea"
                let content = String(decoding: try JSONEncoder().encode(answer), as: UTF8.self)
                let body = """
                    data: {"id":"c","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"role":"assistant","content":\(content)},"finish_reason":null}]}

                    data: {"id":"c","object":"chat.completion.chunk","choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"usage":{"prompt_tokens":20,"completion_tokens":12,"total_tokens":32}}

                    data: [DONE]


                    """
                return Response(
                    status: .ok, headers: [.contentType: "text/event-stream"],
                    body: .init(byteBuffer: ByteBuffer(string: body)))
            }
            return try await withLoopbackRouter(router, body)
        }

        @Test func aCodeTaskRunsEachAnswerAgainstItsTestsAndIsRefusedWithoutConsent() async throws {
            let task = try EvalTaskTests.task(
                """
                name: mini-humaneval
                dataset:
                  items:
                    - {task_id: add, prompt: "def add(a, b):\\n", test: "def check(c):\\n    assert c(2, 3) == 5\\n", entry_point: add}
                    - {task_id: sub, prompt: "def sub(a, b):\\n", test: "def check(c):\\n    assert c(5, 3) == 2\\n", entry_point: sub}
                    - {task_id: spin, prompt: "def spin():\\n", test: "def check(c):\\n    c()\\n", entry_point: spin}
                prompt: "Complete:\\n{{prompt}}"
                scorer: {code_execution: {prefix: "{{prompt}}", test: "{{test}}", entry_point: "{{entry_point}}"}}
                """)
            let sandbox = try await Self.sandbox()
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("llmbench-code-\(UUID())")
            defer { try? FileManager.default.removeItem(at: directory) }
            let (refusal, summary, results) = try await Self.withCodingModel { port in
                try await withEngine { engine in
                    let target = BenchSpec.Target(baseURL: "http://127.0.0.1:\(port)/v1", model: "coder")
                    var refusal: SpecError?
                    do {
                        _ = try await EvalRun(task: task, target: target, engine: engine, outputDirectory: nil).run()
                    } catch let error as SpecError {
                        refusal = error
                    }
                    let (summary, results) = try await EvalRun(
                        task: task, target: target, engine: engine, outputDirectory: directory, codeSandbox: sandbox
                    ).run()
                    return (refusal, summary, results)
                }
            }
            #expect(refusal?.field == "--allow-code-execution")
            let verdicts = Dictionary(uniqueKeysWithValues: results.map { ($0.itemID, $0.execution?.verdict) })
            #expect(verdicts == ["add": .passed, "sub": .wrongAnswer, "spin": .timeout])
            #expect(results.first { $0.itemID == "sub" }?.reason == "wrong answer: AssertionError")
            #expect(summary.correct == 1 && summary.incorrect == 2)
            let code = try #require(summary.codeExecution)
            #expect(code.passAt.map(\.k) == [1] && abs(code.passAt[0].value - 1.0 / 3) < 1e-12)
            let stored = try EvalResultsFolder(directory).results()
            #expect(
                stored.compactMap(\.execution?.verdict).sorted { $0.rawValue < $1.rawValue } == [
                    .passed, .timeout, .wrongAnswer,
                ])
            #expect(Self.programsRunning() == 0)
        }
    }
}
