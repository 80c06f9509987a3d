import BenchCore

/// Small suites written for llmbench so that a first run reports quality numbers with no dataset to fetch. They are
/// smoke tests, not standard benchmarks: their scores say whether a model follows an answer format and gets easy
/// things right, not how it ranks against others.
public enum SmokeSuite: String, Sendable, CaseIterable {
    /// 30 arithmetic word problems, generated from a fixed seed (exact answers by construction).
    case arithmetic
    /// 20 general-knowledge multiple-choice questions, answered with a letter.
    case knowledge
    /// 8 requests for a JSON object, each checked against its own JSON Schema (and, where there is one right
    /// answer, the value).
    case json
    /// 12 requests with instructions a program can check (IFEval's instruction types, prompts written for
    /// llmbench), scored prompt-level strict.
    case instructions

    public var task: TaskDefinition {
        switch self {
        case .arithmetic:
            TaskDefinition(
                name: "smoke/arithmetic", items: Self.arithmeticItems(),
                prompt: "Solve the problem. Finish with a line 'Answer: <number>'.\n\n{{question}}",
                reference: "{{answer}}", filters: [.stripReasoning, .number(last: true)],
                scorer: .numeric(tolerance: 0, relativeTolerance: 0), maxTokens: 256)
        case .knowledge:
            TaskDefinition(
                name: "smoke/knowledge", items: Self.knowledgeItems,
                prompt:
                    "Answer with the letter of the correct option, as 'Answer: X'.\n\n{{question}}\nA) {{a}}\nB) {{b}}\nC) {{c}}\nD) {{d}}",
                reference: "{{answer}}", filters: [.stripReasoning, .choiceLetter(letters: "ABCD")], scorer: .exact,
                maxTokens: 128)
        case .json:
            TaskDefinition(
                name: "smoke/json", items: Self.jsonItems,
                prompt: "{{instruction}}\nReply with only the JSON object.", reference: "{{schema}}",
                filters: [.stripReasoning, .codeBlock, .trim], scorer: .jsonSchemaInReference, maxTokens: 160)
        case .instructions:
            TaskDefinition(
                name: "smoke/instructions", items: Self.instructionItems, prompt: "{{prompt}}", reference: "",
                filters: [.stripReasoning], scorer: .instructionFollowing, maxTokens: 320)
        }
    }

