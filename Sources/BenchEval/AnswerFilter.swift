import Foundation

/// One step that turns a model's answer text into the part that is scored. A step that finds nothing makes the
/// answer *unparsed* — reported apart from wrong, never guessed.
public enum AnswerFilter: Sendable, Hashable {
    /// Drops reasoning: `<think>…</think>` (and `<thinking>`, `<reasoning>`) blocks, and everything before an
    /// unmatched closing tag.
    case stripReasoning
    /// The first or last match of a regular expression (its first capture group when it has one).
    case regex(String, last: Bool)
    /// The first or last number (sign, thousands separators and currency dropped: `$1,234.50` → `1234.50`).
    case number(last: Bool)
    /// The content of the last `\boxed{…}` (nested braces allowed).
    case boxed
    /// A multiple-choice letter among `letters`: after "answer is", "Answer:" or in parentheses, else a standalone
    /// letter at the start.
    case choiceLetter(letters: String)
    /// Leading and trailing whitespace removed.
    case trim
    /// The content of the first fenced code block (```…```) when there is one, else the text unchanged.
    case codeBlock

    /// The filtered text, or nil when the step found nothing.
    public func apply(_ text: String) -> String? {
        switch self {
        case .stripReasoning: return Self.stripReasoning(text)
        case .regex(let pattern, let last): return Self.match(pattern, in: text, last: last)
        case .number(let last): return Self.number(in: text, last: last)
        case .boxed: return Self.boxed(text)
        case .choiceLetter(let letters): return Self.choiceLetter(text, letters: letters)
        case .trim: return text.trimmingCharacters(in: .whitespacesAndNewlines)
        case .codeBlock: return Self.match(#"```[A-Za-z0-9_-]*\s*\n(.*?)```"#, in: text, last: false) ?? text
        }
    }

    /// Runs `filters` in order; nil as soon as one finds nothing.
    public static func apply(_ filters: [AnswerFilter], to text: String) -> String? {
        filters.reduce(Optional(text)) { partial, filter in partial.flatMap(filter.apply) }
    }

    static func stripReasoning(_ text: String) -> String {
        var result = text
        for tag in ["think", "thinking", "reasoning"] {
            if let regex = CompiledPatterns.regex(
                "<\(tag)>.*?</\(tag)>", options: [.dotMatchesLineSeparators, .caseInsensitive])
            {
                result = regex.stringByReplacingMatches(
                    in: result, range: NSRange(result.startIndex..., in: result), withTemplate: "")
            }
            // A reasoning block whose opening tag the server dropped: keep what follows the closing tag.
            if let close = result.range(of: "</\(tag)>", options: [.caseInsensitive, .backwards]) {
                result = String(result[close.upperBound...])
            }
        }
        return result.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func match(_ pattern: String, in text: String, last: Bool) -> String? {
        guard let regex = CompiledPatterns.regex(pattern, options: [.dotMatchesLineSeparators]) else {
            return nil
        }
        let matches = regex.matches(in: text, range: NSRange(text.startIndex..., in: text))
        guard let found = last ? matches.last : matches.first else { return nil }
        let rangeIndex = found.numberOfRanges > 1 && found.range(at: 1).location != NSNotFound ? 1 : 0
        guard let range = Range(found.range(at: rangeIndex), in: text) else { return nil }
        return String(text[range])
    }

    static func number(in text: String, last: Bool) -> String? {
        guard let raw = match(#"-?\$?\s?\d[\d,]*(?:\.\d+)?"#, in: text, last: last) else { return nil }
        var cleaned = raw.replacingOccurrences(of: ",", with: "").replacingOccurrences(of: "$", with: "")
            .replacingOccurrences(of: " ", with: "")
        if cleaned.hasSuffix(".") { cleaned.removeLast() }
        return cleaned
    }

    static func boxed(_ text: String) -> String? {
        guard let start = text.range(of: "\\boxed{", options: .backwards) else { return nil }
        var depth = 1
        var index = start.upperBound
        while index < text.endIndex {
            switch text[index] {
            case "{": depth += 1
            case "}":
                depth -= 1
                if depth == 0 { return String(text[start.upperBound..<index]) }
            default: break
            }
            index = text.index(after: index)
        }
        return nil
    }

    static func choiceLetter(_ text: String, letters: String) -> String? {
        let set = "[" + NSRegularExpression.escapedPattern(for: letters) + "]"
        let patterns = [
            #"(?i:answer(?:\s+is)?)\s*[:\-]?\s*\(?("# + set + #")\)?(?![A-Za-z])"#,
            #"\(("# + set + #")\)"#,
            #"^\s*("# + set + #")(?:[\.\):\s]|$)"#,
        ]
        for pattern in patterns {
            if let letter = match(pattern, in: text, last: true) { return letter }
        }
        return nil
    }
}
