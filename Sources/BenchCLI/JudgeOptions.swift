import ArgumentParser
import BenchEngine
import BenchCore

/// The flags that define the judge of a judged task (any target can judge).
struct JudgeOptions: ParsableArguments {
    @Option(help: "The judge's API root (default: the --judge-kind's own).")
    var judgeBaseURL: String?
    @Option(help: "The judge's model (judged tasks: simpleqa, refusal templates).")
    var judgeModel: String?
    @Option(help: "The judge's provider, as --kind.")
    var judgeKind: String?
    @Option(help: "Name of the environment variable holding the judge's API key.")
    var judgeApiKeyEnv: String?
    @Option(
        help:
            "JSON object of extra request fields for the judge (e.g. a llama.cpp grammar that holds a small judge to the reply format)."
    )
    var judgeExtraBody: String?

    /// `--judge-extra-body` must be a JSON object and needs a judge to go to: never ignored silently.
    func validate() throws {
        guard let judgeExtraBody else { return }
        do {
            guard case .object = try JSONParser.parse(judgeExtraBody) else {
                throw ValidationError("--judge-extra-body must be a JSON object, e.g. {\"grammar\": \"…\"}")
            }
        } catch let error as JSONParser.SyntaxError {
            throw ValidationError("--judge-extra-body is \(error.description)")
        }
        guard judgeModel != nil || judgeBaseURL != nil || judgeKind != nil else {
            throw ValidationError(
                "--judge-extra-body needs a judge: give --judge-model (and --judge-kind or --judge-base-url)")
        }
    }

    /// The judge target, nil when no judge flag was given.
    func target() throws -> BenchSpec.Target? {
        guard judgeBaseURL != nil || judgeModel != nil || judgeKind != nil else { return nil }
        guard let judgeModel else {
            throw SpecError("--judge-model", "is required with --judge-base-url or --judge-kind")
        }
        var target = try TargetOptions.target(
            kind: judgeKind, baseURL: judgeBaseURL, model: judgeModel, apiKeyEnv: judgeApiKeyEnv, prefix: "--judge-")
        target.name = "judge:" + target.name
        if let judgeExtraBody, case .object(let fields)? = try? JSONParser.parse(judgeExtraBody) {
            target.extraBody = fields
        }
        return target
    }
}
