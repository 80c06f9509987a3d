public import BenchCore

extension BenchSpec {
    /// A target's provider: its wire protocol, and for known services the public base URL, the usual API-key
    /// variable and whether the server accepts the exact-length fields (`ignore_eos`, `min_tokens`).
    public enum Kind: String, Sendable, Hashable, CaseIterable {
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

        /// The protocol family a kind speaks.
        public enum Wire: Sendable, Hashable {
            case openaiChat(seedField: String)
            case openaiResponses, azure, anthropic, gemini, vertex, cohere, bedrock, ollama, tgi
        }

        public var wire: Wire {
            switch self {
            case .openaiResponses: .openaiResponses
            case .azure: .azure
            case .anthropic: .anthropic
            case .gemini: .gemini
            case .vertex: .vertex
            case .cohere: .cohere
            case .bedrock: .bedrock
            case .ollama: .ollama
            case .tgi: .tgi
            case .mistral: .openaiChat(seedField: "random_seed")
            case .openai, .groq, .together, .openrouter, .fireworks, .deepseek, .vllm, .sglang, .llamacpp, .lmstudio:
                .openaiChat(seedField: "seed")
            }
        }

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
        static var names: String { allCases.map(\.rawValue).joined(separator: ", ") }
    }
}
