public import BenchCore
import Foundation

/// A target's provider: which wire protocol it speaks and how that protocol is set up for it, and for known services
/// the public base URL, the usual API-key variable, whether the server accepts the exact-length fields
/// (`ignore_eos`, `min_tokens`) and which request parameters its models refuse. Everything llmbench knows about a
/// provider is here and in its codec (``WireProtocol``, ``WireCapabilities``): nothing outside this module switches
/// on the kind.
public enum ProviderKind: String, Sendable, Hashable, CaseIterable {
    /// OpenAI Chat Completions, and every compatible server or gateway given by `base_url`.
    case openai
    /// The OpenAI Responses API.
    case openaiResponses = "openai-responses"
    /// Azure OpenAI (deployment URLs, `api-key` header).
    case azure
    /// Anthropic Messages.
    case anthropic
    /// Google Gemini (generativelanguage API, `x-goog-api-key`).
    case gemini
    /// Gemini on Vertex AI (`Authorization: Bearer` with an OAuth2 access token).
    case vertex
    /// Cohere v2 chat.
    case cohere
    /// AWS Bedrock ConverseStream (SigV4 from `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`, or a Bedrock API key).
    case bedrock
    /// Mistral's OpenAI-style API, whose seed field is `random_seed`.
    case mistral
    case groq
    case together
    case openrouter
    case fireworks
    case deepseek
    /// Ollama's native `/api/chat` (newline-delimited JSON, server durations).
    case ollama
    /// Hugging Face TGI's native `/generate_stream` (raw text prompts; its chat API is `openai`).
    case tgi
    /// vLLM's OpenAI-compatible server.
    case vllm
    /// SGLang's OpenAI-compatible server.
    case sglang
    /// llama.cpp's `llama-server`.
    case llamacpp = "llama.cpp"
    /// LM Studio's local server.
    case lmstudio

    /// The service's public API root, or the server's usual local address; nil where it depends on the
    /// user's account (Azure resource, Vertex project).
    public var defaultBaseURL: String? {
        switch self {
        case .openai, .openaiResponses: "https://api.openai.com/v1"
        case .anthropic: "https://api.anthropic.com/v1"
        case .gemini: "https://generativelanguage.googleapis.com/v1beta"
        case .cohere: "https://api.cohere.com/v2"
        case .mistral: "https://api.mistral.ai/v1"
        case .groq: "https://api.groq.com/openai/v1"
        case .together: "https://api.together.xyz/v1"
        case .openrouter: "https://openrouter.ai/api/v1"
        case .fireworks: "https://api.fireworks.ai/inference/v1"
        case .deepseek: "https://api.deepseek.com"
        case .ollama: "http://127.0.0.1:11434"
        case .tgi: "http://127.0.0.1:8080"
        case .vllm: "http://127.0.0.1:8000/v1"
        case .sglang: "http://127.0.0.1:30000/v1"
        case .llamacpp: "http://127.0.0.1:8080/v1"
        case .lmstudio: "http://127.0.0.1:1234/v1"
        case .azure, .vertex, .bedrock: nil
        }
    }

    /// The environment variable the provider's own SDK reads the key from; used when the target gives no
    /// `api_key_env` and does not override the base URL. Nil for servers that need no key.
    public var defaultAPIKeyEnv: String? {
        switch self {
        case .openai, .openaiResponses: "OPENAI_API_KEY"
        case .azure: "AZURE_OPENAI_API_KEY"
        case .anthropic: "ANTHROPIC_API_KEY"
        case .gemini: "GEMINI_API_KEY"
        case .vertex: "VERTEX_ACCESS_TOKEN"
        case .cohere: "CO_API_KEY"
        case .mistral: "MISTRAL_API_KEY"
        case .groq: "GROQ_API_KEY"
        case .together: "TOGETHER_API_KEY"
        case .openrouter: "OPENROUTER_API_KEY"
        case .fireworks: "FIREWORKS_API_KEY"
        case .deepseek: "DEEPSEEK_API_KEY"
        case .ollama, .tgi, .vllm, .sglang, .llamacpp, .lmstudio, .bedrock: nil
        }
    }

    /// Whether the server accepts `ignore_eos` and `min_tokens` (self-hosted engines). Hosted APIs refuse or
    /// ignore them, so exact output is off for them unless the target asks for it.
    public var acceptsExactOutputFields: Bool {
        switch self {
        case .vllm, .sglang, .llamacpp: true
        default: false
        }
    }

