public import AsyncHTTPClient
public import BenchEval
import BenchCore
import BenchProviders
public import Foundation
import NIOCore
import NIOHTTP1

/// Where benchmark data is kept on this machine (`~/.cache/llmbench/data/<benchmark>/`), and how it gets there:
/// downloaded from where it is published (or from a mirror serving the same paths), resumed where a download
/// stopped, checked against its SHA-256 before anything reads it. Once a file is here and checked, nothing is fetched
/// again: benchmarks run offline. Items are only ever read from here; they are never sent anywhere but to the model.
///
/// Each benchmark's folder holds its files under their ``DataSource/file`` names, `NAME.part` while a download is
/// under way, `NAME.sha256` with the digest checked (or, for a source with no published digest, pinned at the first
/// download), a rejected download as `NAME.rejected-<digest>`, and `LICENCE.txt` naming each file's licence and
/// origin.
public struct DataStore: Sendable {
    /// The folder of every benchmark's data.
    public let root: URL
    /// A server with the same paths as the origins, used for every download in place of them.
    public let mirror: URL?

    public init(root: URL, mirror: URL? = nil) {
        self.root = root
        self.mirror = mirror
    }

    /// The store in `LLMBENCH_DATA_DIR`, else `$XDG_CACHE_HOME/llmbench/data`, else `~/.cache/llmbench/data`, with
    /// the mirror in `LLMBENCH_DATA_MIRROR` unless `mirror` is given.
    public static func standard(
        environment: [String: String] = ProcessInfo.processInfo.environment, mirror: String? = nil
    ) throws -> DataStore {
        let root: URL
        if let folder = environment["LLMBENCH_DATA_DIR"], !folder.isEmpty {
            root = URL(fileURLWithPath: folder)
        } else if let cache = environment["XDG_CACHE_HOME"], !cache.isEmpty {
            root = URL(fileURLWithPath: cache).appendingPathComponent("llmbench/data")
        } else {
            root = FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/llmbench/data")
        }
        let address = mirror ?? environment["LLMBENCH_DATA_MIRROR"].flatMap { $0.isEmpty ? nil : $0 }
        guard let address else { return DataStore(root: root) }
        guard let url = URL(string: address), url.scheme == "http" || url.scheme == "https", url.host != nil else {
            throw SpecError(
                mirror == nil ? "LLMBENCH_DATA_MIRROR" : "--data-mirror", "expected an http(s) URL, got \(address)")
        }
        return DataStore(root: root, mirror: url)
    }

    /// The folder of one benchmark's data.
    public func folder(for benchmark: String) -> URL {
        root.appendingPathComponent(benchmark)
    }

    /// The state of one file of a benchmark.
    public enum State: Sendable, Hashable, CustomStringConvertible {
        case missing
        /// Part of it downloaded; the next `get` resumes from here.
        case partial(bytes: Int)
        /// Here, and its bytes have the published digest.
        case verified(sha256: String)
        /// Here; no digest is published, and its bytes have the digest pinned at the first download.
        case pinned(sha256: String)
        /// Here, but its bytes no longer have the digest checked at download.
        case changed(expected: String, actual: String)

        public var description: String {
            switch self {
            case .missing: return "not downloaded"
            case .partial(let bytes): return "partly downloaded (\(bytes) bytes; `get` resumes)"
            case .verified(let digest): return "verified (sha256 \(digest.prefix(12))…)"
            case .pinned(let digest):
                return "pinned at first download (sha256 \(digest.prefix(12))…; no published digest)"
            case .changed(let expected, let actual):
                return "changed since download: sha256 \(actual.prefix(12))…, expected \(expected.prefix(12))…"
            }
        }

        /// Whether the file is here and checked.
        public var isReady: Bool {
            switch self {
            case .verified, .pinned: return true
            default: return false
            }
        }
    }

    /// How far a download has come.
    public struct Progress: Sendable {
        public var benchmark: String
        public var file: String
        public var bytes: Int
        /// The whole size when the server says it (or the source gives it).
        public var total: Int?
        /// Whether ``bytes`` and ``total`` count rows (the rows API) rather than bytes.
        public var rows = false
    }

