/// The `keywords:*` checks. Matching ignores case.
enum KeywordChecks {
    /// `keywords:existence`: every keyword occurs, anywhere (as IFEval searches, "cat" occurs in "category").
    static func containsAll(_ keywords: [String], in text: String) -> Bool {
        let lowered = text.lowercased()
        return keywords.allSatisfy { lowered.contains($0.lowercased()) }
    }

    /// `keywords:frequency`: non-overlapping occurrences of `keyword`, anywhere (as IFEval counts).
    static func occurrences(of keyword: String, in text: String) -> Int {
        text.lowercased().ranges(of: keyword.lowercased()).count
    }

    /// `keywords:forbidden_words`: whether any of `words` occurs as a whole word.
    static func containsAnyWord(_ words: [String], in text: String) -> Bool {
        let lowered = text.lowercased()
        return words.contains { word in
            lowered.ranges(of: word.lowercased()).contains { range in
                let before =
                    range.lowerBound > lowered.startIndex ? lowered[lowered.index(before: range.lowerBound)] : nil
                let after = range.upperBound < lowered.endIndex ? lowered[range.upperBound] : nil
                return [before, after].allSatisfy { $0.map { !TextUnits.isWordCharacter($0) } ?? true }
            }
        }
    }

    /// `keywords:letter_frequency`: occurrences of one character (the `letter` may be a symbol such as `!`).
    static func occurrences(ofLetter letter: Character, in text: String) -> Int {
        text.lowercased().count { $0 == letter }
    }
}
