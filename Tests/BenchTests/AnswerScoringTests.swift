import BenchCore
import BenchEval
import Foundation
import Testing

@Suite struct AnswerFilterTests {
    @Test func numbersLoseSeparatorsAndCurrency() {
        #expect(AnswerFilter.number(last: true).apply("She makes 9 * 2 = $18 every day, so $1,234.50.") == "1234.50")
        #expect(AnswerFilter.number(last: false).apply("-3 apples and 4 pears") == "-3")
        #expect(AnswerFilter.number(last: true).apply("The answer is 42.") == "42")
        #expect(AnswerFilter.number(last: true).apply("no digits here") == nil)
    }

    @Test func reasoningBlocksAreRemoved() {
        #expect(
            AnswerFilter.stripReasoning.apply("<think>7 is wrong\nso 8</think>\nThe answer is 8") == "The answer is 8")
        // A server that dropped the opening tag.
        #expect(AnswerFilter.stripReasoning.apply("let me see, 7? no </think> 8") == "8")
        #expect(AnswerFilter.apply([.stripReasoning, .number(last: true)], to: "<think>12</think>It is 13") == "13")
    }

    @Test func boxedAnswersWithNestedBraces() {
        #expect(AnswerFilter.boxed.apply(#"so \boxed{1} then \boxed{\frac{1}{2}}"#) == #"\frac{1}{2}"#)
        #expect(AnswerFilter.boxed.apply("no box") == nil)
        #expect(AnswerFilter.boxed.apply(#"\boxed{unclosed"#) == nil)
    }

    @Test func choiceLettersInTheUsualForms() {
        let letter = AnswerFilter.choiceLetter(letters: "ABCD")
        #expect(letter.apply("The answer is (C).") == "C")
        #expect(letter.apply("Answer: B") == "B")
        #expect(letter.apply("D. Paris is the capital") == "D")
        #expect(letter.apply("I think (A) is plausible but the answer is B") == "B")
        #expect(letter.apply("Absolutely unsure") == nil)
    }

    @Test func regexTakesTheFirstCaptureGroupOfTheLastMatch() {
        let filter = AnswerFilter.regex(#"ANSWER:\s*(\w+)"#, last: true)
        #expect(filter.apply("ANSWER: no\nANSWER: yes") == "yes")
        #expect(filter.apply("nothing") == nil)
    }

    /// GSM8K's gold answers follow `####`; every one of the 100 real items must give a number.
    @Test func gsm8kGoldAnswersAllExtract() throws {
        let file = Fixtures.evalData.appendingPathComponent("gsm8k/test_first100.jsonl")
        let lines = try String(contentsOf: file, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 100)
        let gold = try lines.map { line -> String? in
            let answer = try #require(try JSONParser.parse(String(line))["answer"]?.string)
            return AnswerFilter.apply([.regex(#"####\s*(.+)$"#, last: true), .number(last: false)], to: answer)
        }
        #expect(gold.allSatisfy { $0.flatMap(Double.init) != nil })
        #expect(gold.first == "18")
    }
}

@Suite struct ScorerTests {
    @Test func textScorers() {
        #expect(Scorer.exact.score(answer: "Paris", reference: "Paris") == 1)
        #expect(Scorer.exact.score(answer: "paris", reference: "Paris") == 0)
        #expect(Scorer.normalizedExact.score(answer: "  The  Eiffel tower!", reference: "eiffel Tower") == 1)
        #expect(Scorer.contains.score(answer: "It is PARIS, of course", reference: "paris") == 1)
        #expect(Scorer.regex.score(answer: "order #1234 shipped", reference: #"#\d{4}\b"#) == 1)
        #expect(Scorer.regex.score(answer: "order #12 shipped", reference: #"#\d{4}\b"#) == 0)
    }

    @Test func numericScorerWithTolerances() {
        let exact = Scorer.numeric(tolerance: 0, relativeTolerance: 0)
        #expect(exact.score(answer: "1,000", reference: "1000") == 1)
        #expect(exact.score(answer: "$18.00", reference: "18") == 1)
        #expect(exact.score(answer: "17.9", reference: "18") == 0)
        #expect(Scorer.numeric(tolerance: 0.15, relativeTolerance: 0).score(answer: "17.9", reference: "18") == 1)
        #expect(Scorer.numeric(tolerance: 0, relativeTolerance: 0.01).score(answer: "990", reference: "1000") == 1)
        #expect(exact.score(answer: "eighteen", reference: "18") == 0)
    }

    @Test func jsonScorers() throws {
        #expect(Scorer.jsonValid.score(answer: #"{"a": [1, 2]}"#, reference: "") == 1)
        #expect(Scorer.jsonValid.score(answer: "```json\n{}\n```", reference: "") == 0)
        let schema = try JSONParser.parse(
            #"""
            {"type": "object", "required": ["name", "age"], "additionalProperties": false,
             "properties": {"name": {"type": "string", "minLength": 1},
                            "age": {"type": "integer", "minimum": 0, "maximum": 150},
                            "tags": {"type": "array", "items": {"enum": ["a", "b"]}, "maxItems": 2}}}
            """#)
        let scorer = Scorer.jsonSchema(schema)
        #expect(scorer.score(answer: #"{"name": "Ada", "age": 36, "tags": ["a"]}"#, reference: "") == 1)
        for invalid in [
            #"{"name": "Ada"}"#, #"{"name": "", "age": 3}"#, #"{"name": "Ada", "age": 3.5}"#,
            #"{"name": "Ada", "age": 200}"#, #"{"name": "Ada", "age": 3, "extra": 1}"#,
            #"{"name": "Ada", "age": 3, "tags": ["c"]}"#, #"{"name": "Ada", "age": 3, "tags": ["a", "b", "a"]}"#,
            "[1]",
        ] {
            #expect(scorer.score(answer: invalid, reference: "") == 0, "\(invalid)")
        }
        let errors = JSONSchemaValidator.errors(try JSONParser.parse(#"{"age": -1}"#), schema: schema)
        #expect(errors.contains("$: missing name") && errors.contains("$.age: below minimum"))
    }
}
