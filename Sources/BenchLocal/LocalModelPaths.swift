public import Foundation

/// Where the local model, the server build and the running server's state live:
/// `$LLMBENCH_CACHE`, else `$XDG_CACHE_HOME/llmbench`, else `~/.cache/llmbench`.
public struct LocalModelPaths: Sendable, Hashable {
    public var root: URL

    public init(root: URL) {
        self.root = root
    }

    /// The cache folder chosen from the environment.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        if let explicit = environment["LLMBENCH_CACHE"], !explicit.isEmpty {
            root = URL(fileURLWithPath: explicit)
        } else if let xdg = environment["XDG_CACHE_HOME"], !xdg.isEmpty {
            root = URL(fileURLWithPath: xdg).appendingPathComponent("llmbench")
        } else {
            root = FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/llmbench")
        }
    }

    public var downloads: URL { root.appendingPathComponent("downloads") }
    public var model: URL { root.appendingPathComponent("models").appendingPathComponent(LocalModelPins.modelFileName) }
    public var serverRoot: URL {
        root.appendingPathComponent("llama.cpp").appendingPathComponent(LocalModelPins.serverVersion)
    }
    public var serverSource: URL { serverRoot.appendingPathComponent("src") }
    public var serverBuild: URL { serverRoot.appendingPathComponent("build") }
    public var serverBinary: URL { serverBuild.appendingPathComponent("bin/llama-server") }
    /// Written after a successful build; holds the flags it was built with.
    /// llama.cpp's own perplexity tool, built from the same source as the server.
    public var perplexityBinary: URL { serverBuild.appendingPathComponent("bin/llama-perplexity") }
    public var buildStamp: URL { serverBuild.appendingPathComponent("llmbench-build-stamp") }
    /// Written after the model file's checksum was verified.
    public var modelStamp: URL { root.appendingPathComponent("models/\(LocalModelPins.modelFileName).sha256-ok") }
    /// Where cmake from PyPI goes when the system has none.
    public var cmakeTools: URL { root.appendingPathComponent("tools/cmake") }
    public var cmakeFromPyPI: URL { cmakeTools.appendingPathComponent("cmake/data/bin/cmake") }
    public var runState: URL { root.appendingPathComponent("run/llama-server.json") }
    public var serverLog: URL { root.appendingPathComponent("run/llama-server.log") }
}
