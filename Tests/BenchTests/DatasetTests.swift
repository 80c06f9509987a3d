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
