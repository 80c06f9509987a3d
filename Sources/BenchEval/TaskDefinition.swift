public import BenchCore
public import Foundation

/// Where a task's items come from.
public enum DatasetSource: Sendable, Hashable {
    /// A file, resolved against the task file's folder; the format follows the extension unless given; `columns`
    /// names the columns of a CSV file without a header row.
    case file(path: String, format: DatasetLoader.Format?, columns: [String]?)
    /// Items given in code.
    case items([EvalItem])
}

/// An evaluation task, as a task file declares it (YAML or JSON; documented in `docs/eval.md`): the dataset, how
/// each item becomes a prompt and a reference, and how it is scored — by generating and checking an answer, or
/// from log-probabilities of given text.
public struct TaskDefinition: Sendable, Hashable {
    /// How a task is scored. Generation works on every endpoint; the other three need the log-probabilities of
    /// given text (a ``LikelihoodModel``), and their scores are never mixed with generative ones.
    public enum OutputType: Sendable, Hashable {
        /// The model writes an answer; filters extract it and the scorer checks it.
        case generate
        /// Each choice's log-likelihood after the prompt; the most likely is the answer (acc, acc_norm).
        case multipleChoice(ChoiceSource)
        /// The reference's log-likelihood after the prompt, and whether greedy decoding would write it.
        case loglikelihood
        /// The perplexity of the rendered prompt (a whole text).
        case rollingLoglikelihood(PerplexityWindowing)

        /// The name used in task files and results.
        public var name: String {
            switch self {
            case .generate: return "generate"
            case .multipleChoice: return "multiple_choice"
            case .loglikelihood: return "loglikelihood"
            case .rollingLoglikelihood: return "rolling_loglikelihood"
            }
        }
    }

    public var name: String
    public var outputType: OutputType
    public var dataset: DatasetSource
    public var system: String?
    public var prompt: PromptTemplate
    public var reference: PromptTemplate
    /// Applied to the rendered reference (e.g. GSM8K's number after `####`).
    public var referenceFilters: [AnswerFilter]
    /// Applied to the model's answer; an empty result is *unparsed*.
    public var filters: [AnswerFilter]
    public var scorer: Scorer
    public var maxTokens: Int
    /// Each item is asked this many times (consistency; the score averages them).
    public var repeats: Int
    /// Only the first `limit` items.
    public var limit: Int?
    /// The sampling temperature the task needs (toxicity sampling asks for T > 0); nil uses the run's.
    public var temperature: Double?
    /// Judged tasks: the template a judge model grades each answer with (its verdict replaces the scorer).
    public var judge: JudgeTemplate?
    /// A field whose value groups items that are not independent (one passage, several questions): intervals are
    /// then clustered by it.
    public var cluster: String?
    /// Worked examples put before each prompt: `count` other items of the dataset, drawn with `seed`, each
    /// rendered as its prompt followed by `target`.
    public var fewShot: FewShot?
    /// Where the task's data is published (a URL and, where it is an archive, the file inside), for the error when
    /// the file is not here: llmbench ships no benchmark data.
    public var published: String?
    /// Whether the dataset path is the user's own (`--dataset`) rather than the task file's.
    public private(set) var datasetGiven = false
    /// The files the task's data comes from (`llmbench data get`), when it names them: a benchmark of the registry.
    public var data: [DataSource] = []
    /// The benchmark whose data folder the task reads: its own name, or the benchmark named by `data: NAME` (a
    /// variant scored another way over the same files, such as `xstest-judged`), whose ``data`` then fills this
    /// task's (``BenchmarkRegistry``).
    public var dataName: String
    /// The benchmark named by `data: NAME`, until its sources are filled in.
    public var dataFrom: String?
    /// Edits applied to each rendered prompt and each choice (HellaSwag's artefacts removed, as lm-eval does).
    public var clean: [TextEdit] = []

    public struct FewShot: Sendable, Hashable {
        public var count: Int
        public var seed: UInt64
        public var target: PromptTemplate
    }

