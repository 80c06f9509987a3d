/// Which request parameters a hosted model refuses, so llmbench leaves them out instead of failing every request
/// (and says so in the report).
///
/// - OpenAI reasoning models (`o1`, `o3`, `o4-*`, `gpt-5*` except the `-chat` variants) take only the default
///   temperature and want the output limit in `max_completion_tokens`; OpenAI's own API accepts that field for every
///   model, so it is always used there.
/// - Claude Sonnet 5 answers HTTP 400 to a non-default temperature, `top_p` or `top_k`.
public enum ModelParameterRules {
    public static func isOpenAIReasoningModel(_ model: String) -> Bool {
        let name = model.lowercased().split(separator: "/").last.map(String.init) ?? model.lowercased()
        if name.hasPrefix("gpt-5") { return !name.contains("-chat") }
        return ["o1", "o3", "o4"].contains { name == $0 || name.hasPrefix($0 + "-") }
    }

    /// Whether the target's model accepts a sampling temperature.
    public static func acceptsTemperature(_ target: BenchSpec.Target) -> Bool {
        switch target.kind {
        case .openai, .openaiResponses, .azure, .openrouter: !isOpenAIReasoningModel(target.model)
        case .anthropic, .bedrock: !target.model.lowercased().contains("claude-sonnet-5")
        default: true
        }
    }

    /// The chat-completions field for the output limit.
    public static func tokenLimitField(_ target: BenchSpec.Target) -> String {
        switch target.kind {
        case .openai where target.baseURL == BenchSpec.Kind.openai.defaultBaseURL: "max_completion_tokens"
        case .azure where isOpenAIReasoningModel(target.model): "max_completion_tokens"
        default: "max_tokens"
        }
    }
}
