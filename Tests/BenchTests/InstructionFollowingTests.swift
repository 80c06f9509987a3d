import BenchCore
import Foundation
import Testing

import BenchEval

/// One instruction with its kwargs, a response, and whether the response follows it strictly.
struct InstructionExample: Sendable, CustomTestStringConvertible {
    let id: String
    let kwargs: [String: JSONValue]
    let response: String
    let follows: Bool

    init(_ id: String, _ kwargs: [String: JSONValue], _ response: String, follows: Bool) {
        self.id = id
        self.kwargs = kwargs
        self.response = response
        self.follows = follows
    }

    var testDescription: String {
        "\(id) \(follows ? "followed" : "broken"): \(response.prefix(40).replacingOccurrences(of: "\n", with: "⏎"))"
    }

    func verdict(prompt: String = "") throws -> InstructionVerdict {
        let verdicts = try InstructionFollowing.check(
            response: response, prompt: prompt, instructions: [id], arguments: [.object(kwargs)])
        return try #require(verdicts.first)
    }
}

@Suite struct InstructionFollowingTests {
    static let examples: [InstructionExample] = [
        // keywords
        InstructionExample(
            "keywords:existence", ["keywords": .array([.string("climate"), .string("energy"), .string("green")])],
            "Green energy is the fastest way to slow climate change.", follows: true),
        InstructionExample(
            "keywords:existence", ["keywords": .array([.string("climate"), .string("energy"), .string("green")])],
            "Solar power gets cheaper every year, and green roofs keep cities cool.", follows: false),
        InstructionExample(
            "keywords:frequency",
            ["keyword": .string("forest"), "frequency": .number(3), "relation": .string("at least")],
            "The forest was quiet. Deeper in the forest, owls called. We left the Forest at dawn.", follows: true),
        InstructionExample(
            "keywords:frequency",
            ["keyword": .string("forest"), "frequency": .number(3), "relation": .string("at least")],
            "The forest was quiet. Deeper in the forest, owls called.", follows: false),
        InstructionExample(
            "keywords:frequency",
            ["keyword": .string("clearly"), "frequency": .number(2), "relation": .string("less than")],
            "I clearly remember the day we moved.", follows: true),
        InstructionExample(
            "keywords:frequency",
            ["keyword": .string("clearly"), "frequency": .number(2), "relation": .string("less than")],
            "Clearly, she clearly knew the answer.", follows: false),
        InstructionExample(
            "keywords:forbidden_words", ["forbidden_words": .array([.string("bad"), .string("underperform")])],
            "The quarter was weak and two teams missed their targets, but the badge program went well.",
            follows: true),
        InstructionExample(
            "keywords:forbidden_words", ["forbidden_words": .array([.string("bad"), .string("underperform")])],
            "Sales were BAD this quarter.", follows: false),
        InstructionExample(
            "keywords:letter_frequency",
            ["letter": .string("q"), "let_frequency": .number(3), "let_relation": .string("at least")],
            "Quiet queens quickly queued.", follows: true),
        InstructionExample(
            "keywords:letter_frequency",
            ["letter": .string("q"), "let_frequency": .number(3), "let_relation": .string("at least")],
            "A calm afternoon by the lake.", follows: false),
        InstructionExample(
            "keywords:letter_frequency",
            ["letter": .string("!"), "let_frequency": .number(6), "let_relation": .string("at least")],
            "Meet Sunnis! Gentle! Creamy! Sweet! Cold! Yours today!", follows: true),
        InstructionExample(
            "keywords:letter_frequency",
            ["letter": .string("e"), "let_frequency": .number(3), "let_relation": .string("less than")],
            "The tree.", follows: false),
        // language
        InstructionExample(
            "language:response_language", ["language": .string("de")],
            "Hamburger sind eigentlich keine Sandwiches, auch wenn sie auf den ersten Blick so aussehen.",
            follows: true),
        InstructionExample(
            "language:response_language", ["language": .string("de")],
            "Hamburgers are not really sandwiches, even if they look like one at first glance.", follows: false),
        // length constraints
        InstructionExample(
            "length_constraints:number_sentences", ["num_sentences": .number(3), "relation": .string("less than")],
            "It rained all day. Dr. Lee stayed in with us.", follows: true),
        InstructionExample(
            "length_constraints:number_sentences", ["num_sentences": .number(3), "relation": .string("less than")],
            "It rained all day. We stayed in. Dr. Lee came by at 3.30 p.m. Then we played cards!", follows: false),
        InstructionExample(
            "length_constraints:number_sentences", ["num_sentences": .number(2), "relation": .string("at least")],
            "Is it late? Yes... but we can still go.", follows: true),
        InstructionExample(
            "length_constraints:number_paragraphs", ["num_paragraphs": .number(3)],
            "The game began at dawn.\n\n***\n\nBy noon he knew the rules.\n\n***\n\nAt night he logged out.",
            follows: true),
        InstructionExample(
            "length_constraints:number_paragraphs", ["num_paragraphs": .number(3)],
            "The game began at dawn.\n***\nBy noon he knew the rules.", follows: false),
        InstructionExample(
            "length_constraints:number_paragraphs", ["num_paragraphs": .number(3)],
            "The game began at dawn.\n***\n***\nBy noon he knew the rules.\n***\nAt night he logged out.",
            follows: false),
        InstructionExample(
            "length_constraints:number_words", ["num_words": .number(10), "relation": .string("at least")],
            "Raymond III ruled Tripoli and led the barons during a long regency.", follows: true),
        InstructionExample(
            "length_constraints:number_words", ["num_words": .number(10), "relation": .string("at least")],
            "Raymond III ruled Tripoli.", follows: false),
        InstructionExample(
            "length_constraints:number_words", ["num_words": .number(5), "relation": .string("less than")],
            "Short and sweet.", follows: true),
        InstructionExample(
            "length_constraints:nth_paragraph_first_word",
            ["num_paragraphs": .number(3), "nth_paragraph": .number(2), "first_word": .string("jasper")],
            "Our story begins in a small town.\n\n\"Jasper, come here!\" shouted the boy.\n\nIn the end, he went home.",
            follows: true),
        InstructionExample(
            "length_constraints:nth_paragraph_first_word",
            ["num_paragraphs": .number(3), "nth_paragraph": .number(2), "first_word": .string("jasper")],
            "Our story begins in a small town.\n\nThe dog Jasper loved the river.\n\nIn the end, he went home.",
            follows: false),
        InstructionExample(
            "length_constraints:nth_paragraph_first_word",
            ["num_paragraphs": .number(3), "nth_paragraph": .number(2), "first_word": .string("jasper")],
            "Our story begins in a small town.\n\nJasper loved the river.", follows: false),
        // detectable content
        InstructionExample(
            "detectable_content:number_placeholders", ["num_placeholders": .number(2)],
            "Dear [name],\nYour order ships to [address] on [date].", follows: true),
        InstructionExample(
            "detectable_content:number_placeholders", ["num_placeholders": .number(2)],
            "Dear [name],\nThank you for your order.", follows: false),
        InstructionExample(
            "detectable_content:postscript", ["postscript_marker": .string("P.S.")],
            "See you on Friday.\n\nP.S. Bring an umbrella, it may rain.", follows: true),
        InstructionExample(
            "detectable_content:postscript", ["postscript_marker": .string("P.S.")],
            "See you on Friday. Bring an umbrella, it may rain.", follows: false),
        InstructionExample(
            "detectable_content:postscript", ["postscript_marker": .string("P.P.S")],
            "See you on Friday.\n\np.p.s. Don't forget the keys.", follows: true),
        // detectable format
        InstructionExample(
            "detectable_format:number_bullet_lists", ["num_bullets": .number(3)],
            "**Shopping list**\n* Water\n* Bread\n- Apples\n\nThat is all.", follows: true),
        InstructionExample(
            "detectable_format:number_bullet_lists", ["num_bullets": .number(3)],
            "* Water\n* Bread\n* Apples\n  * Green ones", follows: false),
        InstructionExample(
            "detectable_format:constrained_response", [:], "My answer is maybe. It depends on the weather.",
            follows: true),
        InstructionExample("detectable_format:constrained_response", [:], "My answer is: yes!", follows: false),
        InstructionExample(
            "detectable_format:number_highlighted_sections", ["num_highlights": .number(2)],
            "*Morning*: a run by the river.\n**Evening**: dinner with friends.", follows: true),
        InstructionExample(
            "detectable_format:number_highlighted_sections", ["num_highlights": .number(2)],
            "*Morning*: a run by the river.\n** **: nothing planned.", follows: false),
        InstructionExample(
            "detectable_format:multiple_sections", ["section_spliter": .string("SECTION"), "num_sections": .number(2)],
            "SECTION 1\nWhy the law matters.\nSECTION 2\nWhen it fails.", follows: true),
        InstructionExample(
            "detectable_format:multiple_sections", ["section_spliter": .string("SECTION"), "num_sections": .number(2)],
            "Section 1\nWhy the law matters.\nSection 2\nWhen it fails.", follows: false),
        InstructionExample(
            "detectable_format:json_format", [:], "```json\n{\"name\": \"Ada\", \"born\": 1815}\n```", follows: true),
        InstructionExample(
            "detectable_format:json_format", [:], "Here it is: {\"name\": \"Ada\", \"born\": 1815}", follows: false),
        InstructionExample(
            "detectable_format:title", [:], "<<Leaving on Good Terms>>\n\nDear Tom, I am resigning.", follows: true),
        InstructionExample(
            "detectable_format:title", [:], "<< >>\n\nDear Tom, I am resigning.", follows: false),
        // combination
        InstructionExample(
            "combination:two_responses", [:], "People often call God Yahweh.\n******\nMany call God Allah.",
            follows: true),
        InstructionExample(
            "combination:two_responses", [:], "People often call God Yahweh.\n******\nPeople often call God Yahweh.",
            follows: false),
        InstructionExample(
            "combination:two_responses", [:], "Yahweh.\n******\n******\nAllah.", follows: false),
        InstructionExample(
            "combination:repeat_prompt",
            ["prompt_to_repeat": .string("Write an email to my boss telling him that I am quitting.")],
            "write an email to my boss telling him that I am quitting.\n\nDear Mr. Smith, I am resigning.",
            follows: true),
        InstructionExample(
            "combination:repeat_prompt",
            ["prompt_to_repeat": .string("Write an email to my boss telling him that I am quitting.")],
            "Dear Mr. Smith,\nWrite an email to my boss telling him that I am quitting.", follows: false),
        // start and end
        InstructionExample(
            "startend:end_checker", ["end_phrase": .string("Is there anything else I can help with?")],
            "\"The train leaves at nine. Is there anything else I can help with?\"", follows: true),
        InstructionExample(
            "startend:end_checker", ["end_phrase": .string("Is there anything else I can help with?")],
            "The train leaves at nine. Is there anything else I can help with? Bye!", follows: false),
        InstructionExample("startend:quotation", [:], "  \"Hamburgers are sandwiches.\"\n", follows: true),
        InstructionExample("startend:quotation", [:], "Hamburgers are \"sandwiches\".", follows: false),
        InstructionExample("startend:quotation", [:], "\"", follows: false),
        // change case
        InstructionExample(
            "change_case:capital_word_frequency",
            ["capital_frequency": .number(3), "capital_relation": .string("less than")],
            "We met the team at NASA in June.", follows: true),
        InstructionExample(
            "change_case:capital_word_frequency",
            ["capital_frequency": .number(3), "capital_relation": .string("less than")],
            "The CEO of NASA met the FBI and the CIA.", follows: false),
        InstructionExample(
            "change_case:capital_word_frequency",
            ["capital_frequency": .number(2), "capital_relation": .string("at least")],
            "I think the BEST part was the VIEW.", follows: true),
        InstructionExample(
            "change_case:english_capital", [:], "NIKE IS THE BETTER BRAND FOR SNEAKERS, AND THEY LAST LONGER.",
            follows: true),
        InstructionExample(
            "change_case:english_capital", [:], "NIKE IS THE BETTER BRAND for sneakers.", follows: false),
        InstructionExample(
            "change_case:english_capital", [:], "DIE SCHUHE VON NIKE SIND BESSER UND AUCH BEQUEMER ALS DIE ANDEREN.",
            follows: false),
        InstructionExample(
            "change_case:english_lowercase", [:], "the tweet is short and it has no capital letters at all.",
            follows: true),
        InstructionExample(
            "change_case:english_lowercase", [:], "The tweet has one capital letter.", follows: false),
        // punctuation
        InstructionExample(
            "punctuation:no_comma", [:], "Day one is Kyoto and day two is Nara. Then we rest.", follows: true),
        InstructionExample("punctuation:no_comma", [:], "Day one is Kyoto, day two is Nara.", follows: false),
    ]

