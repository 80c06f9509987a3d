public import BenchCore
public import Foundation

/// One file of a benchmark's data, as its task file's `data:` list declares it: where it is published, the digest
/// of its bytes there, its licence and item count. `llmbench data get` downloads it into the benchmark's data
/// folder under ``file``, the name the task's `dataset:` uses.
public struct DataSource: Sendable, Hashable {
    /// How the published bytes become the file the task reads.
    public enum Packing: String, Sendable, Hashable {
        /// The file as served.
        case plain
        /// A gzip file (`HumanEval.jsonl.gz`), kept as downloaded and unpacked beside it.
        case gzip
        /// The Hugging Face dataset viewer's rows API (`…/rows?dataset=…&config=…&split=…`), for datasets the Hub
        /// holds only as Parquet: fetched 100 rows a page and written as JSON lines, one row per line, keys sorted.
        case hubRows = "hub_rows"
    }

    /// The file's name in the benchmark's data folder.
    public var file: String
    /// Where it is published: a raw file at a fixed commit or revision, or a rows API query.
    public var url: String
    /// SHA-256 of the published bytes (for ``Packing/hubRows``, of the JSON lines written); nil when no copy was at
    /// hand to pin it from: the first download's digest is then kept and checked from then on, and the source is
    /// reported as pinned locally, not verified.
    public var sha256: String?
    /// The published size in bytes, when known.
    public var bytes: Int?
    public var licence: String
    /// The number of items the file holds (lines, rows, records), checked after download when given.
    public var items: Int?
    public var packing: Packing

    public init(
        file: String, url: String, sha256: String? = nil, bytes: Int? = nil, licence: String, items: Int? = nil,
        packing: Packing = .plain
    ) {
        self.file = file
        self.url = url
        self.sha256 = sha256
        self.bytes = bytes
        self.licence = licence
        self.items = items
        self.packing = packing
    }

    /// The name the downloaded bytes are kept under: ``file``, or `file.gz` for a gzip source.
    public var downloadName: String { packing == .gzip ? file + ".gz" : file }

    /// The same source fetched from a mirror that serves each file at its origin's path (and query): the scheme,
    /// host and port of ``url`` replaced by `mirror`'s, any path of `mirror` put in front.
    public func mirrored(at mirror: URL) -> URL? {
        guard let origin = URLComponents(string: url),
            var target = URLComponents(url: mirror, resolvingAgainstBaseURL: false)
        else { return nil }
        let base = target.path.hasSuffix("/") ? String(target.path.dropLast()) : target.path
        target.path = base + origin.path
        target.percentEncodedQuery = origin.percentEncodedQuery
        return target.url
    }

    /// Reads a task file's `data:` list.
    /// - Throws: ``DatasetError`` naming the entry and field at fault.
    public static func list(_ value: JSONValue?) throws -> [DataSource] {
        guard let value else { return [] }
        guard let entries = value.array else {
            throw DatasetError(
                location: "data",
                problem: "expected a list of {file, url, sha256, licence, items}, or a benchmark's name")
        }
        return try entries.enumerated().map { index, entry in
            let place = "data[\(index)]"
            guard let fields = entry.object else {
                throw DatasetError(
                    location: place, problem: "expected a mapping of {file, url, sha256, licence, items}")
            }
            let known: Set<String> = ["file", "url", "sha256", "bytes", "licence", "items", "packing"]
            if let unknown = fields.keys.sorted().first(where: { !known.contains($0) }) {
                throw DatasetError(
                    location: "\(place).\(unknown)",
                    problem: "unknown field (known: \(known.sorted().joined(separator: ", ")))")
            }
            guard let file = fields["file"]?.string, !file.isEmpty, !file.contains("/"), !file.hasPrefix(".") else {
                throw DatasetError(location: "\(place).file", problem: "expected a file name (no folders)")
            }
            guard let url = fields["url"]?.string, let parsed = URL(string: url),
                parsed.scheme == "https" || parsed.scheme == "http"
            else { throw DatasetError(location: "\(place).url", problem: "expected an http(s) URL") }
            let digest = fields["sha256"]?.string?.lowercased()
            if let digest, digest.count != 64 || !digest.allSatisfy(\.isHexDigit) {
                throw DatasetError(location: "\(place).sha256", problem: "expected 64 hexadecimal digits")
            }
            guard let licence = fields["licence"]?.string, !licence.isEmpty else {
                throw DatasetError(
                    location: "\(place).licence", problem: "is required: the licence the data is published under")
            }
            var packing = Packing.plain
            if let name = fields["packing"]?.string {
                guard let known = Packing(rawValue: name) else {
                    throw DatasetError(location: "\(place).packing", problem: "expected plain, gzip or hub_rows")
                }
                packing = known
            }
            return DataSource(
                file: file, url: url, sha256: digest, bytes: fields["bytes"]?.integer, licence: licence,
                items: fields["items"]?.integer, packing: packing)
        }
    }
}
