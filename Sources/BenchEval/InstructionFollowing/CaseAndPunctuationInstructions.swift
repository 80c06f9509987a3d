/// The `change_case:*` checks; `punctuation:no_comma` is a one-line check in ``VerifiableInstruction``.
enum CaseChecks {
    /// `capital_word_frequency`: words with at least one letter and all letters capitals ("NASA", and also "I").
    static func capitalWordCount(_ text: String) -> Int {
        TextUnits.words(text).count(where: isAllCapitals)
    }

    /// `english_capital`: some capital letter and no lower-case one.
    static func isAllCapitals(_ text: some StringProtocol) -> Bool {
        text.contains(where: \.isUppercase) && !text.contains(where: \.isLowercase)
    }

    /// `english_lowercase`: some lower-case letter and no capital one.
    static func isAllLowercase(_ text: String) -> Bool {
        text.contains(where: \.isLowercase) && !text.contains(where: \.isUppercase)
    }

    /// Whether the identifier reads the text as English (text without letters is not held against it).
    static func isEnglish(_ text: String) -> Bool {
        LanguageIdentifier.identify(text).map { $0 == "en" } ?? true
    }
}