    @Test(arguments: examples)
    func strictVerdict(_ example: InstructionExample) throws {
        let verdict = try example.verdict()
        #expect(verdict.instruction == example.id)
        #expect(verdict.strict == example.follows)
        if example.follows { #expect(verdict.loose) }
    }

    @Test func everySupportedIdHasAFollowedAndABrokenExample() {
        #expect(InstructionFollowing.supported.count == 25)
        #expect(Set(InstructionFollowing.supported).count == 25)
        for id in InstructionFollowing.supported {
            let outcomes = Set(Self.examples.filter { $0.id == id }.map(\.follows))
            #expect(outcomes == [true, false], "\(id)")
        }
    }

    // MARK: - Loose scoring

    @Test func aPreambleFailsStrictButPassesLoose() throws {
        let quoted = try InstructionExample(
            "startend:quotation", [:], "Sure! Here it is:\n\"Hamburgers are sandwiches.\"", follows: false
        ).verdict()
        #expect(!quoted.strict && quoted.loose)
        let json = try InstructionExample(
            "detectable_format:json_format", [:], "Here is the JSON you asked for:\n{\"name\": \"Ada\"}", follows: false
        ).verdict()
        #expect(!json.strict && json.loose)
    }

    @Test func aClosingRemarkFailsStrictButPassesLoose() throws {
        let verdict = try InstructionExample(
            "startend:end_checker", ["end_phrase": .string("Peace!")],
            "Stay safe out there. Peace!\nLet me know if you want changes.", follows: false
        ).verdict()
        #expect(!verdict.strict && verdict.loose)
    }

    @Test func markdownEmphasisFailsStrictButPassesLoose() throws {
        let firstWord = try InstructionExample(
            "length_constraints:nth_paragraph_first_word",
            ["num_paragraphs": .number(2), "nth_paragraph": .number(1), "first_word": .string("summary")],
            "**Summary** of the week.\n\nEverything else went to plan.", follows: false
        ).verdict()
        #expect(!firstWord.strict && firstWord.loose)
        let ending = try InstructionExample(
            "startend:end_checker", ["end_phrase": .string("Peace!")], "See you soon. **Peace!**", follows: false
        ).verdict()
        #expect(!ending.strict && ending.loose)
    }

    @Test func looseScoringDoesNotForgiveEverything() throws {
        let verdict = try InstructionExample(
            "punctuation:no_comma", [:], "Sure, here it is:\nKyoto, then Nara.\nEnjoy, and safe travels!",
            follows: false
        ).verdict()
        #expect(!verdict.strict && !verdict.loose)
    }

    @Test func aBlankResponseFollowsNothing() throws {
        let verdicts = try InstructionFollowing.check(
            response: "  \n ", prompt: "", instructions: ["punctuation:no_comma", "keywords:forbidden_words"],
            arguments: [.object([:]), .object(["forbidden_words": .array([.string("rain")])])])
        #expect(verdicts.allSatisfy { !$0.strict && !$0.loose })
    }

    @Test func windowsLineEndsReadAsNewlines() throws {
        let verdict = try InstructionExample(
            "length_constraints:nth_paragraph_first_word",
            ["num_paragraphs": .number(2), "nth_paragraph": .number(2), "first_word": .string("then")],
            "First we packed.\r\n\r\nThen we left.", follows: true
        ).verdict()
        #expect(verdict.strict)
    }

    @Test func verdictsFollowTheOrderOfTheInstructions() throws {
        let verdicts = try InstructionFollowing.check(
            response: "NO COMMAS HERE", prompt: "Answer in capitals without commas.",
            instructions: ["change_case:english_lowercase", "punctuation:no_comma"],
            arguments: [.object([:]), .object([:])])
        #expect(verdicts.map(\.instruction) == ["change_case:english_lowercase", "punctuation:no_comma"])
        #expect(verdicts.map(\.strict) == [false, true])
    }

    @Test func repeatPromptFallsBackOnThePrompt() throws {
        let verdicts = try InstructionFollowing.check(
            response: "Name three rivers. The Nile, the Amazon and the Danube.", prompt: "Name three rivers.",
            instructions: ["combination:repeat_prompt"], arguments: [.object([:])])
        #expect(verdicts.first?.strict == true)
    }

    // MARK: - Arguments

    @Test(
        arguments: [
            (
                "keywords:frequency",
                ["keyword": .string("fake"), "frequency": .string("three"), "relation": .string("at least")],
                "frequency"
            ),
            (
                "keywords:frequency",
                ["keyword": .string("fake"), "frequency": .number(3), "relation": .string("more than")], "relation"
            ),
            ("keywords:frequency", ["frequency": .number(3), "relation": .string("at least")], "keyword"),
            ("keywords:existence", ["keywords": .array([])], "keywords"),
            (
                "keywords:letter_frequency",
                ["letter": .string("ab"), "let_frequency": .number(3), "let_relation": .string("at least")], "letter"
            ),
            ("language:response_language", ["language": .string("xx")], "language"),
            (
                "length_constraints:number_words", ["num_words": .number(2.5), "relation": .string("at least")],
                "num_words"
            ),
            (
                "length_constraints:nth_paragraph_first_word",
                ["num_paragraphs": .number(2), "nth_paragraph": .number(3), "first_word": .string("it")],
                "nth_paragraph"
            ),
            ("detectable_format:number_bullet_lists", ["num_bullets": .number(-1)], "num_bullets"),
            ("punctuation:no_comma", ["num_bullets": .number(3)], "num_bullets"),
        ] as [(String, [String: JSONValue], String)])
    func badArgumentsNameTheInstructionAndTheArgument(id: String, kwargs: [String: JSONValue], argument: String) {
        let error = #expect(throws: DatasetError.self) {
            try InstructionFollowing.check(
                response: "text", prompt: "", instructions: [id], arguments: [.object(kwargs)])
        }
        #expect(error?.location == id)
        #expect(error?.problem.contains("\"\(argument)\"") == true, "\(error?.problem ?? "")")
    }

