import Foundation

/// The paragraph checks of `length_constraints:*`; words and sentences are ``TextUnits``.
enum LengthChecks {
    /// `number_paragraphs`: the number of paragraphs separated by the markdown divider `***`, or nil when a
    /// paragraph between two dividers is blank. A blank stretch before the first or after the last divider is not a
    /// paragraph.
    static func dividedParagraphCount(_ text: String) -> Int? {
        let chunks = text.components(separatedBy: "***")
        let inner = chunks.dropFirst().dropLast()
        guard !inner.contains(where: \.isBlank) else { return nil }
        return chunks.count(where: { !$0.isBlank })
    }

    /// `nth_paragraph_first_word`: exactly `count` paragraphs separated by blank lines (`\n\n`), the `nth` of which
    /// starts with `firstWord` (lower case). The first word is the paragraph's first token without opening quotes or
    /// brackets, cut at its first character that is not a letter, digit or mark, and lowercased; so "**Weekend**"
    /// passes only loosely, with the `*` removed.
    static func paragraphs(_ text: String, count: Int, nth: Int, startWith firstWord: String) -> Bool {
        let paragraphs = text.components(separatedBy: "\n\n").filter { !$0.isBlank }
        guard paragraphs.count == count, paragraphs.indices.contains(nth - 1) else { return false }
        return Self.firstWord(of: paragraphs[nth - 1]) == firstWord
    }

    static func firstWord(of paragraph: String) -> String {
        let openers: Set<Character> = ["\"", "'", "“", "‘", "(", "[", "«"]
        let token = paragraph.split(whereSeparator: \.isWhitespace).first ?? ""
        return String(token.drop(while: { openers.contains($0) }).prefix(while: TextUnits.isWordCharacter))
            .lowercased()
    }
}
