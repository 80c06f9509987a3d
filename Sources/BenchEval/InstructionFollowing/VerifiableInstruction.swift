import BenchCore

/// One IFEval instruction with its arguments read and checked.
enum VerifiableInstruction: Sendable, Hashable {
    case keywordsExistence(keywords: [String])
    case keywordFrequency(keyword: String, CountConstraint)
    case forbiddenWords([String])
    case letterFrequency(letter: Character, CountConstraint)
    /// As ``LanguageIdentifier`` reads the response; a response without letters is not held against it.
    case responseLanguage(code: String)
    case numberSentences(CountConstraint)
    case numberParagraphs(Int)
    case numberWords(CountConstraint)
    case nthParagraphFirstWord(paragraphs: Int, nth: Int, firstWord: String)
    case numberPlaceholders(atLeast: Int)
    case postscript(marker: String)
    case numberBulletLists(exactly: Int)
    case constrainedResponse
    case numberHighlightedSections(atLeast: Int)
    case multipleSections(splitter: String, atLeast: Int)
    case jsonFormat
    case title
    case twoResponses
    case repeatPrompt(String)
    case endChecker(phrase: String)
    case quotation
    case capitalWordFrequency(CountConstraint)
    case englishCapital
    case englishLowercase
    case noComma

    static let ids = [
        "keywords:existence", "keywords:frequency", "keywords:forbidden_words", "keywords:letter_frequency",
        "language:response_language",
        "length_constraints:number_sentences", "length_constraints:number_paragraphs",
        "length_constraints:number_words", "length_constraints:nth_paragraph_first_word",
        "detectable_content:number_placeholders", "detectable_content:postscript",
        "detectable_format:number_bullet_lists", "detectable_format:constrained_response",
        "detectable_format:number_highlighted_sections", "detectable_format:multiple_sections",
        "detectable_format:json_format", "detectable_format:title",
        "combination:two_responses", "combination:repeat_prompt",
        "startend:end_checker", "startend:quotation",
        "change_case:capital_word_frequency", "change_case:english_capital", "change_case:english_lowercase",
        "punctuation:no_comma",
    ]

    /// Reads the instruction `id` with its `kwargs`; `prompt` stands in for a missing `prompt_to_repeat`.
    init(id: String, kwargs: JSONValue, prompt: String) throws {
        func arguments(_ accepted: Set<String> = []) throws -> InstructionArguments {
            try InstructionArguments(kwargs, instruction: id, accepted: accepted)
        }
        switch id {
        case "keywords:existence":
            self = .keywordsExistence(keywords: try arguments(["keywords"]).texts("keywords"))
        case "keywords:frequency":
            let given = try arguments(["keyword", "frequency", "relation"])
            self = .keywordFrequency(
                keyword: try given.text("keyword"), try given.constraint(count: "frequency", relation: "relation"))
        case "keywords:forbidden_words":
            self = .forbiddenWords(try arguments(["forbidden_words"]).texts("forbidden_words"))
        case "keywords:letter_frequency":
            let given = try arguments(["letter", "let_frequency", "let_relation"])
            let letter = try given.text("letter").trimmed
            guard letter.count == 1, let character = letter.lowercased().first else {
                throw given.failure("letter", "must be a single character, not \"\(letter)\"")
            }
            self = .letterFrequency(
                letter: character, try given.constraint(count: "let_frequency", relation: "let_relation"))
        case "language:response_language":
            let given = try arguments(["language"])
            let code = try given.text("language")
            guard LanguageIdentifier.supportedCodes.contains(code) else {
                throw given.failure("language", "\"\(code)\" is not a language code the identifier recognises")
            }
            self = .responseLanguage(code: code)
        case "length_constraints:number_sentences":
            self = .numberSentences(
                try arguments(["num_sentences", "relation"]).constraint(count: "num_sentences", relation: "relation"))
        case "length_constraints:number_paragraphs":
            self = .numberParagraphs(try arguments(["num_paragraphs"]).count("num_paragraphs", minimum: 1))
        case "length_constraints:number_words":
            self = .numberWords(
                try arguments(["num_words", "relation"]).constraint(count: "num_words", relation: "relation"))
        case "length_constraints:nth_paragraph_first_word":
            let given = try arguments(["num_paragraphs", "nth_paragraph", "first_word"])
            let paragraphs = try given.count("num_paragraphs", minimum: 1)
            let nth = try given.count("nth_paragraph", minimum: 1)
            guard nth <= paragraphs else {
                throw given.failure("nth_paragraph", "is \(nth), beyond num_paragraphs (\(paragraphs))")
            }
            self = .nthParagraphFirstWord(
                paragraphs: paragraphs, nth: nth, firstWord: try given.text("first_word").trimmed.lowercased())
        case "detectable_content:number_placeholders":
            self = .numberPlaceholders(atLeast: try arguments(["num_placeholders"]).count("num_placeholders"))
        case "detectable_content:postscript":
            self = .postscript(marker: try arguments(["postscript_marker"]).text("postscript_marker").trimmed)
        case "detectable_format:number_bullet_lists":
            self = .numberBulletLists(exactly: try arguments(["num_bullets"]).count("num_bullets"))
        case "detectable_format:constrained_response":
            _ = try arguments()
            self = .constrainedResponse
        case "detectable_format:number_highlighted_sections":
            self = .numberHighlightedSections(atLeast: try arguments(["num_highlights"]).count("num_highlights"))
        case "detectable_format:multiple_sections":
            let given = try arguments(["section_spliter", "num_sections"])
            self = .multipleSections(
                splitter: try given.text("section_spliter").trimmed, atLeast: try given.count("num_sections"))
        case "detectable_format:json_format":
            _ = try arguments()
            self = .jsonFormat
        case "detectable_format:title":
            _ = try arguments()
            self = .title
        case "combination:two_responses":
            _ = try arguments()
            self = .twoResponses
        case "combination:repeat_prompt":
            let given = try arguments(["prompt_to_repeat"])
            guard let text = try given.optionalText("prompt_to_repeat") ?? (prompt.isBlank ? nil : prompt) else {
                throw given.failure("prompt_to_repeat", "is missing and the prompt is empty")
            }
            self = .repeatPrompt(text)
        case "startend:end_checker":
            self = .endChecker(phrase: try arguments(["end_phrase"]).text("end_phrase"))
        case "startend:quotation":
            _ = try arguments()
            self = .quotation
        case "change_case:capital_word_frequency":
            let given = try arguments(["capital_frequency", "capital_relation"])
            self = .capitalWordFrequency(try given.constraint(count: "capital_frequency", relation: "capital_relation"))
        case "change_case:english_capital":
            _ = try arguments()
            self = .englishCapital
        case "change_case:english_lowercase":
            _ = try arguments()
            self = .englishLowercase
        case "punctuation:no_comma":
            _ = try arguments()
            self = .noComma
        default:
            throw DatasetError(location: id, problem: "not a supported IFEval instruction id")
        }
    }

