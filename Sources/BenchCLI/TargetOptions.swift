import ArgumentParser
import BenchEngine
import BenchProviders

/// The flags that define one target on the command line, shared by `bench` and `probe`.
struct TargetOptions: ParsableArguments {
    @Option(help: "API root, e.g. http://127.0.0.1:8080/v1 (default: the --kind's own).")
    var baseURL: String?
    @Option(help: "Model name to request.")
    var model: String?
    @Option(
        help: ArgumentHelp(
            "Provider of the target: "
                + ProviderKind.allCases.map {
                    $0 == .openai ? "openai (default; any OpenAI-compatible server)" : $0.rawValue
                }
                .joined(separator: ", ") + ". Known services need no --base-url.")
    )
    var kind: String?
    @Option(help: "Name of the environment variable holding the API key (the key is never printed or stored).")
    var apiKeyEnv: String?
    @Option(
        help:
            "How to count output tokens when a response reports no usage: server (the server's /tokenize; the default for llama.cpp), the path of the model's tokenizer.json (byte-level BPE), or none (chunk counts, labelled)."
    )
    var tokenizer: String?

    /// Replaces the spec's targets with the one the flags define, if any; `--api-key-env` alone applies to every
    /// target of the spec.
    func apply(to spec: inout BenchSpec) throws {
        if baseURL != nil || model != nil || kind != nil {
            guard let model else { throw SpecError("--model", "is required with --base-url or --kind") }
            spec.targets = [
                try Self.target(kind: kind, baseURL: baseURL, model: model, apiKeyEnv: apiKeyEnv, prefix: "--")
            ]
        } else if let apiKeyEnv {
            for index in spec.targets.indices { spec.targets[index].apiKeyEnv = apiKeyEnv }
        }
        if let tokenizer {
            let choice = try BenchSpec.tokenizer(tokenizer, field: "--tokenizer")
            for index in spec.targets.indices { spec.targets[index].tokenizer = choice }
        }
    }

    /// A target from flag values; `prefix` names the flags in errors (`--`, `--judge-`).
    static func target(
        kind: String?, baseURL: String?, model: String, apiKeyEnv: String?, prefix: String
    ) throws -> BenchSpec.Target {
        let kindName = kind ?? BenchSpec.Kind.openai.rawValue
        guard let kind = BenchSpec.Kind(rawValue: kindName) else {
            let known = BenchSpec.Kind.allCases.map(\.rawValue).joined(separator: ", ")
            throw SpecError("\(prefix)kind", "unknown kind \"\(kindName)\" (known: \(known))")
        }
        return try BenchSpec.Target.resolving(
            kind: kind, baseURL: baseURL, model: model, apiKeyEnv: apiKeyEnv, field: "\(prefix)base-url")
    }
}
