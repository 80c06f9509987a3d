import BenchCore
import Foundation

/// The pre-tokenizers of a `tokenizer.json` that byte-level BPE models use, each cutting pieces of text into smaller
/// pieces. Patterns match Unicode scalars, as the Rust `tokenizers` library does, not grapheme clusters.
indirect enum PreTokenizer: @unchecked Sendable {
    case sequence([PreTokenizer])
    /// Cuts at the pattern: `Isolated` keeps matches as pieces of their own, `Removed` drops them.
    case split(Regex<AnyRegexOutput>, removeMatches: Bool)
    /// Digits as pieces of their own: each digit alone (`individual_digits`), or each run of digits.
    case digits(individual: Bool)
    /// GPT-2's pattern (nil without `use_regex`), after a space put before each piece that has none
    /// (`add_prefix_space`).
    case byteLevel(addPrefixSpace: Bool, pattern: Regex<AnyRegexOutput>?)
    case none

    /// The pattern GPT-2 and the `ByteLevel` pre-tokenizer cut text with.
    static let gpt2Pattern = #"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"#

    init(_ value: JSONValue, fail: (String) -> TokenizerFileError) throws {
        guard value != .null else {
            self = .none
            return
        }
        switch value["type"]?.string {
        case "Sequence":
            self = .sequence(try (value["pretokenizers"]?.array ?? []).map { try PreTokenizer($0, fail: fail) })
        case "Split":
            let pattern: String
            if let regex = value["pattern"]?["Regex"]?.string {
                pattern = regex
            } else if let literal = value["pattern"]?["String"]?.string {
                pattern = NSRegularExpression.escapedPattern(for: literal)
            } else {
                throw fail("pre_tokenizer Split has no pattern")
            }
            guard value["invert"]?.bool != true else { throw fail("pre_tokenizer Split with invert is not supported") }
            let behavior = value["behavior"]?.string ?? "Isolated"
            guard behavior == "Isolated" || behavior == "Removed" else {
                throw fail("pre_tokenizer Split behaviour \(behavior) is not supported (Isolated or Removed)")
            }
            self = .split(try Self.regex(pattern, fail: fail), removeMatches: behavior == "Removed")
        case "Digits":
            self = .digits(individual: value["individual_digits"]?.bool ?? false)
        case "ByteLevel":
            self = .byteLevel(
                addPrefixSpace: value["add_prefix_space"]?.bool ?? true,
                pattern: value["use_regex"]?.bool ?? true ? try Self.regex(Self.gpt2Pattern, fail: fail) : nil)
        case let other:
            throw fail("the pre_tokenizer \(other ?? "?") is not supported (Sequence, Split, Digits, ByteLevel)")
        }
    }

    private static func regex(_ pattern: String, fail: (String) -> TokenizerFileError) throws -> Regex<AnyRegexOutput> {
        do {
            return try Regex(pattern).matchingSemantics(.unicodeScalar)
        } catch {
            throw fail("the pattern \(pattern) is not one llmbench can compile: \(error)")
        }
    }

    func apply(_ pieces: [String]) -> [String] {
        switch self {
        case .none:
            return pieces
        case .sequence(let steps):
            return steps.reduce(pieces) { $1.apply($0) }
        case .split(let regex, let removeMatches):
            return pieces.flatMap { Self.cut($0, at: regex, keepMatches: !removeMatches) }
        case .digits(let individual):
            return pieces.flatMap { Self.digits($0, individual: individual) }
        case .byteLevel(let addPrefixSpace, let pattern):
            return pieces.flatMap { piece -> [String] in
                let spaced = addPrefixSpace && !piece.hasPrefix(" ") ? " " + piece : piece
                return pattern.map { Self.cut(spaced, at: $0, keepMatches: true) } ?? [spaced]
            }
        }
    }

    /// `text` cut at every match: the stretches between matches, and the matches too when kept.
    static func cut(_ text: String, at regex: Regex<AnyRegexOutput>, keepMatches: Bool) -> [String] {
        var pieces: [String] = []
        var start = text.startIndex
        for match in text.matches(of: regex) where !match.range.isEmpty {
            if start < match.range.lowerBound {
                pieces.append(String(text.unicodeScalars[start..<match.range.lowerBound]))
            }
            if keepMatches { pieces.append(String(text.unicodeScalars[match.range])) }
            start = match.range.upperBound
        }
        if start < text.unicodeScalars.endIndex { pieces.append(String(text.unicodeScalars[start...])) }
        return pieces
    }

    /// Digits cut out, one by one or by runs (Unicode numbers: decimal, letter and other numbers, as Rust's
    /// `char::is_numeric`).
    static func digits(_ text: String, individual: Bool) -> [String] {
        var pieces: [String] = []
        var current = String.UnicodeScalarView()
        var currentIsDigit = false
        for scalar in text.unicodeScalars {
            let isDigit = [.decimalNumber, .letterNumber, .otherNumber].contains(scalar.properties.generalCategory)
            if !current.isEmpty && (isDigit != currentIsDigit || (isDigit && individual)) {
                pieces.append(String(current))
                current = String.UnicodeScalarView()
            }
            current.append(scalar)
            currentIsDigit = isDigit
        }
        if !current.isEmpty { pieces.append(String(current)) }
        return pieces
    }
}

/// GPT-2's map of the 256 byte values to printable characters, which byte-level vocabularies are written in: the
/// printable Latin-1 bytes stand for themselves, the others for U+0100 onwards in order.
enum ByteAlphabet {
    static let characters: [Character] = {
        var table = [Character](repeating: " ", count: 256)
        var next: UInt32 = 256
        for byte in 0..<256 {
            let printable = (33...126).contains(byte) || (161...172).contains(byte) || (174...255).contains(byte)
            var scalar = UInt32(byte)
            if !printable {
                scalar = next
                next += 1
            }
            table[byte] = Character(Unicode.Scalar(scalar)!)
        }
        return table
    }()

    /// `text`'s UTF-8 bytes written in the byte alphabet.
    static func map(_ text: String) -> String {
        String(text.utf8.map { characters[Int($0)] })
    }
}