    @Test func unknownIdsAndMismatchedListsThrow() {
        let unknown = #expect(throws: DatasetError.self) {
            try InstructionFollowing.check(
                response: "text", prompt: "", instructions: ["keywords:rhyme"], arguments: [.object([:])])
        }
        #expect(unknown?.location == "keywords:rhyme")
        #expect(throws: DatasetError.self) {
            try InstructionFollowing.check(
                response: "text", prompt: "", instructions: ["punctuation:no_comma"], arguments: [])
        }
    }

    @Test func argumentsAreCheckedBeforeAnyResponse() {
        #expect(throws: DatasetError.self) {
            try InstructionFollowing.check(
                response: "", prompt: "", instructions: ["punctuation:no_comma", "detectable_format:title", "oops"],
                arguments: [.object([:]), .object([:]), .object([:])])
        }
    }

    @Test func nullArgumentsCountAsNotGiven() throws {
        let verdicts = try InstructionFollowing.check(
            response: "Kyoto then Nara.", prompt: "", instructions: ["punctuation:no_comma"],
            arguments: [.object(["num_bullets": .null, "language": .null, "keywords": .null])])
        #expect(verdicts.first?.strict == true)
    }

    // MARK: - The real dataset

    static let datasetFile = Fixtures.evalData.appendingPathComponent("ifeval/input_data.jsonl")

    @Test(.enabled(if: FileManager.default.fileExists(atPath: datasetFile.path)))
    func everyPromptOfTheDatasetParses() throws {
        let lines = try String(contentsOf: Self.datasetFile, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 541)
        var ids: Set<String> = []
        for line in lines {
            let item = try JSONParser.parse(String(line))
            let instructions = try #require(item["instruction_id_list"]?.array).compactMap { $0.string }
            let kwargs = try #require(item["kwargs"]?.array)
            let verdicts = try InstructionFollowing.check(
                response: "", prompt: item["prompt"]?.string ?? "", instructions: instructions, arguments: kwargs)
            #expect(verdicts.count == instructions.count)
            ids.formUnion(instructions)
        }
        #expect(ids.count == 25)
        #expect(ids == Set(InstructionFollowing.supported))
    }

    // MARK: - Units

    @Test func sentencesSkipTitlesInitialsAndListNumbersAndSplitListItems() {
        #expect(TextUnits.sentences("Mr. Smith met J. R. Tolkien in the U.K. on Monday.").count == 1)
        #expect(TextUnits.sentences("1. Pack the bags. 2. Lock the door.").count == 2)
        #expect(TextUnits.sentences("I live in the U.S. It is big. Pi is 3.14!").count == 3)
        #expect(TextUnits.sentences("Wait... what? \"Really.\" Yes (I think).").count == 4)
        #expect(TextUnits.sentences("東京は大きい。人が多い。").count == 2)
        #expect(
            TextUnits.sentences("# Steps\nFirst:\n1. Pack the bags\n2. Lock the door\n- Leave") == [
                "# Steps First:", "1. Pack the bags", "2. Lock the door", "- Leave",
            ])
    }

    @Test func wordsAreRunsOfWordCharacters() {
        #expect(TextUnits.words("Don't stop — it's 3.5 km!") == ["Don", "t", "stop", "it", "s", "3", "5", "km"])
        #expect(TextUnits.words("नमस्ते दुनिया").count == 2)
    }
}

