import AsyncHTTPClient
import BenchCore
import BenchLocal
import BenchProviders
import Foundation
import Testing

/// llmbench's own byte-level BPE over a Hugging Face tokenizer.json: the algorithm on a vocabulary small enough to
/// follow by hand, and every supported piece against llama.cpp's `/tokenize` on the real model's vocabulary.
@Suite struct ByteLevelBPETests {
    static func tokenizer(_ json: String) throws -> ByteLevelBPE {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("tokenizer-\(UUID()).json")
        try json.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        return try ByteLevelBPE(path: file.path)
    }

    /// Bytes as themselves (ASCII), "Ġ" for the space; merges l+o, then Ġ+lo before lo+w, then Ġlo+w.
    static let small = """
        {"added_tokens": [{"id": 99, "content": "<|end|>"}],
         "pre_tokenizer": {"type": "Sequence", "pretokenizers": [{"type": "Digits", "individual_digits": true},
           {"type": "ByteLevel", "add_prefix_space": false, "use_regex": true}]},
         "model": {"type": "BPE", "vocab": {"l": 0, "o": 1, "w": 2, "Ġ": 3, "lo": 4, "low": 5, "Ġlo": 6, "Ġlow": 7,
           "1": 8, "2": 9, "!": 10, "e": 11, "r": 12},
           "merges": ["l o", "Ġ lo", "lo w", "Ġlo w"]}}
        """

    @Test func mergesApplyInRankOrderAndPiecesFollowThePreTokenizers() throws {
        let bpe = try Self.tokenizer(Self.small)
        #expect(bpe.count("low") == 1)  // l o w → lo w → low
        #expect(bpe.count("low low") == 2)  // "low", "Ġlow"
        #expect(bpe.count("lower") == 3)  // low e r
        #expect(bpe.count("12") == 2)  // each digit alone
        #expect(bpe.count("low!<|end|>low") == 4)  // low ! <|end|> low
        #expect(bpe.count("  low") == 2)  // "Ġ" then "Ġlow": the space before a word stays with it
        #expect(bpe.count("") == 0)
    }

    @Test(arguments: [
        (#"{"model": {"type": "WordPiece", "vocab": {"a": 0}}}"#, "a WordPiece model"),
        (#"{"model": {"type": "BPE", "byte_fallback": true, "vocab": {"a": 0}}}"#, "byte fallback"),
        (#"{"model": {"type": "BPE", "vocab": {"a": 0}}, "normalizer": {"type": "Lowercase"}}"#, "Lowercase"),
        (#"{"model": {"type": "BPE", "vocab": {"a": 0}}, "pre_tokenizer": {"type": "Metaspace"}}"#, "Metaspace"),
        ("{not json", "not valid JSON at line 1, column 2"),
    ])
    func tokenizersItCannotCountExactlyAreRefusedWithTheReason(json: String, reason: String) {
        #expect {
            try Self.tokenizer(json)
        } throws: {
            ($0 as? TokenizerFileError)?.problem.contains(reason) == true
        }
    }
}

extension LiveTests.LocalModelTests {
    /// Texts that exercise every part: words, digits, punctuation runs, whitespace runs, accents, CJK, emoji, code.
    static let texts = [
        "The quick brown fox jumps over the lazy dog.",
        "In 2024, 1,234,567 people paid $3.50 each — that's 4,320,484.50 dollars!",
        "  leading spaces,   inner runs\tand tabs\n\nnew lines  ",
        "Café, naïve, façade, Ünïcödé; 東京は日本の首都です。 Привет, мир! 🎉🚀👩‍💻",
        "func add(_ a: Int, _ b: Int) -> Int { return a + b } // it's fine, isn't it? I'll see.",
        "<|im_start|>assistant\nSure!<|im_end|>",
    ]

    @Test func theTokenizerFileCountsAsTheServerTokenizes() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gguf-tokenizer-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let json = folder.appendingPathComponent("tokenizer.json")
        let script = Fixtures.repositoryRoot.appendingPathComponent("scripts/tokenizer-from-gguf")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path, LocalModelInstaller().paths.model.path, json.path]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let file = try ByteLevelBPE(path: json.path)
        try await LocalModelGate.withPrivateServer(parallel: 1, contextSize: 2048) { state, _ in
            let server = ServerTokenCounter(baseURL: state.baseURL, http: HTTPTransport(.shared))
            for text in Self.texts {
                let expected = try await server.countTokens(text)
                #expect(file.count(text) == expected, "\(text): llmbench \(file.count(text)), llama.cpp \(expected)")
            }
        }
    }
}
