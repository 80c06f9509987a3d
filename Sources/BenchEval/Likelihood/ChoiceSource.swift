import BenchCore
import Foundation

/// Where a multiple-choice item's choices and its right answer come from, in the shapes the datasets publish.
public struct ChoiceSource: Sendable, Hashable {
    public enum Choices: Sendable, Hashable {
        /// A field (or dotted path) holding: a list of texts (HellaSwag `endings`); a list of objects with `text`
        /// and `label` (ARC `question.choices`); an object with `choices` and `labels` lists, labels 1 for true
        /// (TruthfulQA MC on Hugging Face); or an object mapping each choice to 1 or 0 (TruthfulQA `mc_task.json`,
        /// its choices then sorted). The last two carry their own gold.
        case field(String)
        /// One template per choice (`["{{A}}", "{{B}}", …]`, or fixed texts such as `["no", "yes"]`).
        case templates([PromptTemplate])
    }

    public var choices: Choices
    /// Put before each choice (lm-eval's target delimiter, a space by default).
    public var prefix: String
    /// Renders the gold answer: a choice's label, a 0-based index, a letter (A = first), or a choice's text.
    public var gold: PromptTemplate?
    /// Maps a rendered gold answer to a choice index before anything else (BoolQ: `false` → 0, `true` → 1).
    public var goldMap: [String: Int]

    public init(choices: Choices, prefix: String = " ", gold: PromptTemplate?, goldMap: [String: Int] = [:]) {
        self.choices = choices
        self.prefix = prefix
        self.gold = gold
        self.goldMap = goldMap
    }

    /// An item's choices (without the prefix) and the indices of the true ones.
    /// - Throws: ``DatasetError`` when the choices are missing or the gold answer matches none of them.
    public func resolve(_ item: EvalItem) throws -> (choices: [String], gold: Set<Int>) {
        var labels: [String] = []
        var texts: [String] = []
        var ownGold: Set<Int>?
        switch choices {
        case .templates(let templates):
            texts = try templates.map { try $0.render(item) }
        case .field(let path):
            switch item.value(path) {
            case .array(let values)?:
                for value in values {
                    if let text = value.string {
                        texts.append(text)
                    } else if let text = value["text"]?.string {
                        texts.append(text)
                        labels.append(value["label"]?.string ?? value["label"]?.integer.map(String.init) ?? "")
                    } else {
                        throw Self.error(item, "\(path) holds a choice that is neither text nor {text, label}")
                    }
                }
            case .object(let fields)?:
                if let list = fields["choices"]?.array, let marks = fields["labels"]?.array, list.count == marks.count {
                    texts = list.compactMap(\.string)
                    ownGold = Set(marks.indices.filter { marks[$0].integer == 1 })
                } else {
                    texts = fields.keys.sorted()
                    ownGold = Set(texts.indices.filter { fields[texts[$0]]?.integer == 1 })
                }
            default:
                throw Self.error(item, "\(path) holds no list of choices")
            }
        }
        guard texts.count >= 2 else { throw Self.error(item, "fewer than two choices") }
        if let ownGold, gold == nil {
            guard !ownGold.isEmpty else { throw Self.error(item, "no choice is marked true") }
            return (texts, ownGold)
        }
        guard let gold else { throw Self.error(item, "the task gives no gold answer (`gold`)") }
        let answer = try gold.render(item).trimmingCharacters(in: .whitespaces)
        guard let index = Self.index(of: answer, texts: texts, labels: labels, map: goldMap) else {
            throw Self.error(item, "the gold answer \"\(answer)\" matches none of the \(texts.count) choices")
        }
        return (texts, [index])
    }

    static func index(of answer: String, texts: [String], labels: [String], map: [String: Int]) -> Int? {
        if let mapped = map[answer], texts.indices.contains(mapped) { return mapped }
        if let labelled = labels.firstIndex(of: answer) { return labelled }
        if let number = Int(answer), texts.indices.contains(number) { return number }
        if answer.count == 1, let scalar = answer.unicodeScalars.first, ("A"..."Z").contains(scalar) {
            let offset = Int(scalar.value - UnicodeScalar("A").value)
            if texts.indices.contains(offset) { return offset }
        }
        return texts.firstIndex(of: answer)
    }

    static func error(_ item: EvalItem, _ problem: String) -> DatasetError {
        DatasetError(location: "item \(item.id)", problem: problem)
    }
}
