/// What running one answer's program against its tests gave: the verdict, how the program ended and the tail of
/// what it wrote to standard error, so a failure can be read without running it again.
public struct CodeExecution: Sendable, Hashable, Codable {
    /// How a program run ended, from its exit and the last lines of its standard error.
    public enum Verdict: String, Sendable, Hashable, Codable, CaseIterable {
        /// The tests ran to the end without an error.
        case passed
        /// A test's assertion failed.
        case wrongAnswer = "wrong_answer"
        /// The program did not parse (SyntaxError, IndentationError, TabError).
        case syntaxError = "syntax_error"
        /// It ran past the CPU-time or wall-time limit and was killed with everything it started.
        case timeout
        /// It ran out of the memory it may use (MemoryError, or killed for it).
        case memory
        /// It tried to start more processes than it may.
        case processLimit = "process_limit"
        /// It tried to reach the network, which the sandbox does not have.
        case network
        /// It wrote more than the file-size limit.
        case fileSize = "file_size"
        /// Any other exception the program raised (NameError, TypeError, IndexError, PermissionError…) or exit.
        case runtimeError = "runtime_error"

        /// The words the summary uses.
        public var words: String {
            switch self {
            case .passed: return "passed"
            case .wrongAnswer: return "wrong answer"
            case .syntaxError: return "syntax error"
            case .timeout: return "timeout"
            case .memory: return "memory"
            case .processLimit: return "process limit"
            case .network: return "network"
            case .fileSize: return "file size"
            case .runtimeError: return "runtime error"
            }
        }
    }

    public var verdict: Verdict
    /// The exit status, or the signal that ended it as a negative number.
    public var exitStatus: Int32
    public var milliseconds: Double
    /// The last 2,000 characters of standard error.
    public var stderrTail: String
    /// How the program was isolated (`namespaces`, `user_namespaces` or `none`).
    public var isolation: String

    public init(verdict: Verdict, exitStatus: Int32, milliseconds: Double, stderrTail: String, isolation: String) {
        self.verdict = verdict
        self.exitStatus = exitStatus
        self.milliseconds = milliseconds
        self.stderrTail = stderrTail
        self.isolation = isolation
    }

    /// The verdict of a program that exited with `status` (negative: killed by that signal) after writing
    /// `stderr`, `timedOut` when the wall-time limit ended it. Python's last traceback line names the exception.
    public static func verdict(status: Int32, stderr: String, timedOut: Bool) -> Verdict {
        if timedOut { return .timeout }
        let last = stderr.split(separator: "\n").last.map(String.init) ?? ""
        switch status {
        case 0: return .passed
        case -24, 128 + 24: return .timeout  // SIGXCPU: the CPU-time limit
        case -25, 128 + 25: return .fileSize  // SIGXFSZ
        case -9, 128 + 9: return .memory  // killed before the wall-time limit: the kernel's out-of-memory killer
        default: break
        }
        if last.hasPrefix("SyntaxError") || last.hasPrefix("IndentationError") || last.hasPrefix("TabError") {
            return .syntaxError
        }
        if last.hasPrefix("MemoryError") { return .memory }
        if last.hasPrefix("AssertionError") { return .wrongAnswer }
        if last.contains("Network is unreachable") || last.contains("[Errno 101]")
            || last.contains("Temporary failure in name resolution") || last.contains("[Errno -3]")
        {
            return .network
        }
        // Forked children share standard error, so their tracebacks interleave: a fork refused anywhere counts.
        let forkRefused = stderr.split(separator: "\n").contains {
            $0.hasPrefix("BlockingIOError") && $0.contains("Resource temporarily unavailable")
        }
        if forkRefused { return .processLimit }
        if last.contains("File too large") || last.contains("[Errno 27]") { return .fileSize }
        return .runtimeError
    }

    /// The reason kept on a failed result: the verdict and the last line of standard error.
    public var reason: String? {
        guard verdict != .passed else { return nil }
        let last = stderrTail.split(separator: "\n").last.map(String.init)
        return last.map { "\(verdict.words): \($0)" } ?? verdict.words
    }

    enum CodingKeys: String, CodingKey {
        case verdict
        case exitStatus = "exit_status"
        case milliseconds = "ms"
        case stderrTail = "stderr_tail"
        case isolation
    }
}
