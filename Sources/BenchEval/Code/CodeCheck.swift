public import BenchCore
import Foundation

/// How a code-execution task (`scorer: {code_execution: {prefix, test, entry_point}}`) turns a model's answer
/// into a program: HumanEval's layout. The reference stored with each result is the JSON object of the rendered
/// pieces (``reference(for:)``), so stored answers can be run again without the dataset.
public struct CodeCheck: Sendable, Hashable {
    /// The code the answer continues (HumanEval's `prompt`: imports, the signature and the docstring).
    public var prefix: PromptTemplate
    /// The benchmark's tests, defining `check(candidate)`.
    public var test: PromptTemplate
    /// The function under test.
    public var entryPoint: PromptTemplate

    public init(prefix: PromptTemplate, test: PromptTemplate, entryPoint: PromptTemplate) {
        self.prefix = prefix
        self.test = test
        self.entryPoint = entryPoint
    }

    /// The rendered pieces of one item as the JSON reference `{"entry_point", "prefix", "test"}`.
    public func reference(for item: EvalItem) throws -> String {
        let pieces = JSONValue.object([
            "prefix": .string(try prefix.render(item)), "test": .string(try test.render(item)),
            "entry_point": .string(try entryPoint.render(item)),
        ])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(pieces), as: UTF8.self)
    }

    /// The program that runs `answer` against the tests of `reference` (``reference(for:)``): the answer's code
    /// (the first fenced block when it has one, else the answer as written) after the prefix — when the answer
    /// writes the function itself (a chat model's habit), after the part of the prefix before its stub of the
    /// entry point, so the prefix's imports and helpers stay defined and the answer's definition replaces the stub;
    /// else as the body the prefix leaves open — then the tests and `check(entry_point)`. Nil when the reference
    /// is not such an object.
    public static func program(answer: String, reference: String) -> String? {
        guard let pieces = try? JSONParser.parse(reference), let prefix = pieces["prefix"]?.string,
            let test = pieces["test"]?.string, let entry = pieces["entry_point"]?.string
        else { return nil }
        let code = fencedCode(in: answer) ?? answer
        let definition = #"(^|\n)[ \t]*def\s+\#(NSRegularExpression.escapedPattern(for: entry))\s*\("#
        let body: String
        if code.range(of: definition, options: .regularExpression) != nil {
            // The prefix's imports and helpers stay; its stub of the entry point goes.
            let stub = prefix.range(of: definition, options: .regularExpression)?.lowerBound ?? prefix.endIndex
            body = String(prefix[..<stub]) + "\n\n" + code
        } else {
            body = prefix + code
        }
        return body + "\n\n" + test + "\n\ncheck(\(entry))\n"
    }

    /// The contents of the first fenced code block (```python … ``` or ``` … ```), nil when there is none.
    static func fencedCode(in text: String) -> String? {
        guard let open = text.range(of: "```") else { return nil }
        guard let lineEnd = text[open.upperBound...].firstIndex(of: "\n") else { return nil }
        let start = text.index(after: lineEnd)
        let close = text[start...].range(of: "```")?.lowerBound ?? text.endIndex
        return String(text[start..<close])
    }
}