    /// Whether `response` satisfies the instruction.
    func isFollowed(by response: String) -> Bool {
        switch self {
        case .keywordsExistence(let keywords): KeywordChecks.containsAll(keywords, in: response)
        case .keywordFrequency(let keyword, let constraint):
            constraint.isSatisfied(by: KeywordChecks.occurrences(of: keyword, in: response))
        case .forbiddenWords(let words): !KeywordChecks.containsAnyWord(words, in: response)
        case .letterFrequency(let letter, let constraint):
            constraint.isSatisfied(by: KeywordChecks.occurrences(ofLetter: letter, in: response))
        case .responseLanguage(let code): LanguageIdentifier.identify(response).map { $0 == code } ?? true
        case .numberSentences(let constraint): constraint.isSatisfied(by: TextUnits.sentences(response).count)
        case .numberParagraphs(let count): LengthChecks.dividedParagraphCount(response) == count
        case .numberWords(let constraint): constraint.isSatisfied(by: TextUnits.words(response).count)
        case .nthParagraphFirstWord(let paragraphs, let nth, let firstWord):
            LengthChecks.paragraphs(response, count: paragraphs, nth: nth, startWith: firstWord)
        case .numberPlaceholders(let minimum): FormatChecks.placeholderCount(response) >= minimum
        case .postscript(let marker): FormatChecks.hasPostscript(marker: marker, in: response)
        case .numberBulletLists(let count): FormatChecks.bulletCount(response) == count
        case .constrainedResponse: FormatChecks.givesConstrainedAnswer(response)
        case .numberHighlightedSections(let minimum): FormatChecks.highlightCount(response) >= minimum
        case .multipleSections(let splitter, let minimum):
            FormatChecks.sectionCount(response, splitter: splitter) >= minimum
        case .jsonFormat: FormatChecks.isJSON(response)
        case .title: FormatChecks.hasTitle(response)
        case .twoResponses: FormatChecks.hasTwoDifferentResponses(response)
        case .repeatPrompt(let prompt): FormatChecks.startsByRepeating(prompt, response)
        case .endChecker(let phrase): FormatChecks.ends(response, with: phrase)
        case .quotation: FormatChecks.isQuoted(response)
        case .capitalWordFrequency(let constraint):
            constraint.isSatisfied(by: CaseChecks.capitalWordCount(response))
        case .englishCapital: CaseChecks.isAllCapitals(response) && CaseChecks.isEnglish(response)
        case .englishLowercase: CaseChecks.isAllLowercase(response) && CaseChecks.isEnglish(response)
        case .noComma: !response.unicodeScalars.contains(",")
        }
    }
}
