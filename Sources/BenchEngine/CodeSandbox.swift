import BenchCore
public import BenchEval
import Foundation

/// Runs a model's Python program against a benchmark's tests in a separate process, isolated as far as the kernel
/// allows, and reads how it ended (``CodeExecution``).
///
/// Every run gets CPU-time, address-space, file-size, process-count and open-file limits (`prlimit`), a wall-time
/// limit after which `timeout` kills it with its whole process group, and an empty working directory. With
/// namespaces (``Isolation/namespaces`` as root, ``Isolation/userNamespaces`` otherwise) it also gets a network
/// namespace with no interface up, its own PID namespace (when its first process ends, the kernel kills every
/// process it started), the root file system read-only and fresh empty `/tmp`, `/var/tmp` and `/dev/shm`; as root
/// it runs as `nobody` without capabilities. Without namespaces it runs only when the user allows it.
public struct CodeSandbox: Sendable {
    /// How programs are isolated.
    public enum Isolation: String, Sendable {
        /// Mount, network and PID namespaces, run as `nobody` (the caller is root).
        case namespaces
        /// The same inside a user namespace (the caller is not root and the kernel allows user namespaces).
        case userNamespaces = "user_namespaces"
        /// Only the limits and a temporary directory: the program can reach the network and the user's files.
        case none
    }

    public let isolation: Isolation
    public let python: String
    /// CPU seconds a program may use; the wall-time limit is twice this plus 2 s, for a loaded machine.
    public var cpuSeconds: Int = 10
    public var memoryBytes: Int = 1 << 30
    public var fileBytes: Int = 16 << 20
    /// Processes the program may start at once (with namespaces as root: `nobody`'s processes on the machine).
    public var processes: Int = 64

    public var wallSeconds: Double { Double(cpuSeconds * 2 + 2) }

    init(isolation: Isolation, python: String) {
        self.isolation = isolation
        self.python = python
    }

