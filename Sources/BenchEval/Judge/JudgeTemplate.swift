public import BenchCore
import Foundation

/// A versioned judge prompt: what a judge model is asked about a candidate's answer, the verdicts it may give, and
/// which of them count as a pass. The id and version are stored with every verdict, so a changed prompt never
/// mixes silently with results graded by the old one. The templates written for llmbench are in
/// `JudgeTemplate+Catalogue.swift`.
public struct JudgeTemplate: Sendable, Hashable, Codable {
    /// One verdict the judge may give: the label it writes, and what it means.
    public struct Verdict: Sendable, Hashable, Codable {
        public var label: String
        public var meaning: String
        public var passes: Bool

        public init(label: String, meaning: String, passes: Bool) {
            self.label = label
            self.meaning = meaning
            self.passes = passes
        }
    }

    /// What the judge's reply holds.
    public enum Output: String, Sendable, Hashable, Codable {
        /// One verdict line (`Verdict: X`, or `Score: N` for rubric scales whose labels are numbers).
        case verdict
        /// One line per atomic claim of the answer, each `SUPPORTED: …` or `NOT_SUPPORTED: …` (``ClaimCheck``).
        case claims
    }

    public var id: String
    public var version: Int
    public var system: String?
    /// The question to the judge: `{{question}}`, `{{answer}}` and `{{reference}}` are filled in (pairwise
    /// templates take `{{answer_a}}` and `{{answer_b}}`).
    public var prompt: String
    public var verdicts: [Verdict]
    public var output: Output
    /// Tokens the judge may write (room for a short justification before the verdict line).
    public var maxTokens: Int

    public init(
        id: String, version: Int, system: String?, prompt: String, verdicts: [Verdict], output: Output = .verdict,
        maxTokens: Int
    ) {
        self.id = id
        self.version = version
        self.system = system
        self.prompt = prompt
        self.verdicts = verdicts
        self.output = output
        self.maxTokens = maxTokens
    }

    /// `id/version`, as stored with each verdict.
    public var name: String { "\(id)/\(version)" }

    /// Rubric templates: the numeric labels (`1`…`5`), nil for categorical verdicts.
    public var scale: [Int]? {
        let numbers = verdicts.compactMap { Int($0.label) }
        return numbers.count == verdicts.count && !numbers.isEmpty ? numbers : nil
    }

    /// The judge's messages for one answer.
    public func messages(question: String, answer: String, reference: String) -> [ChatMessage] {
        messages(["question": question, "answer": answer, "reference": reference])
    }

    /// The judge's messages with `{{name}}` replaced by `fields[name]` (placeholders without a field are left).
    public func messages(_ fields: [String: String]) -> [ChatMessage] {
        // One pass over the template, so a filled-in answer that itself contains "{{…}}" is never expanded.
        var text = ""
        var rest = Substring(prompt)
        while let open = rest.range(of: "{{"), let close = rest[open.upperBound...].range(of: "}}") {
            text += rest[..<open.lowerBound]
            let name = String(rest[open.upperBound..<close.lowerBound])
            text += fields[name] ?? "{{\(name)}}"
            rest = rest[close.upperBound...]
        }
        text += rest
        return (system.map { [ChatMessage(role: "system", content: $0)] } ?? []) + [
            ChatMessage(role: "user", content: text)
        ]
    }

    /// The verdict in a judge's reply and where its label stands (where a rubric score's log-probabilities are
    /// read): the label after the last `Verdict:` (or `Grade:`, `Score:`, `Rating:`), else a reply that is nothing
    /// but a label; nil when neither is there — recorded as unparsed, never guessed.
    public func match(_ reply: String) -> (verdict: Verdict, range: Range<String.Index>)? {
        // Longest labels first, so "10" is not read as "1".
        let labels = verdicts.map(\.label).sorted { $0.count > $1.count }
            .map { NSRegularExpression.escapedPattern(for: $0) }.joined(separator: "|")
        let pattern =
            #"(?i)(?:verdict|grade|score|rating)[\*_]*\s*[:=][\s\*_"'\[\(]*("# + labels + #")(?![A-Za-z_0-9])"#
        if let regex = CompiledPatterns.regex(pattern),
            let found = regex.matches(in: reply, range: NSRange(reply.startIndex..., in: reply)).last,
            let range = Range(found.range(at: 1), in: reply)
        {
            let label = reply[range].uppercased()
            return verdicts.first { $0.label.uppercased() == label }.map { ($0, range) }
        }
        let trimmed = CharacterSet.whitespacesAndNewlines.union(.punctuationCharacters)
        let bare = reply.trimmingCharacters(in: trimmed)
        guard let verdict = verdicts.first(where: { $0.label.caseInsensitiveCompare(bare) == .orderedSame }),
            let range = reply.range(of: bare)
        else { return nil }
        return (verdict, range)
    }

    /// Safety templates: the hazard codes (`S1`…`S14`) after the last `Categories:` in the reply.
    public func categories(in reply: String) -> [String] {
        guard let line = reply.range(of: "categories", options: [.caseInsensitive, .backwards]) else { return [] }
        let tail = reply[line.upperBound...].prefix { $0 != "\n" }
        let codes = tail.uppercased().split { !$0.isLetter && !$0.isNumber }.map(String.init)
        return codes.filter { code in SafetyTaxonomy.categories.contains { $0.code == code } }
    }
}
