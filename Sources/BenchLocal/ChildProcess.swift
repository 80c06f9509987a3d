import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Starts programs with a clean signal state.
///
/// Foundation's `Process` spawns from a runtime thread whose signals are blocked, and the child inherits that mask:
/// cmake then never sees SIGCHLD from its own `git` child and hangs, and llama-server ignores SIGTERM. This
/// spawner resets the mask and every signal disposition in the child (`POSIX_SPAWN_SETSIGMASK`,
/// `POSIX_SPAWN_SETSIGDEF`), sends both output streams to a log file, and reads nothing from standard input.
///
/// Why not swift-subprocess (1.0.2, in the mirror): it resets the mask and dispositions too, but its `run` always
/// waits for the child to end, and `llmbench local start` must leave llama-server running after llmbench exits.
/// One spawner for the build steps and the detached server is simpler than two.
struct ChildProcess: Sendable {
    let pid: pid_t

    /// Spawns `executable` with `arguments`, appending its output to `log`.
    /// - Parameter newSession: start the child in a session of its own, so it outlives the terminal that
    ///   started it (for servers left running in the background).
    static func spawn(_ executable: URL, _ arguments: [String], log: URL, newSession: Bool = false) throws
        -> ChildProcess
    {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log.path, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigdefault(&attributes, &all)
        var flags = Int32(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF)
        if newSession { flags |= Self.spawnSetSID }
        posix_spawnattr_setflags(&attributes, Int16(flags))

        var command = [executable.path] + arguments
        let adjustment = processNiceness - Self.niceness(ofThread: 0)
        if adjustment != 0, let nice = CommandRunner.which("nice") {
            command = [nice.path, "-n", String(adjustment)] + command
        }
        let argv = command.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid = pid_t()
        let result = posix_spawn(&pid, command[0], &actions, &attributes, argv, environ)
        guard result == 0 else {
            throw LocalModelError(
                step: "spawn", problem: "cannot run \(executable.path): \(String(cString: strerror(result)))")
        }
        return ChildProcess(pid: pid)
    }

    /// The niceness the process was started with (`nice -n 10 llmbench-install`), as its main thread still has it.
    /// Swift's thread pool runs its threads at priorities of its own, and a child inherits the niceness of the
    /// thread that spawns it, so children are started through `nice` with the difference: a build started at low
    /// priority compiles at low priority.
    static let processNiceness = niceness(ofThread: getpid())

    /// A thread's niceness (Linux: `who` is a thread id; 0 is the calling thread).
    static func niceness(ofThread thread: pid_t) -> Int32 {
        #if os(Linux)
        getpriority(__priority_which_t(PRIO_PROCESS.rawValue), id_t(thread))
        #else
        getpriority(PRIO_PROCESS, id_t(thread))
        #endif
    }

    /// glibc's `POSIX_SPAWN_SETSID` (2.26+), hidden from Swift behind `_GNU_SOURCE`; elsewhere no new session.
    #if os(Linux)
    private static let spawnSetSID: Int32 = 0x80
    #else
    private static let spawnSetSID: Int32 = 0
    #endif

    /// The exit status if the child has ended (reaping it), nil while it runs.
    func exitStatus() -> Int32? {
        var status: Int32 = 0
        let result = waitpid(pid, &status, WNOHANG)
        guard result == pid else { return result < 0 ? -1 : nil }
        // WIFEXITED / WEXITSTATUS, spelled out: the macros are not imported into Swift.
        return (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
    }

    /// Sends SIGTERM, waits up to `grace` for the child to end (reaping it), then sends SIGKILL.
    func terminate(grace: Duration = .seconds(10)) {
        kill(pid, SIGTERM)
        let deadline = ContinuousClock.now + grace
        while exitStatus() == nil {
            if ContinuousClock.now >= deadline {
                kill(pid, SIGKILL)
                _ = waitpid(pid, nil, 0)
                return
            }
            usleep(20_000)
        }
    }
}
