public import BenchCore
import Foundation
import Synchronization

/// A Hugging Face `tokenizer.json` of the byte-level BPE family — GPT-2, SmolLM2, StarCoder, Llama 3, Qwen 2 and
/// most open models since — read by llmbench itself, to count generated tokens when the server reports none.
///
/// Counting follows the file: added tokens are split out first (one token each); the normalizer (none or NFC);
/// the pre-tokenizers (`Sequence`, `Split` with `Isolated` or `Removed` behaviour, `Digits`, `ByteLevel` with its
/// GPT-2 pattern), matched on Unicode scalars as the Rust library does; each piece's UTF-8 bytes mapped to GPT-2's
/// byte alphabet; then BPE, merging the adjacent pair of lowest rank until none is in the merge list (a piece found
/// whole in the vocabulary is one token when the model sets `ignore_merges`). Other families (WordPiece, Unigram,
/// SentencePiece-style BPE with byte fallback) are refused with the reason, never counted approximately.
public struct ByteLevelBPE: TokenCounter {
    public let path: String
    private let vocabulary: Set<String>
    private let ranks: [Pair: Int]
    private let ignoreMerges: Bool
    private let added: [String]
    private let normalizeNFC: Bool
    private let preTokenizer: PreTokenizer
    private let cache = PieceCounts()

    struct Pair: Hashable {
        var left: String
        var right: String
    }

    public var name: String { "the tokenizer.json at \(path)" }

    /// Reads the tokenizer at `path`.
    /// - Throws: ``TokenizerFileError`` naming what the file lacks or what llmbench cannot count exactly.
    public init(path: String) throws {
        let text: String
        do {
            text = try String(contentsOf: URL(fileURLWithPath: path), encoding: .utf8)
        } catch {
            throw TokenizerFileError(path: path, problem: "cannot read: \(FileProblem.reason(error))")
        }
        let document: JSONValue
        do {
            document = try JSONParser.parse(text)
        } catch {
            throw TokenizerFileError(path: path, problem: "\(error)")
        }
        try self.init(document: document, path: path)
    }

    /// Token counts of pieces already encoded, shared by every copy of the tokenizer.
    final class PieceCounts: Sendable {
        let counts = Mutex<[String: Int]>([:])
    }

    init(document: JSONValue, path: String) throws {
        func fail(_ problem: String) -> TokenizerFileError { TokenizerFileError(path: path, problem: problem) }
        self.path = path
        guard let model = document["model"] else { throw fail("no model") }
        guard model["type"]?.string == "BPE" else {
            throw fail("a \(model["type"]?.string ?? "untyped") model: only byte-level BPE tokenizers are counted")
        }
        if model["byte_fallback"]?.bool == true {
            throw fail("a BPE with byte fallback (SentencePiece style): only byte-level BPE tokenizers are counted")
        }
        guard let vocab = model["vocab"]?.object, !vocab.isEmpty else { throw fail("model.vocab is missing") }
        vocabulary = Set(vocab.keys)
        var ranks: [Pair: Int] = [:]
        for (rank, merge) in (model["merges"]?.array ?? []).enumerated() {
            let parts: [String]
            if let line = merge.string {
                parts = line.split(separator: " ", maxSplits: 1).map(String.init)
            } else {
                parts = merge.array?.compactMap(\.string) ?? []
            }
            guard parts.count == 2 else { throw fail("model.merges[\(rank)] is not a pair") }
            ranks[Pair(left: parts[0], right: parts[1])] = ranks[Pair(left: parts[0], right: parts[1])] ?? rank
        }
        self.ranks = ranks
        ignoreMerges = model["ignore_merges"]?.bool ?? false
        added = (document["added_tokens"]?.array ?? []).compactMap { $0["content"]?.string }.filter { !$0.isEmpty }
            .sorted { $0.count > $1.count }
        normalizeNFC = try Self.normalizer(document["normalizer"], fail: fail)
        preTokenizer = try PreTokenizer(document["pre_tokenizer"] ?? .null, fail: fail)
    }

    /// Whether a normalizer is NFC (true) or absent (false); any other is refused.
    private static func normalizer(_ value: JSONValue?, fail: (String) -> TokenizerFileError) throws -> Bool {
        guard let value, value != .null else { return false }
        switch value["type"]?.string {
        case "NFC": return true
        case "Sequence":
            let steps = value["normalizers"]?.array ?? []
            return try steps.reduce(false) { try $0 || normalizer($1, fail: fail) }
        case let other: throw fail("the normalizer \(other ?? "?") is not supported (none or NFC)")
        }
    }

    public func countTokens(_ text: String) async throws -> Int { count(text) }

    /// The number of tokens `text` encodes to, without special tokens added around it.
    public func count(_ text: String) -> Int {
        var total = 0
        for (segment, isAdded) in splitAdded(text) {
            if isAdded {
                total += 1
                continue
            }
            let normalized = normalizeNFC ? segment.precomposedStringWithCanonicalMapping : segment
            for piece in preTokenizer.apply([normalized]) where !piece.isEmpty {
                total += count(piece: ByteAlphabet.map(piece))
            }
        }
        return total
    }

    /// The text cut around every added token (longest first), each part marked whether it is one.
    private func splitAdded(_ text: String) -> [(String, Bool)] {
        guard !added.isEmpty else { return [(text, false)] }
        var parts: [(String, Bool)] = []
        var rest = Substring(text)
        var plain = ""
        while !rest.isEmpty {
            if let token = added.first(where: { rest.hasPrefix($0) }) {
                if !plain.isEmpty { parts.append((plain, false)) }
                plain = ""
                parts.append((token, true))
                rest = rest.dropFirst(token.count)
            } else {
                plain.append(rest.removeFirst())
            }
        }
        if !plain.isEmpty { parts.append((plain, false)) }
        return parts
    }

    /// BPE over one pre-tokenized piece (already in the byte alphabet), cached per piece.
    private func count(piece: String) -> Int {
        if let known = cache.counts.withLock({ $0[piece] }) { return known }
        if ignoreMerges && vocabulary.contains(piece) { return 1 }
        var symbols = piece.unicodeScalars.map { String($0) }
        while symbols.count > 1 {
            var best: (rank: Int, pair: Pair)?
            for index in 0..<(symbols.count - 1) {
                let pair = Pair(left: symbols[index], right: symbols[index + 1])
                if let rank = ranks[pair], rank < best?.rank ?? .max { best = (rank, pair) }
            }
            guard let pair = best?.pair else { break }
            var merged: [String] = []
            merged.reserveCapacity(symbols.count)
            var index = 0
            while index < symbols.count {
                if index + 1 < symbols.count && symbols[index] == pair.left && symbols[index + 1] == pair.right {
                    merged.append(pair.left + pair.right)
                    index += 2
                } else {
                    merged.append(symbols[index])
                    index += 1
                }
            }
            symbols = merged
        }
        cache.counts.withLock { $0[piece] = symbols.count }
        return symbols.count
    }
}

/// A `tokenizer.json` llmbench cannot read or cannot count with exactly.
public struct TokenizerFileError: Error, Sendable, CustomStringConvertible {
    public let path: String
    public let problem: String
    public var description: String { "\(path): \(problem)" }
}
