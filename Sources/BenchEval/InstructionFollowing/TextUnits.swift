import Foundation

/// The units the instructions count: lines, words and sentences.
public enum TextUnits {
    /// The lines of `text`, split on `\n`, keeping empty ones.
    public static func lines(_ text: String) -> [Substring] {
        text.split(separator: "\n", omittingEmptySubsequences: false)
    }

    /// Words: runs of letters, digits, combining marks and underscores (so "don't" is two words, "3.5" two).
    public static func words(_ text: String) -> [Substring] {
        text.split(whereSeparator: { !isWordCharacter($0) })
    }

    static func isWordCharacter(_ character: Character) -> Bool {
        character.isLetter || character.isNumber || character == "_" || startsWithMark(character)
    }

    /// Sentences: runs of whitespace-separated tokens up to one that ends in `.`, `!`, `?` or `…` (closing quotes,
    /// brackets and emphasis marks after it allowed), or in a CJK full stop. A period does not end a sentence after
    /// a title such as "Dr.", "e.g." or "vs.", after an initial ("J."), after a list number ("1."), or after a
    /// dotted abbreviation ("U.S.") unless a capitalised word follows. Line breaks are spaces, as in IFEval, so a
    /// heading without a full stop joins the sentence after it; but a list item ("1. ", "- ", "* ") starts a new
    /// sentence. Only sentences with a letter or digit count.
    public static func sentences(_ text: String) -> [String] {
        let spaced = text.reduce(into: "") { result, character in
            result.append(character)
            if SentenceEnd.cjkStops.contains(character) { result.append(" ") }
        }
        let tokens = lines(spaced).flatMap { line in
            line.split(whereSeparator: \.isWhitespace).enumerated().map { (text: $1, startsLine: $0 == 0) }
        }
        var sentences: [String] = []
        var current: [Substring] = []
        func finishSentence() {
            if !current.isEmpty { sentences.append(current.joined(separator: " ")) }
            current = []
        }
        for (index, token) in tokens.enumerated() {
            if token.startsLine, SentenceEnd.isListMarker(token.text) { finishSentence() }
            current.append(token.text)
            let next = tokens.indices.contains(index + 1) ? tokens[index + 1].text : nil
            if SentenceEnd.isEnd(token.text, opensSentence: current.count == 1, before: next) { finishSentence() }
        }
        finishSentence()
        return sentences.filter { $0.contains(where: { $0.isLetter || $0.isNumber }) }
    }

    private static func startsWithMark(_ character: Character) -> Bool {
        switch character.unicodeScalars.first?.properties.generalCategory {
        case .nonspacingMark?, .spacingMark?, .enclosingMark?: true
        default: false
        }
    }
}

/// Whether a token ends a sentence.
private enum SentenceEnd {
    static let cjkStops: Set<Character> = ["。", "！", "？"]
    static let stops: Set<Character> = [".", "!", "?", "…"]
    static let closers: Set<Character> = ["\"", "'", "”", "’", ")", "]", "}", "»", "*", "_"]
    static let openers: Set<Character> = ["\"", "'", "“", "‘", "(", "[", "{", "«", "*", "_"]
    static let titles: Set<String> = [
        "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "vs", "e.g", "i.e", "cf", "fig", "approx",
    ]

    /// "-", "*", "•", "1." or "1)".
    static func isListMarker(_ token: Substring) -> Bool {
        if ["-", "*", "•"].contains(token) { return true }
        guard let last = token.last, last == "." || last == ")" else { return false }
        let number = token.dropLast()
        return !number.isEmpty && number.allSatisfy(\.isNumber)
    }

    static func isEnd(_ token: Substring, opensSentence: Bool, before next: Substring?) -> Bool {
        guard let stopIndex = token.lastIndex(where: { !closers.contains($0) }) else { return false }
        let stop = token[stopIndex]
        if cjkStops.contains(stop) { return true }
        guard stops.contains(stop) else { return false }
        guard stop == "." else { return true }
        let stem = token[..<stopIndex].drop(while: { openers.contains($0) })
        if stem.hasSuffix(".") { return true }  // an ellipsis written as dots
        if titles.contains(stem.lowercased()) { return false }
        if stem.count == 1, stem.first?.isLetter == true { return false }
        if opensSentence, !stem.isEmpty, stem.allSatisfy(\.isNumber) { return false }
        if isDottedAbbreviation(stem) { return next?.first?.isUppercase ?? true }
        return true
    }

    /// "U.S", "Ph.D", "a.m": letters and dots, with a dot inside.
    private static func isDottedAbbreviation(_ stem: Substring) -> Bool {
        stem.contains(".") && stem.allSatisfy { $0.isLetter || $0 == "." }
            && stem.split(separator: ".").allSatisfy { $0.count <= 2 }
    }
}

extension StringProtocol {
    /// The text without leading and trailing whitespace and line breaks.
    var trimmed: String { trimmingCharacters(in: .whitespacesAndNewlines) }

    /// Whether the text is empty or only whitespace.
    var isBlank: Bool { allSatisfy(\.isWhitespace) }
}