    /// What `get` did for one file.
    public struct Fetched: Sendable {
        public var source: DataSource
        public var state: State
        /// False when the file was already here and checked (nothing fetched).
        public var downloaded: Bool
    }

    // MARK: State

    /// The state of `source`, from the bytes on disk: the digest is computed again (`llmbench data verify`).
    public func state(of source: DataSource, benchmark: String) -> State {
        let folder = folder(for: benchmark)
        let file = folder.appendingPathComponent(source.downloadName)
        guard let bytes = try? Data(contentsOf: file) else {
            let part = folder.appendingPathComponent(source.downloadName + ".part")
            if let size = try? FileManager.default.attributesOfItem(atPath: part.path)[.size] as? Int {
                return .partial(bytes: size)
            }
            return .missing
        }
        let actual = SHA256.hex(SHA256.hash(bytes))
        let expected = source.sha256 ?? pinnedDigest(source, benchmark: benchmark)
        guard let expected else { return .missing }
        guard expected == actual else { return .changed(expected: expected, actual: actual) }
        return source.sha256 == nil ? .pinned(sha256: actual) : .verified(sha256: actual)
    }

    /// Whether the file is here and was checked when it arrived, without reading it again (`eval` asks this).
    func isPresent(_ source: DataSource, benchmark: String) -> Bool {
        let folder = folder(for: benchmark)
        let manager = FileManager.default
        return manager.fileExists(atPath: folder.appendingPathComponent(source.downloadName).path)
            && manager.fileExists(atPath: folder.appendingPathComponent(source.file).path)
            && pinnedDigest(source, benchmark: benchmark) != nil
    }

