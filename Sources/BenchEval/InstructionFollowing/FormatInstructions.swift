import BenchCore
import Foundation

/// The `detectable_content:*`, `detectable_format:*`, `combination:*` and `startend:*` checks.
enum FormatChecks {
    /// `number_placeholders`: bracketed placeholders such as `[name]`, each within one line.
    static func placeholderCount(_ text: String) -> Int {
        TextUnits.lines(text).reduce(0) { total, line in
            var count = 0
            var rest = line[...]
            while let open = rest.firstIndex(of: "["), let close = rest[open...].firstIndex(of: "]") {
                count += 1
                rest = rest[rest.index(after: close)...]
            }
            return total + count
        }
    }

    /// `postscript`: a line that starts with `marker` (ignoring case, leading whitespace and markdown emphasis, and
    /// allowing one space after each of the marker's dots, as in "P. S.") and goes on with some text.
    static func hasPostscript(marker: String, in text: String) -> Bool {
        TextUnits.lines(text).contains { line in
            let start = line.drop(while: { $0.isWhitespace || $0 == "*" || $0 == "_" })
            guard let rest = remainder(of: start.lowercased()[...], after: marker.lowercased()) else { return false }
            return rest.contains(where: TextUnits.isWordCharacter)
        }
    }

    /// The text after `marker` at the start of `text`, or nil when `text` does not start with it.
    private static func remainder(of text: Substring, after marker: String) -> Substring? {
        var rest = text
        for character in marker {
            guard rest.first == character else { return nil }
            rest = rest.dropFirst()
            if character == ".", rest.first?.isWhitespace == true { rest = rest.dropFirst() }
        }
        return rest
    }

    /// `number_bullet_lists`: lines that are markdown bullets, `* item` or `- item` (indented or not).
    static func bulletCount(_ text: String) -> Int {
        TextUnits.lines(text).count { line in
            let start = line.drop(while: \.isWhitespace)
            guard start.first == "*" || start.first == "-" else { return false }
            let afterMarker = start.dropFirst()
            return afterMarker.first?.isWhitespace == true && !afterMarker.isBlank
        }
    }

    static let constrainedAnswers = ["My answer is yes.", "My answer is no.", "My answer is maybe."]

    /// `constrained_response`: one of IFEval's three fixed answers appears, exactly as written.
    static func givesConstrainedAnswer(_ text: String) -> Bool {
        constrainedAnswers.contains { text.contains($0) }
    }

    /// `number_highlighted_sections`: `*highlighted*` and `**highlighted**` spans within a line, with text inside.
    static func highlightCount(_ text: String) -> Int {
        let single = text.matches(of: /\*[^\n*]*\*/)
        let double = text.matches(of: /\*\*[^\n*]*\*\*/)
        return (single.map(\.output) + double.map(\.output)).count { span in
            !span.trimmingCharacters(in: CharacterSet(charactersIn: "*")).isBlank
        }
    }

    /// `multiple_sections`: the sections that `splitter` (matching case) followed by a number opens, as in
    /// "SECTION 1" or "Day 2"; one space may come between them.
    static func sectionCount(_ text: String, splitter: String) -> Int {
        text.ranges(of: splitter).count { range in
            var rest = text[range.upperBound...]
            if rest.first?.isWhitespace == true { rest = rest.dropFirst() }
            return rest.first?.isNumber == true
        }
    }

    /// `json_format`: the whole response is JSON, optionally inside a markdown code fence (```` ```json ````).
    static func isJSON(_ text: String) -> Bool {
        var body = text.trimmed[...]
        if body.lowercased().hasPrefix("```json") {
            body = body.dropFirst(7)
        } else if body.hasPrefix("```") {
            body = body.dropFirst(3)
        }
        if body.hasSuffix("```") { body = body.dropLast(3) }
        return (try? JSONParser.parse(body.trimmed)) != nil
    }

    /// `title`: a line holds a title in double angular brackets, `<<title>>`, with text inside.
    static func hasTitle(_ text: String) -> Bool {
        text.matches(of: /<<[^\n]+>>/).contains { match in
            !match.output.trimmingCharacters(in: CharacterSet(charactersIn: "<>")).isBlank
        }
    }

    /// `two_responses`: two responses separated by `******`, both with text, and different. A blank stretch before
    /// or after them is allowed; a blank one between separators is not.
    static func hasTwoDifferentResponses(_ text: String) -> Bool {
        let parts = text.components(separatedBy: "******")
        guard !parts.dropFirst().dropLast().contains(where: \.isBlank) else { return false }
        let responses = parts.filter { !$0.isBlank }.map(\.trimmed)
        return responses.count == 2 && responses[0] != responses[1]
    }

    /// `repeat_prompt`: the response starts with the request, repeated word for word (ignoring case and surrounding
    /// whitespace).
    static func startsByRepeating(_ prompt: String, _ text: String) -> Bool {
        text.trimmed.lowercased().hasPrefix(prompt.trimmed.lowercased())
    }

    /// `end_checker`: the response ends with `phrase` (ignoring case, surrounding whitespace, and quotation marks
    /// around the whole response).
    static func ends(_ text: String, with phrase: String) -> Bool {
        let body = text.trimmed.trimmingCharacters(in: CharacterSet(charactersIn: "\"")).lowercased()
        return body.hasSuffix(phrase.trimmed.lowercased())
    }

    /// `quotation`: the response, trimmed, is wrapped in double quotation marks.
    static func isQuoted(_ text: String) -> Bool {
        let body = text.trimmed
        return body.count > 1 && body.hasPrefix("\"") && body.hasSuffix("\"")
    }
}
