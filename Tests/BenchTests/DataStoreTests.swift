import BenchCore
import BenchEngine
import BenchEval
import BenchProviders
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Testing

/// The benchmark registry's tasks, pure: every shipped benchmark names its data, and the prompts follow the
/// reference implementation.
@Suite struct BenchmarkRegistryTests {
    @Test func everyBenchmarkNamesWherePublishedItsLicenceAndItemCount() throws {
        let names = BenchmarkRegistry.benchmarks
        for expected in [
            "gsm8k", "mmlu", "arc-challenge", "arc-easy", "hellaswag", "boolq", "truthfulqa-mc1", "truthfulqa-gen",
            "ifeval", "xstest", "mt-bench", "simpleqa", "realtoxicityprompts", "humaneval", "truthfulqa-mc2",
        ] {
            // Every one runs by name with data; a variant (truthfulqa-mc2) borrows its benchmark's files.
            #expect(BenchmarkRegistry.names.contains(expected), "\(expected)")
            #expect(try !BenchmarkRegistry.task(named: expected).data.isEmpty, "\(expected)")
        }
        #expect(!names.contains("truthfulqa-mc2") && names.contains("truthfulqa-mc1"))
        for name in names {
            let task = try BenchmarkRegistry.task(named: name)
            #expect(!task.data.isEmpty, "\(name)")
            for source in task.data {
                #expect(
                    source.url.hasPrefix("https://") && !source.licence.isEmpty && (source.items ?? 0) > 0, "\(name)")
            }
        }
        // Variants read their benchmark's folder and files.
        let judged = try BenchmarkRegistry.task(named: "xstest-judged")
        let xstest = try BenchmarkRegistry.task(named: "xstest")
        #expect(judged.dataName == "xstest" && judged.data == xstest.data)
        #expect(throws: SpecError.self) { try BenchmarkRegistry.task(named: "no-such-benchmark") }
    }

    /// lm-evaluation-harness's `hellaswag`: "activity_label: ctx_a Ctx_b" (capitalize lower-cases the rest), and in
    /// the context and every ending " [title]" → ". ", other [tags] removed, double spaces halved.
    @Test func hellaswagPromptsAndEndingsAreCleanedAsLmEvalDoes() throws {
        let task = try BenchmarkRegistry.task(named: "hellaswag")
        let item = EvalItem(
            id: "0",
            fields: [
                "activity_label": .string("Home and Garden"),
                "ctx_a": .string("[header] How to plant a tree [title] Dig a hole."),
                "ctx_b": .string("then PLACE the tree"),
                "endings": .array([
                    .string("in the hole [step] and water it.  Then wait."), .string("upside down."),
                    .string(" on the roof."), .string("[substeps] into soil."),
                ]),
                "label": .number(0),
            ])
        #expect(
            try task.promptText(for: item, among: [item])
                == "Home and Garden: How to plant a tree. Dig a hole. Then place the tree")
        guard case .multipleChoice(let source) = task.outputType else { throw DatasetError(location: "", problem: "") }
        let (choices, gold) = try task.choices(of: item, from: source)
        // lm-eval strips before removing tags, so a leading tag leaves its space: " into soil.".
        #expect(choices == ["in the hole and water it. Then wait.", "upside down.", "on the roof.", " into soil."])
        #expect(gold == [0])
    }

    @Test func mmluAsksWithTheSubjectLineAndLetters() throws {
        let task = try BenchmarkRegistry.task(named: "mmlu")
        let item = EvalItem(
            id: "0",
            fields: [
                "question": .string(" What is 2+2? "), "subject": .string("elementary_mathematics"),
                "choices": .array([.string("3"), .string("4"), .string("5"), .string("6")]), "answer": .number(1),
            ])
        #expect(
            try task.promptText(for: item, among: [item])
                == "The following are multiple choice questions (with answers) about elementary mathematics.\n\nWhat is 2+2?\nA. 3\nB. 4\nC. 5\nD. 6\nAnswer:"
        )
    }

    @Test func templateModifiersAndTextEditsRefuseUnknownOnes() throws {
        let item = EvalItem(id: "1", fields: ["a": .string("hELLO wORLD")])
        #expect(
            try PromptTemplate("{{a|capitalize}}|{{ a | strip | words }}").render(item) == "Hello world|hELLO wORLD")
        #expect { try PromptTemplate("{{a|shout}}").render(item) } throws: { "\($0)".contains("|shout") }
        #expect(TextEdit.apply([.replace("  ", " ")], to: "a    b") == "a  b")
        #expect {
            try TaskDefinition(
                document: BenchSpec.document("prompt: x\nreference: y\ndataset: d.jsonl\nclean: [{remove: \"[\"}]"),
                directory: URL(fileURLWithPath: "/"))
        } throws: { ($0 as? DatasetError)?.location == "clean[0].remove" }
    }
}

