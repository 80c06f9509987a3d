public import BenchCore
import Foundation

/// The verdict on one instruction of one response.
public struct InstructionVerdict: Sendable, Hashable, Codable {
    /// The instruction id, e.g. `punctuation:no_comma`.
    public var instruction: String
    /// Whether the response as given follows the instruction (a blank response follows none).
    public var strict: Bool
    /// Whether any loose reading of the response follows it (see ``InstructionFollowing``).
    public var loose: Bool

    public init(instruction: String, strict: Bool, loose: Bool) {
        self.instruction = instruction
        self.strict = strict
        self.loose = loose
    }
}

/// IFEval's verifiable instructions: 25 kinds of instruction a program can check, such as "do not use any commas"
/// or "answer with at least 300 words".
///
/// An instruction is followed *strictly* when the response, not blank, satisfies it. It is followed *loosely* when
/// any of eight readings does: the response, the response without its first line, without its last line, without
/// both, and each of these four with every `*` removed. Loose scoring forgives a preamble ("Sure, here it is:"),
/// a closing remark and markdown emphasis. Windows line ends (`\r\n`) are read as `\n`.
public enum InstructionFollowing {
    /// The 25 supported instruction ids, in the order of IFEval's registry.
    public static let supported: [String] = VerifiableInstruction.ids

    /// Checks `response` against each instruction.
    ///
    /// - Parameters:
    ///   - response: The model's final answer (reasoning traces already removed).
    ///   - prompt: The prompt; `combination:repeat_prompt` falls back on it when `prompt_to_repeat` is not given.
    ///   - instructions: The instruction ids, as IFEval's `instruction_id_list` gives them.
    ///   - arguments: One kwargs object per id, as IFEval's `kwargs` gives them; null values mean "not given".
    /// - Returns: One verdict per instruction, in order.
    /// - Throws: ``DatasetError`` naming the instruction (and the argument) for an unknown id, a missing or
    ///   invalid argument, an unexpected argument, or a kwargs list whose length differs from the ids'. All
    ///   arguments are checked before any response is.
    public static func check(
        response: String, prompt: String, instructions: [String], arguments: [JSONValue]
    ) throws -> [InstructionVerdict] {
        guard instructions.count == arguments.count else {
            throw DatasetError(
                location: "kwargs",
                problem: "\(instructions.count) instruction ids but \(arguments.count) kwargs objects")
        }
        let parsed = try zip(instructions, arguments).map { id, kwargs in
            try VerifiableInstruction(id: id, kwargs: kwargs, prompt: prompt)
        }
        let readings = LooseReadings(of: response.replacingOccurrences(of: "\r\n", with: "\n"))
        return zip(instructions, parsed).map { id, instruction in
            InstructionVerdict(
                instruction: id,
                strict: readings.strictFollows(instruction),
                loose: readings.looseFollows(instruction))
        }
    }
}

/// The readings of one response that strict and loose scoring check.
struct LooseReadings {
    let original: String
    let all: [String]

    init(of response: String) {
        original = response
        let lines = TextUnits.lines(response)
        let withoutFirst = lines.dropFirst().joined(separator: "\n").trimmed
        let withoutLast = lines.dropLast().joined(separator: "\n").trimmed
        let withoutBoth = lines.dropFirst().dropLast().joined(separator: "\n").trimmed
        let lineReadings = [response, withoutFirst, withoutLast, withoutBoth]
        all = lineReadings + lineReadings.map { $0.replacingOccurrences(of: "*", with: "") }
    }

    func strictFollows(_ instruction: VerifiableInstruction) -> Bool {
        !original.isBlank && instruction.isFollowed(by: original)
    }

    func looseFollows(_ instruction: VerifiableInstruction) -> Bool {
        all.contains { !$0.isBlank && instruction.isFollowed(by: $0) }
    }
}