    /// The sandbox this machine gives: namespaces where the kernel allows them, checked by running a program;
    /// else, with `allowUnsandboxed`, limits only.
    /// - Throws: ``SpecError`` naming `--allow-unsandboxed-code` when no namespace works and it was not given, or
    ///   when no Python 3 is found.
    public static func make(allowUnsandboxed: Bool) async throws -> CodeSandbox {
        let candidates = ["/usr/bin/python3", "/usr/local/bin/python3", "/bin/python3"]
        guard let python = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw SpecError(
                "--allow-code-execution",
                "running HumanEval-style tests needs Python 3 installed system-wide (\(candidates.joined(separator: ", ")) are missing)"
            )
        }
        let tried = getuid() == 0 ? [Isolation.namespaces, .userNamespaces] : [.userNamespaces]
        var reasons: [String] = []
        for isolation in tried {
            let sandbox = CodeSandbox(isolation: isolation, python: python)
            do {
                let probe = try await sandbox.run("print('sandbox ok')\n")
                if probe.verdict == .passed { return sandbox }
                let last = probe.stderrTail.split(separator: "\n").last.map(String.init)
                reasons.append("\(isolation.rawValue): \(last ?? "exit \(probe.exitStatus)")")
            } catch {
                reasons.append("\(isolation.rawValue): \(error)")
            }
        }
        guard allowUnsandboxed else {
            throw SpecError(
                "--allow-unsandboxed-code",
                "this machine cannot isolate the model's code in namespaces (\(reasons.joined(separator: "; "))); pass --allow-unsandboxed-code to run it with resource limits only, where it can reach the network and your files"
            )
        }
        return CodeSandbox(isolation: .none, python: python)
    }

    /// The error a code-execution task gets when the user has not allowed running the model's code.
    public static func refusal(of task: String) -> SpecError {
        SpecError(
            "--allow-code-execution",
            "\(task) runs the model's code against its tests; pass --allow-code-execution to run it in a sandbox (no network, its own empty directory, CPU, memory, file-size and process limits)"
        )
    }

    /// The isolation and limits in words, for the run's log.
    public var description: String {
        let how: String
        switch isolation {
        case .namespaces: how = "namespaces (no network, read-only files, own PID space), as nobody"
        case .userNamespaces: how = "user namespaces (no network, read-only files, own PID space)"
        case .none: how = "NO isolation (limits only: the code can reach the network and your files)"
        }
        return
            "\(how); \(cpuSeconds) s CPU, \(Int(wallSeconds)) s wall, \(memoryBytes >> 20) MiB memory, \(fileBytes >> 20) MiB files, \(processes) processes; \(python)"
    }

    /// Runs `program` and classifies how it ended. Throws only when the sandbox itself cannot be set up (its
    /// folder or files), which says nothing about the program.
    public func run(_ program: String) async throws -> CodeExecution {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("llmbench-code-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let source = folder.appendingPathComponent("program.py")
        let output = folder.appendingPathComponent("stdout")
        let errors = folder.appendingPathComponent("stderr")
        let started = ContinuousClock.now
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data(program.utf8).write(to: source)
        for file in [output, errors] { _ = FileManager.default.createFile(atPath: file.path, contents: nil) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/timeout")
        process.arguments = ["-s", "KILL", String(wallSeconds)] + command(folder: folder)
        process.currentDirectoryURL = folder
        process.standardInput = try FileHandle(forReadingFrom: source)
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = try FileHandle(forWritingTo: errors)
        let status = try await Self.exitStatus(of: process)
        let seconds = started.duration(to: .now).seconds
        let stderr = String(decoding: (try? Data(contentsOf: errors)) ?? Data(), as: UTF8.self)
        let timedOut = status == -9 && seconds >= wallSeconds - 0.1
        return CodeExecution(
            verdict: CodeExecution.verdict(status: status, stderr: stderr, timedOut: timedOut), exitStatus: status,
            milliseconds: seconds * 1_000, stderrTail: String(stderr.suffix(2_000)), isolation: isolation.rawValue)
    }

    /// The command `timeout` runs: the program file as standard input of the namespace's shell, which copies it
    /// into its own empty directory; without namespaces the program runs from the temporary folder.
    func command(folder: URL) -> [String] {
        let limits = [
            "prlimit", "--cpu=\(cpuSeconds):\(cpuSeconds + 1)", "--as=\(memoryBytes)", "--fsize=\(fileBytes)",
            "--nproc=\(isolation == .userNamespaces ? processes + Self.processesOfThisUser() : processes)",
            "--nofile=64", "--core=0", "--", python, "-I", "-B", "program.py",
        ]
        switch isolation {
        case .none:
            return limits
        case .namespaces, .userNamespaces:
            let dropPrivileges =
                isolation == .namespaces
                ? "chown 65534:65534 /tmp/work; setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all --bounding-set=-all --no-new-privs "
                : ""
            // The shell stays the namespace's first process and exits with the program's status, so a program
            // killed by a limit's signal reads as that signal (128 + n), and its end ends every process it left.
            let script = """
                set -e
                mount -o remount,bind,ro /
                for d in /tmp /var/tmp /dev/shm; do if [ -d $d ]; then mount -t tmpfs -o size=64m,mode=1777 tmpfs $d; fi; done
                mkdir /tmp/work
                cat > /tmp/work/program.py
                cd /tmp/work
                set +e
                \(dropPrivileges)\(limits.map(Self.quoted).joined(separator: " "))
                exit $?
                """
            let user = isolation == .userNamespaces ? ["--user", "--map-root-user"] : []
            return ["unshare"] + user + [
                "--mount", "--net", "--pid", "--fork", "--kill-child", "--mount-proc", "sh", "-c", script,
            ]
        }
    }

    static func quoted(_ word: String) -> String { "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'" }

    /// Processes running as this user now: in a user namespace the program keeps the caller's user ID, whose
    /// processes all count against the process limit.
    static func processesOfThisUser() -> Int {
        let uid = getuid()
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.filter { name in
            guard name.allSatisfy(\.isNumber) else { return false }
            let owner = (try? FileManager.default.attributesOfItem(atPath: "/proc/" + name))?[.ownerAccountID]
            return (owner as? NSNumber)?.uint32Value == uid
        }.count
    }

    /// The sandbox could not be set up for a program (its folder, files or the `timeout` process), so the item
    /// is a failed one with this reason rather than a verdict on the model's code.
    public struct SetupFailed: Error, CustomStringConvertible {
        public var underlying: any Error
        public var description: String { "the code sandbox could not run the program: \(underlying)" }
    }

    /// Starts `process` and waits for it to end: its exit status, or minus the signal that killed it.
    static func exitStatus(of process: Process) async throws -> Int32 {
        try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { ended in
                continuation.resume(
                    returning: ended.terminationReason == .uncaughtSignal
                        ? -ended.terminationStatus : ended.terminationStatus)
            }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
    }
}
