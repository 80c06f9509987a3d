import BenchEngine
import BenchProviders
import BenchCore
import BenchEval
import Foundation
import Testing

@Suite struct DatasetTests {
    static func path(_ name: String) -> String { Fixtures.evalData.appendingPathComponent(name).path }

    @Test func realDatasetsLoadInTheirPublishedFormats() throws {
        let gsm8k = try DatasetLoader.load(path: Self.path("gsm8k/test_first100.jsonl"))
        #expect(gsm8k.count == 100 && gsm8k[0].id == "0" && gsm8k[0].text("question")?.hasPrefix("Janet") == true)
        let xstest = try DatasetLoader.load(path: Self.path("xstest/xstest_prompts.csv"))
        #expect(xstest.count == 450)
        #expect(xstest.filter { $0.text("label") == "safe" }.count == 250)
        #expect(xstest.filter { $0.text("label") == "unsafe" }.count == 200)
        #expect(Set(xstest.map(\.id)).count == 450)
        let ifeval = try DatasetLoader.load(path: Self.path("ifeval/input_data.jsonl"))
        #expect(ifeval.count == 541 && ifeval.allSatisfy { $0.fields["instruction_id_list"]?.array?.isEmpty == false })
        #expect(ifeval[0].id == ifeval[0].text("key"))
    }

    @Test func csvQuotingFollowsRFC4180() throws {
        let text = "id,prompt,note\r\n1,\"Hello, world\",\"she said \"\"hi\"\"\"\n2,\"two\nlines\",\n\n3,plain,x"
        let rows = try DatasetLoader.csvRows(text, source: "t.csv")
        #expect(
            rows == [
                ["id", "prompt", "note"], ["1", "Hello, world", #"she said "hi""#], ["2", "two\nlines", ""],
                ["3", "plain", "x"],
            ])
        #expect(throws: DatasetError.self) { try DatasetLoader.csvRows("a,\"open\n", source: "t.csv") }
        #expect { try DatasetLoader.csv("a,b\n1,2,3\n", source: "t.csv") } throws: {
            ($0 as? DatasetError)?.location == "t.csv row 2"
        }
    }

    @Test func badLinesNameTheirPlace() {
        #expect { try DatasetLoader.jsonLines("{\"a\":1}\nnot json\n", source: "d.jsonl") } throws: {
            ($0 as? DatasetError)?.location == "d.jsonl line 2"
        }
    }

    @Test func templatesRenderFieldsAndRefuseMissingOnes() throws {
        let item = EvalItem(
            id: "7", fields: ["question": .string("2+2?"), "n": .number(3), "tags": .array([.string("x")])])
        let template = PromptTemplate("Q{{ n }}: {{question}}\nTags: {{tags}}\nAnswer:")
        #expect(template.fieldNames == ["n", "question", "tags"])
        #expect(try template.render(item) == "Q3: 2+2?\nTags: [\"x\"]\nAnswer:")
        #expect { try PromptTemplate("{{missing}}").render(item) } throws: {
            "\($0)".contains("{{missing}}") && "\($0)".contains("item 7")
        }
    }
}

/// The task files shipped in `tasks/`, over real or user-shaped copies of their datasets.
@Suite struct StandardTaskFileTests {
    static func task(_ name: String) throws -> TaskDefinition {
        let url = Fixtures.repositoryRoot.appendingPathComponent("tasks/\(name)")
        return try TaskDefinition(
            document: try BenchSpec.document(String(contentsOf: url, encoding: .utf8)),
            directory: url.deletingLastPathComponent())
    }

    @Test func gsm8kTaskReadsTheRealTestFile() throws {
        let task = try Self.task("gsm8k.yaml").reading(
            Fixtures.evalData.appendingPathComponent("gsm8k/test_first100.jsonl").path)
        let items = try task.loadItems()
        #expect(items.count == 100)
        #expect(try items.allSatisfy { try task.goldAnswer(for: $0).flatMap(Double.init) != nil })
        let result = EvalItemResult.scoring(
            "16 - 3 - 4 = 9 eggs, 9 × $2 = $18.\n#### 18", task: task, itemID: items[0].id, repeatIndex: 0, gold: "18")
        #expect(result.outcome == .correct)
    }

