import BenchEngine
import BenchProviders
import BenchCore
import BenchEval
import BenchSimulator
import Foundation
import Testing

@Suite struct SmokeSuiteTests {
    @Test func arithmeticProblemsAreFixedAndTheirAnswersRight() throws {
        let task = SmokeSuite.arithmetic.task
        let items = try task.loadItems()
        #expect(items.count == 30 && Set(items.map(\.id)).count == 30)
        #expect(try SmokeSuite.arithmetic.task.loadItems() == items)
        for item in items {
            let question = try #require(item.text("question"))
            let numbers = question.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
            let answer = try #require(item.text("answer").flatMap(Int.init))
            if question.contains("gets") { #expect(answer == numbers[0] + numbers[1], "\(question)") }
            if question.contains("gave") { #expect(answer == numbers[0] - numbers[1] && answer > 0, "\(question)") }
            if question.contains("box holds") { #expect(answer == numbers[0] * numbers[1], "\(question)") }
            if question.contains("shared") { #expect(answer * numbers[1] == numbers[0], "\(question)") }
        }
        let right = EvalItemResult.scoring(
            "So that is 4 × 5.\nAnswer: \(items[0].text("answer")!)", task: task, itemID: items[0].id, repeatIndex: 0,
            gold: items[0].text("answer")!)
        #expect(right.outcome == .correct)
    }

    @Test func knowledgeQuestionsHaveFourOptionsAndBalancedLetters() throws {
        let items = try SmokeSuite.knowledge.task.loadItems()
        #expect(items.count == 20)
        let letters = items.compactMap { $0.text("answer") }
        #expect(Set(letters).isSubset(of: ["A", "B", "C", "D"]))
        for letter in ["A", "B", "C", "D"] { #expect(letters.filter { $0 == letter }.count >= 4) }
        #expect(items.allSatisfy { item in ["a", "b", "c", "d"].allSatisfy { item.text($0) != nil } })
        let task = SmokeSuite.knowledge.task
        #expect(
            EvalItemResult.scoring("Answer: B", task: task, itemID: "k", repeatIndex: 0, gold: "B").outcome == .correct)
    }

    @Test func jsonItemsAcceptRightObjectsAndRefuseWrongOnes() throws {
        let task = SmokeSuite.json.task
        let items = try task.loadItems()
        let good = [
            #"{"title": "Dune", "year": 1965}"#, #"{"name": "Ada", "age": 36}"#,
            #"{"colors": ["red", "green", "blue"]}"#, #"{"name": "Lyon", "population": 522000}"#,
            #"{"is_even": true}"#, "```json\n{\"sum\": 7}\n```",
            #"{"name": "Lamp", "price": 19.5, "in_stock": false}"#, #"{"day": "Saturday"}"#,
        ]
        let bad = [
            #"{"title": "Dune"}"#, #"{"name": "Ada", "age": 300}"#, #"{"colors": ["red"]}"#,
            #"{"name": "Lyon", "population": "many"}"#, #"{"is_even": false}"#, #"{"sum": 8}"#,
            #"{"name": "Lamp", "price": -1, "in_stock": false}"#, "Saturday",
        ]
        for (item, (right, wrong)) in zip(items, zip(good, bad)) {
            let gold = try #require(try task.goldAnswer(for: item))
            let scoredRight = EvalItemResult.scoring(right, task: task, itemID: item.id, repeatIndex: 0, gold: gold)
            let scoredWrong = EvalItemResult.scoring(wrong, task: task, itemID: item.id, repeatIndex: 0, gold: gold)
            #expect(scoredRight.outcome == .correct, "\(item.id): \(right)")
            #expect(scoredWrong.outcome != .correct, "\(item.id): \(wrong)")
        }
    }
}

extension SmokeSuiteTests {
    @Test func instructionItemsAcceptFollowedAndRefuseBrokenInstructions() throws {
        let task = SmokeSuite.instructions.task
        let items = try task.loadItems()
        let good = [
            "The sea is wide. It shines at noon.", "A cat is small and soft. It sleeps all day.",
            "hello there, friend!", "THE MOON IS BRIGHT TONIGHT.",
            "<<The Last Light>>\nThe keeper climbed the stairs.", "* apple\n* pear\n* plum",
            "My answer is yes.", "Rain fell all day. Is there anything else I can help with?", "\"Hello, my friend!\"",
            "Dear neighbour, the fence by my garden needs fixing.", "Dear Sam,\nI miss you.\n\nP.S. Write soon.",
            #"{"city": "Rome"}"#,
        ]
        let bad = [
            "The sea is wide, and blue.", String(repeating: "cat ", count: 45), "Hello there!", "The Moon is bright.",
            "The Last Light: the keeper climbed the stairs.", "* apple\n* pear", "Yes, of course.",
            "Rain fell all day.", "Hello, my friend!", "Dear neighbour, the hedge needs cutting.",
            "Dear Sam,\nI miss you.", "The capital of Italy is Rome.",
        ]
        #expect(items.count == 12 && good.count == 12 && bad.count == 12)
        for (item, (right, wrong)) in zip(items, zip(good, bad)) {
            let gold = try #require(try task.goldAnswer(for: item))
            let scoredRight = EvalItemResult.scoring(right, task: task, itemID: item.id, repeatIndex: 0, gold: gold)
            let scoredWrong = EvalItemResult.scoring(wrong, task: task, itemID: item.id, repeatIndex: 0, gold: gold)
            #expect(scoredRight.outcome == .correct, "\(item.id): \(right)")
            #expect(scoredWrong.outcome == .incorrect, "\(item.id): \(wrong)")
        }
    }
}

extension LiveTests {
    @Suite struct SmokeSuiteLoopbackTests {
        @Test(arguments: SmokeSuite.allCases)
        func everySuiteRunsAgainstAnEndpoint(suite: SmokeSuite) async throws {
            let configuration = SimulatorConfiguration(ttft: .milliseconds(1), itl: .zero, outputTokens: 6)
            let summary = try await withSimulator(configuration) { port, _ in
                try await withEngine() { engine in
                    try await EvalRun(
                        task: suite.task,
                        target: BenchSpec.Target(baseURL: "http://127.0.0.1:\(port)/v1", model: "sim"), engine: engine,
                        concurrency: 8, outputDirectory: nil
                    ).run()
                }.summary
            }
            // The simulator's words answer nothing: the mechanics, every item asked once and none failed. (Six
            // plain words can follow an instruction such as "no commas", so that suite is checked for its figures.)
            #expect(summary.results == (try suite.task.loadItems()).count && summary.failed == 0)
            if suite == .instructions {
                #expect(summary.instructionFollowing?.promptStrict.n == 12)
            } else {
                #expect(summary.correct == 0)
            }
        }
    }
}