    /// Reads a task document; `directory` is where relative dataset paths start.
    /// - Throws: ``DatasetError`` naming the field at fault.
    public init(document: JSONValue, directory: URL) throws {
        guard case .object(let fields) = document else { throw Self.error("task", "expected a mapping of fields") }
        let known: Set<String> = [
            "name", "dataset", "system", "prompt", "reference", "reference_filters", "filters", "scorer", "max_tokens",
            "repeats", "limit", "few_shot", "output_type", "choices", "choice_prefix", "gold", "gold_map", "perplexity",
            "cluster", "judge", "temperature", "published", "data", "clean",
        ]
        if let unknown = fields.keys.sorted().first(where: { !known.contains($0) }) {
            throw Self.error(unknown, "unknown field (known: \(known.sorted().joined(separator: ", ")))")
        }
        name = fields["name"]?.string ?? "task"
        dataName = name
        switch fields["dataset"] {
        case .string(let path)?:
            dataset = .file(path: Self.resolve(path, in: directory), format: nil, columns: nil)
        case .object(let source)? where source["items"] != nil:
            guard let list = source["items"]?.array, !list.isEmpty else {
                throw Self.error("dataset.items", "expected a non-empty list of items")
            }
            dataset = .items(
                try list.enumerated().map { index, value in
                    guard let fields = value.object else {
                        throw Self.error("dataset.items[\(index)]", "expected a mapping of fields")
                    }
                    return DatasetLoader.item(fields, position: index)
                })
        case .object(let source)?:
            guard let path = source["path"]?.string else { throw Self.error("dataset.path", "is required") }
            var format: DatasetLoader.Format?
            if let name = source["format"]?.string {
                guard let known = DatasetLoader.Format(rawValue: name) else {
                    throw Self.error("dataset.format", "expected jsonl, csv or json")
                }
                format = known
            }
            var columns: [String]?
            if let list = source["columns"] {
                guard let names = list.array?.compactMap(\.string), !names.isEmpty, names.count == list.array?.count
                else { throw Self.error("dataset.columns", "expected a list of column names") }
                columns = names
            }
            dataset = .file(path: Self.resolve(path, in: directory), format: format, columns: columns)
        default:
            throw Self.error("dataset", "is required: a path, {path, format, columns} or {items: [...]}")
        }
        system = fields["system"]?.string
        guard let prompt = fields["prompt"]?.string, !prompt.isEmpty else { throw Self.error("prompt", "is required") }
        self.prompt = PromptTemplate(prompt)
        outputType = try Self.outputType(fields)
        scorer = try Self.scorer(fields["scorer"] ?? .string("exact"))
        switch (outputType, fields["reference"]?.string) {
        case (.generate, nil) where scorer != .instructionFollowing && scorer != .toxicity && !scorer.runsCode,
            (.loglikelihood, nil):
            throw Self.error("reference", "is required")
        case (_, let reference): self.reference = PromptTemplate(reference ?? "")
        }
        cluster = fields["cluster"]?.string
        published = fields["published"]?.string
        if let other = fields["data"]?.string {
            dataFrom = other
            dataName = other
        } else {
            data = try DataSource.list(fields["data"])
        }
        clean = try TextEdit.list(fields["clean"])
        if !data.isEmpty || dataFrom != nil, case .items = dataset {
            throw Self.error("data", "the task's items are written in the file: it has no data files to fetch")
        }
        if !data.isEmpty, case .file(let path, _, _) = dataset,
            !data.contains(where: { $0.file == URL(fileURLWithPath: path).lastPathComponent })
        {
            throw Self.error(
                "dataset", "names none of the files of data: (\(data.map(\.file).joined(separator: ", ")))")
        }
        if let value = fields["temperature"] {
            guard let number = value.number, number >= 0, number <= 2 else {
                throw Self.error("temperature", "expected a number from 0 to 2")
            }
            temperature = number
        }
        if let value = fields["judge"] {
            let known = JudgeTemplate.catalogue.filter { $0.id != JudgeTemplate.pairwise.id }.map(\.id)
            guard let name = value.string ?? value["template"]?.string else {
                throw Self.error(
                    "judge", "expected a template name (\(known.joined(separator: ", "))) or {template: NAME}")
            }
            if name == JudgeTemplate.pairwise.id {
                throw Self.error(
                    "judge", "pairwise compares two models' answers: run `llmbench eval-pairwise` on their results")
            }
            guard let template = JudgeTemplate.named(name) else {
                throw Self.error(
                    "judge", "unknown judge template \"\(name)\" (known: \(known.joined(separator: ", ")))")
            }
            judge = template
        }
        if judge != nil, outputType != .generate {
            throw Self.error("judge", "only generated answers are judged (output_type: generate)")
        }
        referenceFilters = try Self.filters(fields["reference_filters"], field: "reference_filters")
        filters = try Self.filters(fields["filters"], field: "filters")
        maxTokens = try Self.positive(fields["max_tokens"], field: "max_tokens") ?? 256
        repeats = try Self.positive(fields["repeats"], field: "repeats") ?? 1
        limit = try Self.positive(fields["limit"], field: "limit")
        if let shots = fields["few_shot"] {
            guard case .object(let shot) = shots, let count = try Self.positive(shot["count"], field: "few_shot.count")
            else { throw Self.error("few_shot", "expected {count, seed, target}") }
            fewShot = FewShot(
                count: count, seed: UInt64(max(0, shot["seed"]?.integer ?? 0)),
                target: PromptTemplate(shot["target"]?.string ?? " {{\(self.reference.fieldNames.first ?? "answer")}}"))
        }
    }