    @Test func mmluTaskReadsAHeaderlessSubjectFile() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("mmlu-\(UUID()).csv")
        defer { try? FileManager.default.removeItem(at: file) }
        // MMLU's layout: no header; question, four options, answer letter; quoted fields with commas.
        try "\"Which planet is largest, by mass?\",Mars,Jupiter,Venus,Earth,B\nWhat is 2+2?,3,4,5,\"6, or more\",B\n"
            .write(to: file, atomically: true, encoding: .utf8)
        let task = try Self.task("mmlu-generative.yaml").reading(file.path)
        let items = try task.loadItems()
        #expect(items.count == 2 && items[0].text("b") == "Jupiter" && items[1].text("d") == "6, or more")
        let prompt = try task.messages(for: items[0], among: items)[0].content
        #expect(prompt.contains("Which planet is largest, by mass?\nA) Mars\nB) Jupiter"))
        #expect(
            EvalItemResult.scoring("Answer: B", task: task, itemID: items[0].id, repeatIndex: 0, gold: "B").outcome
                == .correct)
    }

    @Test func dottedPathsReachNestedFields() throws {
        let item = EvalItem(
            id: "q",
            fields: try JSONParser.parse(#"{"question": {"stem": "Why?", "choices": [{"text": "Because"}]}}"#)
                .object ?? [:])
        #expect(item.text("question.stem") == "Why?")
        #expect(item.text("question.choices.0.text") == "Because")
        #expect(item.text("question.choices.3.text") == nil)
        #expect(try PromptTemplate("{{question.stem}} {{question.choices.0.text}}").render(item) == "Why? Because")
    }

    @Test func everyShippedTaskFileParses() throws {
        let folder = Fixtures.repositoryRoot.appendingPathComponent("tasks")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".yaml") }
        #expect(names.count >= 10)
        for name in names {
            #expect(throws: Never.self, "\(name)") { try Self.task(name) }
        }
    }

    @Test func ifevalTaskChecksTheRealPromptsInstructions() throws {
        let task = try Self.task("ifeval.yaml").reading(
            Fixtures.evalData.appendingPathComponent("ifeval/input_data.jsonl").path)
        let items = try task.loadItems()
        #expect(items.count == 541)
        let golds = try items.map { try #require(try task.goldAnswer(for: $0)) }
        let noComma = try #require(items.firstIndex { $0.id == "1001" })
        let followed = EvalItemResult.scoring(
            "<think>plan, then write</think>Day one brings the temple gardens of Kyoto and a quiet tea house",
            task: task, itemID: "1001", repeatIndex: 0, gold: golds[noComma])
        #expect(followed.outcome == .correct && followed.instructions?.count == 1)
        let broken = EvalItemResult.scoring(
            "Day one: Kyoto, temples, tea.", task: task, itemID: "1001", repeatIndex: 0, gold: golds[noComma])
        #expect(broken.outcome == .incorrect && broken.instructions?.first?.strict == false)
        var other = broken
        other.itemID = "1000"
        let summary = EvalSummary(task: "ifeval", results: [followed, other])
        let figures = try #require(summary.instructionFollowing)
        #expect(figures.promptStrict.value == 0.5 && figures.promptStrict.n == 2)
        #expect(figures.instructionStrict.n == 2)
    }

    @Test func multipleChoiceTaskFilesReadTheirDatasetsShapes() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mc-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let samples: [(String, String, String, [String], Set<Int>)] = [
            (
                "arc.yaml", "arc.jsonl",
                #"{"id":"Mercury_1","question":{"stem":"Which is a mammal?","choices":[{"text":"trout","label":"A"},{"text":"whale","label":"B"}]},"answerKey":"B"}"#,
                ["trout", "whale"], [1]
            ),
            (
                "hellaswag.yaml", "hellaswag.jsonl",
                #"{"ind":4,"activity_label":"Baking","ctx_a":"She opens the oven","ctx_b":"then","endings":["and sings.","then takes the bread out.","a","b"],"label":1}"#,
                ["and sings.", "then takes the bread out.", "a", "b"], [1]
            ),
            (
                "boolq.yaml", "boolq.jsonl",
                #"{"question":"is the sky blue","title":"Sky","answer":true,"passage":"The sky is blue."}"#,
                ["no", "yes"], [1]
            ),
            (
                "truthfulqa-mc2.yaml", "mc_task.json",
                #"[{"question":"Can pigs fly?","mc1_targets":{"No":1,"Yes":0},"mc2_targets":{"No":1,"Not really":1,"Yes":0}}]"#,
                ["No", "Not really", "Yes"], [0, 1]
            ),
        ]
        for (file, data, line, choices, gold) in samples {
            let path = folder.appendingPathComponent(data)
            try line.write(to: path, atomically: true, encoding: .utf8)
            let task = try Self.task(file).reading(path.path)
            guard case .multipleChoice(let source) = task.outputType else {
                Issue.record("\(file) is not multiple choice")
                continue
            }
            let item = try #require(try task.loadItems().first)
            let resolved = try source.resolve(item)
            #expect(resolved.choices == choices && resolved.gold == gold, "\(file)")
            #expect(!(try task.promptText(for: item, among: [item])).contains("{{"))
        }
    }
}