@Suite struct LanguageIdentifierTests {
    static let paragraphs: [(code: String, text: String)] = [
        (
            "en",
            "The committee met on Tuesday to discuss the budget for next year. Most members agreed that the "
                + "library should get more money, but they could not decide how much."
        ),
        ("en", "NIKE MAKES BETTER SNEAKERS THAN PRADA BECAUSE THEY ARE BUILT FOR RUNNING."),
        ("en", "thanks for the lovely dinner, we had a great time with you and the kids."),
        ("en", "OK"),
        (
            "de",
            "Hamburger sind eigentlich keine Sandwiches, auch wenn sie auf den ersten Blick so aussehen. Ein "
                + "Sandwich besteht aus zwei Scheiben Brot, und das trifft auf einen Burger nur bedingt zu."
        ),
        (
            "fr",
            "Le matin, nous avons pris le train pour Lyon. La ville est très belle et les gens sont aussi "
                + "accueillants que dans le sud."
        ),
        (
            "es",
            "El viaje a Japón fue muy bonito. Visitamos Kioto y Nara, donde hay templos antiguos, y cada noche "
                + "cenábamos en un pequeño restaurante cerca del hotel."
        ),
        (
            "it",
            "Il viaggio in Giappone è stato bellissimo. Abbiamo visitato Kyoto e Nara, dove ci sono templi antichi "
                + "e giardini molto tranquilli, e ogni sera il cuoco ci raccontava la storia della sua famiglia."
        ),
        (
            "pt",
            "O Brasil é um país enorme, com muitas regiões diferentes. No norte fica a floresta amazônica, e eu "
                + "acho que você deve visitar o país pelo menos uma vez, porque a comida e a música são incríveis."
        ),
        (
            "nl",
            "Gisteren zijn we met de fiets naar het strand gegaan. Het was niet erg warm, maar de zon scheen en "
                + "we hebben een ijsje gegeten."
        ),
        (
            "fi",
            "Suomi on kaunis maa, jossa on paljon järviä ja metsiä. Talvella on kylmää ja pimeää, mutta kesällä "
                + "aurinko paistaa melkein koko yön, ja monet viettävät kesän mökillä."
        ),
        (
            "vi",
            "Hà Nội là thủ đô của Việt Nam và là một thành phố có lịch sử hơn một nghìn năm. Người dân ở đây rất "
                + "thân thiện, và nếu bạn có dịp đến thăm, hãy thử món phở vào buổi sáng."
        ),
        (
            "sw",
            "Kilimo ni shughuli muhimu sana katika maisha ya watu wa Afrika Mashariki. Wakulima wengi hupanda "
                + "mahindi na maharagwe kwa ajili ya familia zao, lakini mvua imekuwa changamoto kubwa."
        ),
        (
            "id",
            "Saya tinggal di Jakarta bersama keluarga saya. Kota ini sangat ramai dan macet, tetapi ada banyak "
                + "makanan enak yang bisa dicoba."
        ),
        (
            "ru",
            "Москва — столица России и один из самых больших городов Европы. Здесь много музеев и парков, "
                + "которые можно посетить в любое время года, и зимой тут очень холодно."
        ),
        (
            "bg",
            "София е столицата на България и се намира в подножието на планината Витоша. Градът има богата "
                + "история, която започва още от древността."
        ),
        (
            "uk",
            "Київ є столицею України і одним із найстаріших міст Європи. Місто стоїть на березі Дніпра, і влітку "
                + "тут дуже гарно."
        ),
        (
            "ar",
            "القاهرة هي عاصمة مصر وأكبر مدينة في العالم العربي. يعيش فيها ملايين الناس، وتضم الكثير من المعالم "
                + "التاريخية مثل الأهرامات والمتحف المصري."
        ),
        (
            "fa",
            "تهران پایتخت ایران و بزرگترین شهر این کشور است. این شهر در دامنه کوه‌های البرز قرار دارد و در زمستان "
                + "هوای آن سرد می‌شود."
        ),
        (
            "ur",
            "لاہور پاکستان کا ایک تاریخی شہر ہے جو اپنے باغوں اور کھانوں کے لیے مشہور ہے۔ یہاں بادشاہی مسجد اور "
                + "شاہی قلعہ جیسی عمارتیں ہیں۔"
        ),
        (
            "hi",
            "भारत एक विशाल देश है जिसमें अनेक भाषाएँ बोली जाती हैं। यहाँ के लोग त्योहारों को बड़े उत्साह से मनाते हैं "
                + "और इस दिन लोग अपने घरों को दीयों से सजाते हैं।"
        ),
        (
            "mr",
            "पुणे हे महाराष्ट्रातील एक महत्त्वाचे शहर आहे. येथे अनेक शिक्षण संस्था आहेत आणि म्हणून या शहराला "
                + "विद्येचे माहेरघर असे म्हटले जाते."
        ),
        (
            "ne",
            "नेपाल हिमालयको काखमा रहेको एउटा सुन्दर देश हो। यहाँ संसारको सबैभन्दा अग्लो हिमाल सगरमाथा पनि छ, र "
                + "हरेक वर्ष हजारौं पर्यटकहरू पदयात्रा गर्न नेपाल आउँछन्।"
        ),
        (
            "bn",
            "ঢাকা বাংলাদেশের রাজধানী এবং দেশের সবচেয়ে বড় শহর। এই শহরে প্রতিদিন লক্ষ লক্ষ মানুষ কাজের জন্য "
                + "যাতায়াত করে।"
        ),
        ("pa", "ਅੰਮ੍ਰਿਤਸਰ ਪੰਜਾਬ ਦਾ ਇੱਕ ਪ੍ਰਸਿੱਧ ਸ਼ਹਿਰ ਹੈ। ਇੱਥੇ ਹਰਿਮੰਦਰ ਸਾਹਿਬ ਸਥਿਤ ਹੈ।"),
        ("gu", "અમદાવાદ ગુજરાતનું સૌથી મોટું શહેર છે. અહીં ઘણી જૂની પોળો આવેલી છે."),
        ("ta", "சென்னை தமிழ்நாட்டின் தலைநகரம் ஆகும். இங்கு அழகான கடற்கரை உள்ளது."),
        ("te", "హైదరాబాద్ తెలంగాణ రాష్ట్ర రాజధాని. ఈ నగరం బిర్యానీకి ప్రసిద్ధి చెందింది."),
        ("kn", "ಬೆಂಗಳೂರು ಕರ್ನಾಟಕದ ರಾಜಧಾನಿ. ಈ ನಗರವನ್ನು ಉದ್ಯಾನ ನಗರ ಎಂದು ಕರೆಯುತ್ತಾರೆ."),
        ("th", "กรุงเทพมหานครเป็นเมืองหลวงของประเทศไทย มีวัดที่สวยงามและอาหารริมทางที่อร่อยมาก"),
        ("ko", "서울은 대한민국의 수도이며 인구가 가장 많은 도시입니다. 이곳에는 오래된 궁궐과 현대적인 건물이 함께 있습니다."),
        ("ja", "東京は日本の首都です。たくさんの人が電車で通勤しています。"),
        ("zh", "北京是中国的首都，有很多历史悠久的建筑。"),
    ]

    @Test(arguments: paragraphs)
    func identifiesTheLanguage(code: String, text: String) {
        #expect(LanguageIdentifier.identify(text) == code)
    }

    @Test func everyLanguageOfTheDatasetIsSupported() {
        let dataset = [
            "ar", "bg", "bn", "de", "fa", "fi", "gu", "hi", "it", "kn", "ko", "mr", "ne", "pa", "pt", "ru", "sw", "ta",
            "te", "th", "ur", "vi",
        ]
        #expect(Set(dataset).isSubset(of: LanguageIdentifier.supportedCodes))
    }

    @Test func theDominantScriptDecides() {
        #expect(LanguageIdentifier.identify("यह मेरा पसंदीदा laptop है और मैं इसे हर दिन इस्तेमाल करता हूँ।") == "hi")
        #expect(LanguageIdentifier.identify("12345 !!! ---") == nil)
    }
}
