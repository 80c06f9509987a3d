import ArgumentParser
import BenchEngine
import BenchEval
import Foundation
import Synchronization

/// `llmbench data`: the standard benchmarks' data on this machine.
struct DataCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "data",
        abstract: "The standard benchmarks' data: list, get (download and check), verify, path.",
        discussion: """
            Data is kept in ~/.cache/llmbench/data/<benchmark>/ (LLMBENCH_DATA_DIR moves it), fetched from where \
            it is published at a fixed commit or revision, checked against its SHA-256, resumed where a download \
            stopped. Once here, benchmarks run offline. --data-mirror URL (or LLMBENCH_DATA_MIRROR) fetches every \
            file from a mirror that serves it at its origin's path. `llmbench eval NAME` fetches what it needs itself.
            """,
        subcommands: [List.self, Get.self, Verify.self, Path.self]
    )

    struct StoreOptions: ParsableArguments {
        @Option(help: "Fetch from this mirror (same paths as the origins) instead; default $LLMBENCH_DATA_MIRROR.")
        var dataMirror: String?

        func store() throws -> DataStore { try DataStore.standard(mirror: dataMirror) }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The benchmarks, their data and its state here.")
        @OptionGroup var options: StoreOptions

        func run() async throws {
            try DataCommand.reportingErrors {
                let store = try options.store()
                for name in BenchmarkRegistry.benchmarks {
                    let task = try BenchmarkRegistry.task(named: name)
                    let items = task.data.compactMap(\.items).reduce(0, +)
                    let licences = Set(task.data.map(\.licence)).sorted().joined(separator: ", ")
                    Console.info("\(name): \(items) items, \(licences)")
                    for source in task.data {
                        Console.info("  \(source.file): \(store.state(of: source, benchmark: name))")
                    }
                }
                Console.info("kept in \(store.root.path)")
            }
        }
    }

    struct Get: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Download (or resume) and check the data of benchmarks; all of them without a name.")
        @Argument(help: "Benchmarks (see `llmbench data list`).")
        var names: [String] = []
        @OptionGroup var options: StoreOptions

        func run() async throws {
            try await DataCommand.reportingErrors {
                let store = try options.store()
                let tasks = try (names.isEmpty ? BenchmarkRegistry.benchmarks : names).map {
                    try BenchmarkRegistry.task(named: $0)
                }
                try await Engine.withRunning(.init(connectionsPerHost: 2)) { engine in
                    for task in tasks {
                        _ = try await DataCommand.fetch(task, store: store, engine: engine)
                    }
                }
            }
        }
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Compute the digest of every downloaded file again and compare; exit 1 when one differs.")
        @Argument(help: "Benchmarks; all of them without a name.")
        var names: [String] = []

        func run() async throws {
            var failed = false
            try DataCommand.reportingErrors {
                let store = try DataStore.standard()
                for name in names.isEmpty ? BenchmarkRegistry.benchmarks : names {
                    for source in try BenchmarkRegistry.task(named: name).data {
                        let state = store.state(of: source, benchmark: name)
                        if case .changed = state { failed = true }
                        if case .missing = state, !names.isEmpty { failed = true }
                        Console.info("\(name)/\(source.file): \(state)")
                    }
                }
            }
            if failed { throw ExitCode(1) }
        }
    }

    struct Path: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The folder holding a benchmark's data.")
        @Argument(help: "A benchmark.")
        var name: String

        func run() async throws {
            try DataCommand.reportingErrors {
                _ = try BenchmarkRegistry.task(named: name)
                print(try DataStore.standard().folder(for: name).path)
            }
        }
    }

    /// Makes a task's data present and checked, saying what was fetched, and returns the task reading it from the
    /// store; the licence is shown when a file arrives.
    static func fetch(_ task: TaskDefinition, store: DataStore, engine: Engine) async throws -> TaskDefinition {
        guard !task.datasetGiven, !task.data.isEmpty else { return task }
        let bar = DownloadProgress(enabled: Console.isTerminal(FileHandle.standardError))
        let fetched = try await store.get(task, using: engine.http.client) { progress in bar.show(progress) }
        bar.clear()
        for file in fetched {
            let verb = file.downloaded ? "downloaded" : "already here"
            Console.status("\(task.name)/\(file.source.file): \(verb), \(file.state)")
        }
        if fetched.contains(where: \.downloaded) {
            let licences = task.data.map { "\($0.file) \($0.licence)" }.joined(separator: "; ")
            Console.status(
                "licence: \(licences) — see \(store.folder(for: task.dataName).appendingPathComponent("LICENCE.txt").path)"
            )
        }
        return task.usingData(in: store.folder(for: task.dataName))
    }

    /// Runs `body`, turning invalid names and data errors into one sentence and exit 64 (invalid input) or 2 (data).
    static func reportingErrors(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let error as SpecError {
            Console.error("invalid input: \(error)")
            throw ExitCode(64)
        } catch let error as DatasetError {
            Console.error("invalid task: \(error)")
            throw ExitCode(64)
        } catch let error as DataError {
            Console.error("\(error)")
            throw ExitCode(2)
        }
    }

    static func reportingErrors(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let error as SpecError {
            Console.error("invalid input: \(error)")
            throw ExitCode(64)
        } catch let error as DatasetError {
            Console.error("invalid task: \(error)")
            throw ExitCode(64)
        }
    }
}

/// One line on standard error showing a download's progress, redrawn at most ten times a second on a terminal;
/// elsewhere silent (the lines `fetch` prints say what arrived).
final class DownloadProgress: Sendable {
    let enabled: Bool
    private let lastDraw = Mutex(ContinuousClock.now - .seconds(1))

    init(enabled: Bool) {
        self.enabled = enabled
    }

    func show(_ progress: DataStore.Progress) {
        guard enabled else { return }
        let now = ContinuousClock.now
        guard
            lastDraw.withLock({ last in
                guard now - last >= .milliseconds(100) else { return false }
                last = now
                return true
            })
        else { return }
        let amount = progress.rows ? "\(progress.bytes) rows" : Self.size(progress.bytes)
        let line: String
        if let total = progress.total, total > 0 {
            let share = min(1, Double(progress.bytes) / Double(total))
            let filled = Int(share * 30)
            line =
                "\(progress.benchmark)/\(progress.file) [\(String(repeating: "#", count: filled))\(String(repeating: ".", count: 30 - filled))] \(Int(share * 100)) % \(amount)"
        } else {
            line = "\(progress.benchmark)/\(progress.file) \(amount)"
        }
        FileHandle.standardError.write(Data(("\r\u{1B}[2K" + line).utf8))
    }

    func clear() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8))
    }

    static func size(_ bytes: Int) -> String {
        bytes >= 1 << 20
            ? String(format: "%.1f MB", Double(bytes) / 1_048_576) : String(format: "%.0f KB", Double(bytes) / 1024)
    }
}