    /// Body fields a service needs for honest measurements: Fireworks silently lowers `max_tokens` when the
    /// prompt would overflow the context unless told to fail like OpenAI does.
    public var defaultExtraBody: [String: JSONValue] {
        switch self {
        case .fireworks: ["context_length_exceeded_behavior": .string("error")]
        default: [:]
        }
    }

    /// The known kinds, for error messages.
    public static var names: String { allCases.map(\.rawValue).joined(separator: ", ") }

    // MARK: The wire protocol

    /// The kind's wire protocol, set up for a target: the seed field (Mistral's `random_seed`), the output-limit
    /// field for the target's model (``tokenLimitField(baseURL:model:)``), Vertex's bearer token, Bedrock's SigV4
    /// signer from the environment's AWS credentials (when no API key is given) and region.
    public func wire(baseURL: String, model: String, apiKey: String?, environment: [String: String]) -> any WireProtocol
    {
        switch self {
        case .openaiResponses: return OpenAIResponsesWire()
        case .azure: return AzureOpenAIWire(tokenLimitField: tokenLimitField(baseURL: baseURL, model: model))
        case .anthropic: return AnthropicMessagesWire()
        case .gemini: return GeminiWire()
        case .vertex: return GeminiWire(authentication: .bearer)
        case .cohere: return CohereChatWire()
        case .ollama: return OllamaChatWire()
        case .tgi: return TGIGenerateWire()
        case .bedrock:
            let region =
                BedrockConverseWire.region(inBaseURL: baseURL) ?? environment["AWS_REGION"]
                ?? environment["AWS_DEFAULT_REGION"] ?? "us-east-1"
            let signer =
                apiKey == nil
                ? AWSCredentials(environment: environment).map {
                    AWSSigner(credentials: $0, region: region, service: "bedrock")
                } : nil
            return BedrockConverseWire(signer: signer)
        case .mistral:
            return OpenAIChatWire(
                seedField: "random_seed", tokenLimitField: tokenLimitField(baseURL: baseURL, model: model))
        case .openai, .groq, .together, .openrouter, .fireworks, .deepseek, .vllm, .sglang, .llamacpp, .lmstudio:
            return OpenAIChatWire(tokenLimitField: tokenLimitField(baseURL: baseURL, model: model))
        }
    }

    /// What the kind's wire protocol offers (the same for every target of the kind).
    public var capabilities: WireCapabilities {
        wire(baseURL: defaultBaseURL ?? "", model: "", apiKey: "", environment: [:]).capabilities
    }

    /// How a server of this kind gives log-probabilities of given text without asking it: llama.cpp by forced
    /// decoding, vLLM by `prompt_logprobs`; nil for the rest (`llmbench probe` finds out for other OpenAI-compatible
    /// servers).
    public var knownPromptLogprobMethod: PromptLogprobMethod? {
        switch self {
        case .llamacpp: .forcedDecoding
        case .vllm: .promptLogprobs
        default: nil
        }
    }

    // MARK: What models refuse

    /// Whether `model` is an OpenAI reasoning model (`o1`, `o3`, `o4-*`, `gpt-5*` except the `-chat` variants):
    /// those take only the default temperature and want the output limit in `max_completion_tokens`.
    public static func isOpenAIReasoningModel(_ model: String) -> Bool {
        let name = model.lowercased().split(separator: "/").last.map(String.init) ?? model.lowercased()
        if name.hasPrefix("gpt-5") { return !name.contains("-chat") }
        return ["o1", "o3", "o4"].contains { name == $0 || name.hasPrefix($0 + "-") }
    }

    /// Whether the model accepts a sampling temperature: OpenAI reasoning models (on OpenAI, Azure, OpenRouter) take
    /// only their default, and Claude Sonnet 5 answers HTTP 400 to a non-default temperature, `top_p` or `top_k`.
    /// llmbench leaves the field out instead of failing every request, and says so in the report.
    public func acceptsTemperature(model: String) -> Bool {
        switch self {
        case .openai, .openaiResponses, .azure, .openrouter: !Self.isOpenAIReasoningModel(model)
        case .anthropic, .bedrock: !model.lowercased().contains("claude-sonnet-5")
        default: true
        }
    }

    /// The chat-completions field for the output limit: `max_completion_tokens` on OpenAI's own API (which accepts
    /// it for every model) and for reasoning deployments on Azure; `max_tokens` elsewhere.
    public func tokenLimitField(baseURL: String, model: String) -> String {
        switch self {
        case .openai where baseURL == Self.openai.defaultBaseURL: "max_completion_tokens"
        case .azure where Self.isOpenAIReasoningModel(model): "max_completion_tokens"
        default: "max_tokens"
        }
    }
}