    /// A task built in code (the smoke suites).
    public init(
        name: String, items: [EvalItem], system: String? = nil, prompt: String, reference: String,
        filters: [AnswerFilter], scorer: Scorer, maxTokens: Int
    ) {
        self.name = name
        dataName = name
        outputType = .generate
        dataset = .items(items)
        self.system = system
        self.prompt = PromptTemplate(prompt)
        self.reference = PromptTemplate(reference)
        referenceFilters = []
        self.filters = filters
        self.scorer = scorer
        self.maxTokens = maxTokens
        repeats = 1
    }

    /// The same task over another file of the same format (a user's copy of the dataset).
    public func reading(_ path: String) -> TaskDefinition {
        var copy = self
        if case .file(_, let format, let columns) = dataset {
            copy.dataset = .file(path: path, format: format, columns: columns)
            copy.datasetGiven = true
        }
        return copy
    }

    /// The same task reading its data from `folder`, where `llmbench data get` keeps it; unchanged when the user
    /// gave the dataset or the task names no data.
    public func usingData(in folder: URL) -> TaskDefinition {
        guard !datasetGiven, !data.isEmpty || dataFrom != nil, case .file(let path, let format, let columns) = dataset
        else { return self }
        var copy = self
        copy.dataset = .file(
            path: folder.appendingPathComponent(URL(fileURLWithPath: path).lastPathComponent).path, format: format,
            columns: columns)
        return copy
    }

    /// The items to ask, `limit` applied.
    public func loadItems() throws -> [EvalItem] {
        let items: [EvalItem]
        switch dataset {
        case .file(let path, let format, let columns):
            if !datasetGiven, !FileManager.default.fileExists(atPath: path) {
                if !data.isEmpty {
                    throw DatasetError(
                        location: path,
                        problem:
                            "no such file: fetch the data of \(name) with `llmbench data get \(dataName)`, or pass your own copy with --dataset PATH"
                    )
                }
                let source = published.map { "download it from \($0) and pass" } ?? "pass"
                throw DatasetError(
                    location: path,
                    problem:
                        "no such file: llmbench does not ship the data of task \(name); \(source) the file with --dataset PATH"
                )
            }
            items = try DatasetLoader.load(path: path, format: format, columns: columns)
        case .items(let given): items = given
        }
        return limit.map { Array(items.prefix($0)) } ?? items
    }

    /// The text asked for one item: the few-shot examples, then the item's prompt. Log-likelihood tasks score
    /// continuations of exactly this text (the system text, when any, put before it).
    public func promptText(for item: EvalItem, among items: [EvalItem]) throws -> String {
        let text = try render(item)
        guard let fewShot else { return text }
        // Each item gets its own examples, the same on every run.
        var hash = OutputHash()
        hash.add(item.id)
        var random = SeededRandom(seed: fewShot.seed ^ (UInt64(hash.hex, radix: 16) ?? 0))
        var pool = items.filter { $0.id != item.id }
        var chosen: [EvalItem] = []
        while chosen.count < fewShot.count, !pool.isEmpty {
            chosen.append(pool.remove(at: Int(random.next() % UInt64(pool.count))))
        }
        let examples = try chosen.map { try render($0) + fewShot.target.render($0) }
        return (examples + [text]).joined(separator: "\n\n")
    }

    /// An item's own prompt, the task's `clean:` edits applied.
    private func render(_ item: EvalItem) throws -> String {
        TextEdit.apply(clean, to: try prompt.render(item))
    }