    private func pinnedDigest(_ source: DataSource, benchmark: String) -> String? {
        let stamp = folder(for: benchmark).appendingPathComponent(source.downloadName + ".sha256")
        return (try? String(contentsOf: stamp, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    // MARK: Fetching

    /// Makes every file of `task` present and checked, downloading what is missing (resuming a partial download).
    /// - Throws: ``DataError`` on a digest mismatch (the bytes kept aside, both digests named), an HTTP error or a
    ///   wrong item count; nothing is left where the task would read it unless it was checked.
    public func get(
        _ task: TaskDefinition, using client: HTTPClient, progress: @escaping @Sendable (Progress) -> Void = { _ in }
    ) async throws -> [Fetched] {
        var fetched: [Fetched] = []
        for source in task.data {
            if isPresent(source, benchmark: task.dataName) {
                fetched.append(
                    Fetched(source: source, state: state(of: source, benchmark: task.dataName), downloaded: false))
                continue
            }
            let state = try await download(source, benchmark: task.dataName, client: client, progress: progress)
            fetched.append(Fetched(source: source, state: state, downloaded: true))
        }
        try writeLicence(task)
        return fetched
    }

    private func download(
        _ source: DataSource, benchmark: String, client: HTTPClient,
        progress: @escaping @Sendable (Progress) -> Void
    ) async throws -> State {
        let folder = folder(for: benchmark)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let part = folder.appendingPathComponent(source.downloadName + ".part")
        let origin = try address(of: source)
        switch source.packing {
        case .plain, .gzip:
            try await fetchBytes(
                origin, into: part, source: source, benchmark: benchmark, client: client, progress: progress)
        case .hubRows:
            try await fetchRows(
                origin, into: part, source: source, benchmark: benchmark, client: client, progress: progress)
        }
        let bytes = try Data(contentsOf: part)
        let actual = SHA256.hex(SHA256.hash(bytes))
        let final = folder.appendingPathComponent(source.downloadName)
        if let expected = source.sha256 ?? pinnedDigest(source, benchmark: benchmark), expected != actual {
            let aside = folder.appendingPathComponent(source.downloadName + ".rejected-\(actual.prefix(12))")
            try? FileManager.default.removeItem(at: aside)
            try FileManager.default.moveItem(at: part, to: aside)
            throw DataError(
                benchmark: benchmark, file: source.file,
                problem:
                    "the download from \(origin.absoluteString) has sha256 \(actual), not the expected \(expected); it was kept aside as \(aside.path) and nothing was scored"
            )
        }
        try? FileManager.default.removeItem(at: final)
        try FileManager.default.moveItem(at: part, to: final)
        if source.packing == .gzip {
            try unpack(final, to: folder.appendingPathComponent(source.file), benchmark: benchmark)
        }
        try checkItems(source, benchmark: benchmark)
        try (actual + "\n").write(
            to: folder.appendingPathComponent(source.downloadName + ".sha256"), atomically: true, encoding: .utf8)
        return source.sha256 == nil ? .pinned(sha256: actual) : .verified(sha256: actual)
    }

    /// The URL a source is fetched from: its own, or the mirror's at the same path.
    func address(of source: DataSource) throws -> URL {
        if let mirror {
            guard let url = source.mirrored(at: mirror) else {
                throw DataError(
                    benchmark: "", file: source.file, problem: "cannot place \(source.url) on the mirror \(mirror)")
            }
            return url
        }
        guard let url = URL(string: source.url) else {
            throw DataError(benchmark: "", file: source.file, problem: "not a URL: \(source.url)")
        }
        return url
    }

    private func fetchBytes(
        _ url: URL, into part: URL, source: DataSource, benchmark: String, client: HTTPClient,
        progress: @escaping @Sendable (Progress) -> Void
    ) async throws {
        let manager = FileManager.default
        var have = (try? manager.attributesOfItem(atPath: part.path)[.size] as? Int) ?? 0
        var request = HTTPClientRequest(url: url.absoluteString)
        if have > 0 { request.headers.add(name: "Range", value: "bytes=\(have)-") }
        let response = try await send(request, source: source, benchmark: benchmark, client: client)
        switch response.status.code {
        case 206:
            break
        case 200:
            have = 0
        case 416 where have > 0:
            return  // the part already holds every byte; the digest decides
        default:
            throw DataError(
                benchmark: benchmark, file: source.file,
                problem: "\(url.absoluteString) answered HTTP \(response.status.code) \(response.status.reasonPhrase)")
        }
        if have == 0 { _ = manager.createFile(atPath: part.path, contents: nil) }
        let handle = try FileHandle(forWritingTo: part)
        defer { try? handle.close() }
        try handle.truncate(atOffset: UInt64(have))
        try handle.seekToEnd()
        let remaining = response.headers.first(name: "content-length").flatMap(Int.init)
        let total = remaining.map { $0 + have } ?? source.bytes
        var written = have
        progress(Progress(benchmark: benchmark, file: source.file, bytes: written, total: total))
        for try await buffer in response.body {
            try handle.write(contentsOf: buffer.readableBytesView)
            written += buffer.readableBytes
            progress(Progress(benchmark: benchmark, file: source.file, bytes: written, total: total))
        }
    }

    /// Pages of the Hugging Face rows API appended to `part` as JSON lines; a partial file resumes at its row count.
    private func fetchRows(
        _ url: URL, into part: URL, source: DataSource, benchmark: String, client: HTTPClient,
        progress: @escaping @Sendable (Progress) -> Void
    ) async throws {
        let manager = FileManager.default
        if !manager.fileExists(atPath: part.path) { _ = manager.createFile(atPath: part.path, contents: nil) }
        let existing = try Data(contentsOf: part)
        var offset = existing.reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
        let handle = try FileHandle(forWritingTo: part)
        defer { try? handle.close() }
        // A line cut short by an interruption is dropped; whole rows only.
        let whole = existing.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? 0
        try handle.truncate(atOffset: UInt64(whole))
        try handle.seekToEnd()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let separator = url.query == nil ? "?" : "&"
        var total = source.items
        while total.map({ offset < $0 }) ?? true {
            let page = HTTPClientRequest(
                url: url.absoluteString + separator + "offset=\(offset)&length=\(Self.rowsPerPage)")
            let response = try await send(page, source: source, benchmark: benchmark, client: client)
            guard response.status.code == 200 else {
                throw DataError(
                    benchmark: benchmark, file: source.file,
                    problem: "\(url.absoluteString) answered HTTP \(response.status.code) at row \(offset)")
            }
            let body = try await response.body.collect(upTo: 64 << 20)
            guard let document = try? JSONParser.parse(String(buffer: body)), let rows = document["rows"]?.array else {
                throw DataError(
                    benchmark: benchmark, file: source.file,
                    problem: "\(url.absoluteString) at row \(offset): not a rows API page (no \"rows\" list)")
            }
            total = document["num_rows_total"]?.integer ?? total
            guard !rows.isEmpty else { break }
            var lines = Data()
            for entry in rows {
                guard let row = entry["row"] else {
                    throw DataError(
                        benchmark: benchmark, file: source.file, problem: "row \(offset): an entry without \"row\"")
                }
                lines.append(try encoder.encode(row))
                lines.append(UInt8(ascii: "\n"))
            }
            try handle.write(contentsOf: lines)
            offset += rows.count
            progress(Progress(benchmark: benchmark, file: source.file, bytes: offset, total: total, rows: true))
        }
    }

    /// The rows the Hub's rows API gives per page at most.
    static let rowsPerPage = 100

    /// Sends a request, retrying a few times (1, 2, 4 s apart) when the server is busy (HTTP 429, 5xx) or the
    /// connection fails.
    private func send(
        _ request: HTTPClientRequest, source: DataSource, benchmark: String, client: HTTPClient
    ) async throws -> HTTPClientResponse {
        var attempt = 0
        while true {
            do {
                let response = try await client.execute(request, timeout: .seconds(600))
                if (response.status.code == 429 || response.status.code >= 500), attempt < 3 {
                    attempt += 1
                    try await Task.sleep(for: .seconds(1 << (attempt - 1)))
                    continue
                }
                return response
            } catch let error as HTTPClientError where attempt < 3 && error != .cancelled {
                attempt += 1
                try await Task.sleep(for: .seconds(1 << (attempt - 1)))
            } catch {
                throw DataError(
                    benchmark: benchmark, file: source.file,
                    problem: "cannot download \(request.url): \(TransportErrorText.sentence(error, url: request.url)); "
                        + "where this machine has no internet access, point --data-mirror (or LLMBENCH_DATA_MIRROR) at "
                        + "a mirror of the same paths, or download \(source.url) yourself and pass it with --dataset PATH"
                )
            }
        }
    }

    private func unpack(_ archive: URL, to file: URL, benchmark: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "exec gzip -dc \"$0\" > \"$1\"", archive.path, file.path + ".unpacking"]
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            throw DataError(
                benchmark: benchmark, file: archive.lastPathComponent,
                problem: "gzip could not unpack it: \(message.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        try? FileManager.default.removeItem(at: file)
        try FileManager.default.moveItem(at: URL(fileURLWithPath: file.path + ".unpacking"), to: file)
    }

    /// A JSON-lines file must hold the item count its source gives.
    private func checkItems(_ source: DataSource, benchmark: String) throws {
        guard let expected = source.items, source.file.hasSuffix(".jsonl") else { return }
        let file = folder(for: benchmark).appendingPathComponent(source.file)
        let lines = try String(contentsOf: file, encoding: .utf8).split(separator: "\n").filter {
            !$0.allSatisfy(\.isWhitespace)
        }
        guard lines.count == expected else {
            throw DataError(
                benchmark: benchmark, file: source.file,
                problem:
                    "holds \(lines.count) items where \(expected) are published; run `llmbench data get \(benchmark)` again"
            )
        }
    }

    private func writeLicence(_ task: TaskDefinition) throws {
        let lines = task.data.map { "\($0.file): \($0.licence), from \($0.url)" }
        let text =
            "Data of the benchmark \(task.dataName), as published, under its own licences:\n"
            + lines.joined(separator: "\n") + "\n"
        try text.write(
            to: folder(for: task.dataName).appendingPathComponent("LICENCE.txt"), atomically: true, encoding: .utf8)
    }
}

/// Benchmark data that could not be fetched or checked, naming the benchmark and file.
public struct DataError: Error, CustomStringConvertible {
    public var benchmark: String
    public var file: String
    public var problem: String

    public var description: String { "\(benchmark.isEmpty ? "" : benchmark + "/")\(file): \(problem)" }
}