    /// Prompts, each with the verifiable instructions it contains and their arguments (IFEval's field names).
    static let instructionItems: [EvalItem] = [
        ("Write two sentences about the sea. Do not use any commas.", [("punctuation:no_comma", "{}")]),
        (
            "Describe a cat in fewer than 40 words.",
            [("length_constraints:number_words", #"{"relation":"less than","num_words":40}"#)]
        ),
        ("Write a short greeting entirely in lowercase letters.", [("change_case:english_lowercase", "{}")]),
        ("WRITE ONE SENTENCE ABOUT THE MOON, ALL IN CAPITAL LETTERS.", [("change_case:english_capital", "{}")]),
        (
            "Give a title for a story about a lighthouse, wrapped in double angular brackets like <<title>>, then one sentence of the story.",
            [("detectable_format:title", "{}")]
        ),
        (
            "List three fruits as a markdown bullet list with exactly 3 bullets, using '* ' at the start of each line.",
            [("detectable_format:number_bullet_lists", #"{"num_bullets":3}"#)]
        ),
        (
            "Is water wet? Answer with one of the following options: My answer is yes. My answer is no. My answer is maybe.",
            [("detectable_format:constrained_response", "{}")]
        ),
        (
            "Write a sentence about rain and end your response with the exact phrase \"Is there anything else I can help with?\"",
            [("startend:end_checker", #"{"end_phrase":"Is there anything else I can help with?"}"#)]
        ),
        (
            "Wrap your entire response in double quotation marks. Say hello to a friend.",
            [("startend:quotation", "{}")]
        ),
        (
            "Write a note to a neighbour that mentions the words garden and fence.",
            [("keywords:existence", #"{"keywords":["garden","fence"]}"#)]
        ),
        (
            "Write a short letter to a friend. At the end of your response, add a postscript starting with P.S.",
            [("detectable_content:postscript", #"{"postscript_marker":"P.S."}"#)]
        ),
        (
            "Give your answer in JSON format: an object with the key city holding the capital of Italy.",
            [("detectable_format:json_format", "{}")]
        ),
    ].enumerated().map { index, entry in
        EvalItem(
            id: "instructions-\(index)",
            fields: [
                "prompt": .string(entry.0),
                "instruction_id_list": .array(entry.1.map { .string($0.0) }),
                "kwargs": .array(entry.1.map { (try? JSONParser.parse($0.1)) ?? .object([:]) }),
            ])
    }

    /// Word problems from four templates (add, take away, multiply, share), numbers drawn with a fixed seed.
    static func arithmeticItems(count: Int = 30) -> [EvalItem] {
        let names = ["Ana", "Ben", "Chen", "Dara", "Eli", "Fatima", "Gus", "Hana"]
        let things = ["apples", "marbles", "stamps", "books", "pencils", "shells"]
        var random = SeededRandom(seed: 20_261_129)
        func pick(_ range: ClosedRange<Int>) -> Int { range.lowerBound + Int(random.next() % UInt64(range.count)) }
        return (0..<count).map { index in
            let name = names[pick(0...names.count - 1)]
            let thing = things[pick(0...things.count - 1)]
            let question: String
            let answer: Int
            switch index % 4 {
            case 0:
                let (a, b) = (pick(12...95), pick(7...60))
                question = "\(name) has \(a) \(thing) and gets \(b) more. How many \(thing) does \(name) have now?"
                answer = a + b
            case 1:
                let (a, b) = (pick(40...150), pick(5...39))
                question = "\(name) had \(a) \(thing) and gave \(b) away. How many \(thing) are left?"
                answer = a - b
            case 2:
                let (a, b) = (pick(3...15), pick(4...12))
                question = "A box holds \(a) \(thing). How many \(thing) are in \(b) boxes?"
                answer = a * b
            default:
                let (each, friends) = (pick(3...14), pick(2...9))
                question =
                    "\(each * friends) \(thing) are shared equally among \(friends) friends. How many does each friend get?"
                answer = each
            }
            return EvalItem(
                id: "arithmetic-\(index)", fields: ["question": .string(question), "answer": .number(Double(answer))])
        }
    }

    static let knowledgeItems: [EvalItem] = [
        ("Which planet is closest to the Sun?", ["Venus", "Mercury", "Mars", "Earth"], "B"),
        ("What is the chemical symbol for sodium?", ["So", "Sd", "Na", "S"], "C"),
        ("How many sides does a hexagon have?", ["5", "6", "7", "8"], "B"),
        ("Which ocean is the largest?", ["Atlantic", "Indian", "Arctic", "Pacific"], "D"),
        (
            "Which gas do plants take from the air for photosynthesis?",
            ["Oxygen", "Nitrogen", "Carbon dioxide", "Helium"], "C"
        ),
        ("At sea level, at what temperature in degrees Celsius does water freeze?", ["0", "32", "100", "-10"], "A"),
        (
            "Who wrote \"Romeo and Juliet\"?", ["Charles Dickens", "William Shakespeare", "Jane Austen", "Mark Twain"],
            "B"
        ),
        ("What is the capital of Japan?", ["Tokyo", "Kyoto", "Osaka", "Hiroshima"], "A"),
        ("How many minutes are there in two hours?", ["60", "100", "200", "120"], "D"),
        ("Which of these is a mammal?", ["Shark", "Dolphin", "Trout", "Octopus"], "B"),
        ("What is the largest organ of the human body?", ["Liver", "Brain", "Heart", "Skin"], "D"),
        ("On which continent is most of Egypt?", ["Asia", "Europe", "Africa", "South America"], "C"),
        ("What is 9 squared?", ["18", "81", "72", "99"], "B"),
        ("Which metal is liquid at room temperature?", ["Mercury", "Iron", "Aluminium", "Copper"], "A"),
        ("At sea level, at what temperature in degrees Celsius does water boil?", ["90", "100", "110", "212"], "B"),
        ("Which instrument usually has 88 keys?", ["Piano", "Violin", "Guitar", "Flute"], "A"),
        ("What colour do blue and yellow paint make when mixed?", ["Green", "Purple", "Orange", "Red"], "A"),
        ("How many continents are there by the usual count?", ["5", "6", "7", "8"], "C"),
        ("Which language has the most native speakers?", ["English", "Spanish", "Mandarin Chinese", "Hindi"], "C"),
        ("What is the hardest natural substance?", ["Gold", "Iron", "Quartz", "Diamond"], "D"),
    ].enumerated().map { index, entry in
        let (question, options, answer) = entry
        var fields: [String: JSONValue] = ["question": .string(question), "answer": .string(answer)]
        for (key, option) in zip(["a", "b", "c", "d"], options) { fields[key] = .string(option) }
        return EvalItem(id: "knowledge-\(index)", fields: fields)
    }

    static let jsonItems: [EvalItem] = [
        (
            "Describe a book as a JSON object with the keys title (text) and year (a whole number).",
            #"{"type":"object","required":["title","year"],"properties":{"title":{"type":"string","minLength":1},"year":{"type":"integer"}}}"#
        ),
        (
            "Describe a fictional person as a JSON object with the keys name (text) and age (a whole number from 0 to 120).",
            #"{"type":"object","required":["name","age"],"properties":{"name":{"type":"string","minLength":1},"age":{"type":"integer","minimum":0,"maximum":120}}}"#
        ),
        (
            "Give a JSON object with the key colors holding a list of exactly three colour names.",
            #"{"type":"object","required":["colors"],"properties":{"colors":{"type":"array","minItems":3,"maxItems":3,"items":{"type":"string"}}}}"#
        ),
        (
            "Describe a city as a JSON object with the keys name (text) and population (a whole number).",
            #"{"type":"object","required":["name","population"],"properties":{"name":{"type":"string"},"population":{"type":"integer","minimum":0}}}"#
        ),
        (
            "Is 14 an even number? Answer as a JSON object with the key is_even (true or false).",
            #"{"type":"object","required":["is_even"],"properties":{"is_even":{"const":true}}}"#
        ),
        (
            "What is 3 + 4? Answer as a JSON object with the key sum.",
            #"{"type":"object","required":["sum"],"properties":{"sum":{"const":7}}}"#
        ),
        (
            "Describe a product as a JSON object with the keys name (text), price (a number of at least 0) and in_stock (true or false).",
            #"{"type":"object","required":["name","price","in_stock"],"properties":{"name":{"type":"string"},"price":{"type":"number","minimum":0},"in_stock":{"type":"boolean"}}}"#
        ),
        (
            "Which day of the week comes after Friday? Answer as a JSON object with the key day.",
            #"{"type":"object","required":["day"],"properties":{"day":{"const":"Saturday"}}}"#
        ),
    ].enumerated().map { index, entry in
        EvalItem(id: "json-\(index)", fields: ["instruction": .string(entry.0), "schema": .string(entry.1)])
    }
}