    /// An item's choices (the task's `clean:` edits applied to each) and the indices of the true ones.
    public func choices(of item: EvalItem, from source: ChoiceSource) throws -> (choices: [String], gold: Set<Int>) {
        let (choices, gold) = try source.resolve(item)
        return (choices.map { TextEdit.apply(clean, to: $0) }, gold)
    }

    /// The messages for one item: the system text, then ``promptText(for:among:)`` as the user's message.
    public func messages(for item: EvalItem, among items: [EvalItem]) throws -> [ChatMessage] {
        (system.map { [ChatMessage(role: "system", content: $0)] } ?? []) + [
            ChatMessage(role: "user", content: try promptText(for: item, among: items))
        ]
    }

    /// The gold answer of an item, after the reference filters; nil when they find nothing.
    /// For IFEval (``Scorer/instructionFollowing``) it is the item's instructions as JSON, checked here so that
    /// invalid arguments stop the run before any request.
    public func goldAnswer(for item: EvalItem) throws -> String? {
        if scorer == .refusal {
            let label = AnswerFilter.apply(referenceFilters, to: try reference.render(item))
            guard label == "safe" || label == "unsafe" else {
                throw DatasetError(
                    location: "item \(item.id)",
                    problem: "the refusal scorer needs the reference safe or unsafe, got \"\(label ?? "")\"")
            }
            return label
        }
        if case .codeExecution(let check) = scorer { return try check.reference(for: item) }
        guard scorer == .instructionFollowing else {
            return AnswerFilter.apply(referenceFilters, to: try reference.render(item))
        }
        guard let ids = item.value("instruction_id_list"), let kwargs = item.value("kwargs") else {
            throw DatasetError(
                location: "item \(item.id)", problem: "an IFEval item needs instruction_id_list and kwargs")
        }
        let gold = JSONValue.object([
            "instruction_id_list": ids, "kwargs": kwargs, "prompt": item.value("prompt") ?? .string(""),
        ])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let text = String(decoding: try encoder.encode(gold), as: UTF8.self)
        do {
            _ = try Scorer.instructionVerdicts(answer: "", reference: text)
        } catch let error as DatasetError {
            throw DatasetError(location: "item \(item.id): \(error.location)", problem: error.problem)
        }
        return text
    }

    // MARK: Parsing

    static func error(_ field: String, _ problem: String) -> DatasetError {
        DatasetError(location: field, problem: problem)
    }

    static func resolve(_ path: String, in directory: URL) -> String {
        path.hasPrefix("/") ? path : directory.appendingPathComponent(path).path
    }

    static func positive(_ value: JSONValue?, field: String) throws -> Int? {
        guard let value, value != .null else { return nil }
        guard let number = value.integer, number > 0 else { throw error(field, "expected a whole number ≥ 1") }
        return number
    }

    static func filters(_ value: JSONValue?, field: String) throws -> [AnswerFilter] {
        guard let value else { return [] }
        guard case .array(let items) = value else { throw error(field, "expected a list of filters") }
        return try items.enumerated().map { index, item in
            let place = "\(field)[\(index)]"
            switch item {
            case .string("strip_reasoning"): return .stripReasoning
            case .string("trim"): return .trim
            case .string("boxed"): return .boxed
            case .string("number"): return .number(last: true)
            case .string("choice_letter"): return .choiceLetter(letters: "ABCD")
            case .object(let spec) where spec.count == 1:
                let (kind, argument) = spec.first!
                switch (kind, argument) {
                case ("number", .string(let which)) where which == "first" || which == "last":
                    return .number(last: which == "last")
                case ("regex", .string(let pattern)):
                    return .regex(pattern, last: true)
                case ("choice_letter", .string(let letters)) where !letters.isEmpty:
                    return .choiceLetter(letters: letters)
                default:
                    throw error(place, "unknown filter \(kind)")
                }
            default:
                throw error(
                    place,
                    "expected strip_reasoning, trim, boxed, number, choice_letter, {number: first|last}, {regex: …} or {choice_letter: …}"
                )
            }
        }
    }