/// Downloads through a loopback mirror that serves the origins' paths: one test per packing, resume, a digest
/// that does not match, offline use once cached.
extension LiveTests {
    @Suite struct DataStoreTests {
        /// What the mirror saw.
        actor Requests {
            var ranges: [String] = []
            var count = 0
            func add(range: String?) {
                count += 1
                if let range { ranges.append(range) }
            }
        }

        static let lines =
            (0..<5).map { ##"{"question": "q\##($0)", "answer": "\##($0)"}"## }.joined(separator: "\n") + "\n"

        static func mirror(_ files: [String: Data], requests: Requests) -> Router<BasicRequestContext> {
            let router = Router()
            router.get("**") { request, _ -> Response in
                let range = request.headers[.range]
                await requests.add(range: range)
                guard let bytes = files[request.uri.path] else { return Response(status: .notFound) }
                if let range, range.hasPrefix("bytes="), let start = Int(range.dropFirst(6).dropLast()) {
                    guard start < bytes.count else { return Response(status: .rangeNotSatisfiable) }
                    return Response(
                        status: .partialContent, headers: [.contentLength: "\(bytes.count - start)"],
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes.dropFirst(start))))
                }
                return Response(
                    status: .ok, headers: [.contentLength: "\(bytes.count)"],
                    body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
            }
            return router
        }

        static func task(_ data: String, dataset: String = "test.jsonl") throws -> TaskDefinition {
            try TaskDefinition(
                document: BenchSpec.document(
                    "name: sums\ndataset: \(dataset)\nprompt: \"{{question}}\"\nreference: \"{{answer}}\"\ndata:\n\(data)"
                ),
                directory: URL(fileURLWithPath: "/nowhere"))
        }

        static func temporaryStore(mirror port: Int?) -> DataStore {
            DataStore(
                root: FileManager.default.temporaryDirectory.appendingPathComponent("data-\(UUID())"),
                mirror: port.map { URL(string: "http://127.0.0.1:\($0)")! })
        }

        static func get(_ task: TaskDefinition, _ store: DataStore) async throws -> [DataStore.Fetched] {
            try await Engine.withRunning(.init(connectionsPerHost: 2)) { engine in
                try await store.get(task, using: engine.http.client)
            }
        }

        @Test func aPlainFileIsVerifiedKeptWithItsLicenceAndReadOffline() async throws {
            let bytes = Data(Self.lines.utf8)
            let digest = SHA256.hex(SHA256.hash(bytes))
            let task = try Self.task(
                """
                  - file: test.jsonl
                    url: "https://raw.githubusercontent.com/owner/repo/abc123/data/test.jsonl"
                    sha256: \(digest)
                    licence: MIT
                    items: 5
                """)
            let requests = Requests()
            let store = try await withLoopbackRouter(
                Self.mirror(["/owner/repo/abc123/data/test.jsonl": bytes], requests: requests)
            ) { port in
                let store = Self.temporaryStore(mirror: port)
                let fetched = try await Self.get(task, store)
                #expect(fetched.map(\.downloaded) == [true] && fetched[0].state == .verified(sha256: digest))
                return store
            }
            defer { try? FileManager.default.removeItem(at: store.root) }
            // The mirror is gone: the checked copy is used without a request.
            let again = try await Self.get(task, store)
            #expect(again.map(\.downloaded) == [false] && again[0].state.isReady)
            let items = try task.usingData(in: store.folder(for: "sums")).loadItems()
            #expect(items.count == 5 && items[4].text("question") == "q4")
            let licence = try String(
                contentsOf: store.folder(for: "sums").appendingPathComponent("LICENCE.txt"), encoding: .utf8)
            #expect(
                licence.contains(
                    "test.jsonl: MIT, from https://raw.githubusercontent.com/owner/repo/abc123/data/test.jsonl"))
            #expect(await requests.count == 1)
        }