    static func outputType(_ fields: [String: JSONValue]) throws -> OutputType {
        switch fields["output_type"]?.string ?? "generate" {
        case "generate": return .generate
        case "loglikelihood": return .loglikelihood
        case "multiple_choice":
            let choices: ChoiceSource.Choices
            switch fields["choices"] {
            case .string(let path)?: choices = .field(path)
            case .array(let list)? where list.count >= 2 && list.allSatisfy({ $0.string != nil }):
                choices = .templates(list.compactMap(\.string).map(PromptTemplate.init))
            default:
                throw error("choices", "expected a field holding the choices, or a list of at least two templates")
            }
            var goldMap: [String: Int] = [:]
            if let map = fields["gold_map"] {
                guard let entries = map.object, entries.values.allSatisfy({ $0.integer != nil }) else {
                    throw error("gold_map", "expected a mapping of gold answers to choice indices")
                }
                goldMap = entries.compactMapValues(\.integer)
            }
            return .multipleChoice(
                ChoiceSource(
                    choices: choices, prefix: fields["choice_prefix"]?.string ?? " ",
                    gold: fields["gold"]?.string.map(PromptTemplate.init), goldMap: goldMap))
        case "rolling_loglikelihood":
            let settings = fields["perplexity"]?.object ?? [:]
            let context = try positive(settings["context"], field: "perplexity.context") ?? 1024
            guard context >= 4 else { throw error("perplexity.context", "expected at least 4 tokens") }
            switch settings["windowing"]?.string ?? "rolling" {
            case "rolling": return .rollingLoglikelihood(.rolling(context: context))
            case "llama_cpp": return .rollingLoglikelihood(.llamaCpp(context: context))
            default: throw error("perplexity.windowing", "expected rolling or llama_cpp")
            }
        case let other:
            throw error(
                "output_type",
                "unknown output type \"\(other)\" (known: generate, multiple_choice, loglikelihood, rolling_loglikelihood)"
            )
        }
    }

    static func scorer(_ value: JSONValue) throws -> Scorer {
        switch value {
        case .string("exact"): return .exact
        case .string("normalized_exact"): return .normalizedExact
        case .string("contains"): return .contains
        case .string("regex"): return .regex
        case .string("json_valid"): return .jsonValid
        case .string("ifeval"): return .instructionFollowing
        case .string("refusal"): return .refusal
        case .string("toxicity"): return .toxicity
        case .string("numeric"): return .numeric(tolerance: 0, relativeTolerance: 0)
        case .object(let spec) where spec.count == 1:
            let (kind, argument) = spec.first!
            if kind == "numeric" {
                return .numeric(
                    tolerance: argument["tolerance"]?.number ?? 0,
                    relativeTolerance: argument["relative_tolerance"]?.number ?? 0)
            }
            if kind == "json_schema", case .object = argument { return .jsonSchema(argument) }
            if kind == "code_execution" { return .codeExecution(try codeCheck(argument)) }
            if kind == "regex" {
                throw error(
                    "scorer",
                    "the regex scorer takes no argument: write `scorer: regex` and put the pattern in `reference:` (each item's pattern, e.g. reference: \"^{{answer}}$\"); to cut a part out of the answer before scoring, use `filters: [{regex: …}]`"
                )
            }
            throw error("scorer", "unknown scorer \(kind)")
        default:
            throw error(
                "scorer",
                "expected exact, normalized_exact, contains, regex, json_valid, ifeval, refusal, toxicity, numeric, {numeric: …}, {json_schema: …} or {code_execution: {prefix, test, entry_point}}"
            )
        }
    }

    /// `{code_execution: {prefix, test, entry_point}}`: the templates of the code an answer continues, the tests
    /// and the function they check.
    static func codeCheck(_ argument: JSONValue) throws -> CodeCheck {
        var templates: [String: PromptTemplate] = [:]
        for key in ["prefix", "test", "entry_point"] {
            guard let text = argument[key]?.string, !text.isEmpty else {
                throw error(
                    "scorer.code_execution.\(key)",
                    "is required: a template such as \"{{\(key == "prefix" ? "prompt" : key)}}\" (HumanEval's fields)")
            }
            templates[key] = PromptTemplate(text)
        }
        if case .object(let fields) = argument,
            let unknown = fields.keys.first(where: {
                !["prefix", "test", "entry_point"].contains($0)
            })
        {
            throw error("scorer.code_execution.\(unknown)", "is not a field (prefix, test, entry_point)")
        }
        return CodeCheck(prefix: templates["prefix"]!, test: templates["test"]!, entryPoint: templates["entry_point"]!)
    }
}