        @Test func aDigestMismatchNamesBothDigestsKeepsTheBytesAsideAndScoresNothing() async throws {
            let served = Data(Self.lines.utf8)
            let published = String(repeating: "ab", count: 32)
            let task = try Self.task(
                """
                  - file: test.jsonl
                    url: "https://example.org/d/test.jsonl"
                    sha256: \(published)
                    licence: MIT
                """)
            let store = Self.temporaryStore(mirror: nil)
            defer { try? FileManager.default.removeItem(at: store.root) }
            try await withLoopbackRouter(Self.mirror(["/d/test.jsonl": served], requests: Requests())) { port in
                let mirrored = DataStore(root: store.root, mirror: URL(string: "http://127.0.0.1:\(port)/")!)
                await #expect { try await Self.get(task, mirrored) } throws: { error in
                    let text = "\(error)"
                    return text.contains(published) && text.contains(SHA256.hex(SHA256.hash(served)))
                        && text.contains("kept aside")
                }
            }
            let folder = store.folder(for: "sums")
            let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            #expect(!files.contains("test.jsonl") && files.contains { $0.hasPrefix("test.jsonl.rejected-") })
            #expect(store.state(of: task.data[0], benchmark: "sums") == .missing)
            #expect(throws: DatasetError.self) { try task.usingData(in: folder).loadItems() }
        }

        @Test func aStoppedDownloadResumesWhereItStopped() async throws {
            let bytes = Data(String(repeating: Self.lines, count: 200).utf8)
            let task = try Self.task(
                """
                  - file: test.jsonl
                    url: "https://example.org/big/test.jsonl"
                    sha256: \(SHA256.hex(SHA256.hash(bytes)))
                    licence: MIT
                    items: 1000
                """)
            let store = Self.temporaryStore(mirror: nil)
            defer { try? FileManager.default.removeItem(at: store.root) }
            let folder = store.folder(for: "sums")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try bytes.prefix(5_000).write(to: folder.appendingPathComponent("test.jsonl.part"))
            #expect(store.state(of: task.data[0], benchmark: "sums") == .partial(bytes: 5_000))
            let requests = Requests()
            try await withLoopbackRouter(Self.mirror(["/big/test.jsonl": bytes], requests: requests)) { port in
                let mirrored = DataStore(root: store.root, mirror: URL(string: "http://127.0.0.1:\(port)")!)
                let fetched = try await Self.get(task, mirrored)
                #expect(fetched[0].state.isReady)
            }
            #expect(await requests.ranges == ["bytes=5000-"])
            #expect(try Data(contentsOf: folder.appendingPathComponent("test.jsonl")) == bytes)
        }

        @Test func aGzipFileIsVerifiedAsPublishedAndUnpacked() async throws {
            let plain = Data(Self.lines.utf8)
            let source = FileManager.default.temporaryDirectory.appendingPathComponent("gz-\(UUID())")
            try plain.write(to: source)
            let gzip = Process()
            gzip.executableURL = URL(fileURLWithPath: "/bin/sh")
            gzip.arguments = ["-c", "gzip -c \"$0\" > \"$0.gz\"", source.path]
            try gzip.run()
            gzip.waitUntilExit()
            let packed = try Data(contentsOf: URL(fileURLWithPath: source.path + ".gz"))
            let task = try Self.task(
                """
                  - file: test.jsonl
                    url: "https://example.org/data/Sums.jsonl.gz"
                    sha256: \(SHA256.hex(SHA256.hash(packed)))
                    licence: MIT
                    items: 5
                    packing: gzip
                """)
            let store = Self.temporaryStore(mirror: nil)
            defer { try? FileManager.default.removeItem(at: store.root) }
            try await withLoopbackRouter(Self.mirror(["/data/Sums.jsonl.gz": packed], requests: Requests())) { port in
                let mirrored = DataStore(root: store.root, mirror: URL(string: "http://127.0.0.1:\(port)")!)
                _ = try await Self.get(task, mirrored)
            }
            let folder = store.folder(for: "sums")
            #expect(try Data(contentsOf: folder.appendingPathComponent("test.jsonl")) == plain)
            #expect(try task.usingData(in: folder).loadItems().count == 5)
        }

        /// The Hub's rows API, paged 100 at a time; no published digest, so the first download pins one, and a file
        /// changed afterwards is reported.
        @Test func hubRowsArePagedIntoJSONLinesAndPinnedAtFirstDownload() async throws {
            let total = 250
            let requests = Requests()
            let router = Router()
            router.get("rows") { request, _ -> Response in
                await requests.add(range: nil)
                let query = request.uri.queryParameters
                guard query["dataset"] == "org/sums", query["split"] == "test", let offset = Int(query["offset"] ?? ""),
                    let length = Int(query["length"] ?? ""), length <= 100
                else { return Response(status: .badRequest) }
                let rows = (offset..<min(total, offset + length)).map {
                    ##"{"row_idx": \##($0), "row": {"question": "q\##($0)", "answer": "\##($0)"}, "truncated_cells": []}"##
                }
                let body = #"{"features": [], "rows": [\#(rows.joined(separator: ","))], "num_rows_total": \#(total)}"#
                return Response(status: .ok, body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
            }
            let task = try Self.task(
                """
                  - file: test.jsonl
                    url: "https://datasets-server.huggingface.co/rows?dataset=org%2Fsums&config=default&split=test"
                    licence: CC BY 4.0
                    items: 250
                    packing: hub_rows
                """)
            let store = Self.temporaryStore(mirror: nil)
            defer { try? FileManager.default.removeItem(at: store.root) }
            let fetched = try await withLoopbackRouter(router) { port in
                try await Self.get(task, DataStore(root: store.root, mirror: URL(string: "http://127.0.0.1:\(port)")!))
            }
            guard case .pinned(let digest) = fetched[0].state else {
                Issue.record("expected a pinned digest, got \(fetched[0].state)")
                return
            }
            #expect(await requests.count == 3)
            let folder = store.folder(for: "sums")
            let items = try task.usingData(in: folder).loadItems()
            #expect(items.count == 250 && items[249].text("question") == "q249")
            try Data("{}\n".utf8).write(to: folder.appendingPathComponent("test.jsonl"))
            guard case .changed(let expected, _) = store.state(of: task.data[0], benchmark: "sums") else {
                Issue.record("a changed file must be reported")
                return
            }
            #expect(expected == digest)
        }

        /// The binary as a user runs it: `data get` from a mirror serving other bytes than GSM8K's published ones
        /// exits 2 naming the published digest, and `eval NAME` of an unknown name exits 64 listing the benchmarks.
        @Test func theDataCommandRefusesBytesThatAreNotThePublishedOnes() async throws {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("data-cli-\(UUID())")
            defer { try? FileManager.default.removeItem(at: folder) }
            let path =
                "/openai/grade-school-math/3101c7d5072418e28b9008a6636bde82a006892c/grade_school_math/data/test.jsonl"
            let result = try await withLoopbackRouter(
                Self.mirror([path: Data(Self.lines.utf8)], requests: Requests())
            ) { port in
                try CLITests.run(
                    ["data", "get", "gsm8k", "--data-mirror", "http://127.0.0.1:\(port)"],
                    environment: ["LLMBENCH_DATA_DIR": folder.path])
            }
            #expect(result.status == 2)
            #expect(result.stderr.contains("3730d312f6e3440559ace48831e51066acaca737f6eabec99bccb9e4b3c39d14"))
            let unknown = try CLITests.run(["eval", "gsm9k", "--base-url", "http://127.0.0.1:9/v1", "--model", "m"])
            #expect(unknown.status == 64 && unknown.stderr.contains("gsm8k, hellaswag"))
        }
    }
}
