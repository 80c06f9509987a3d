import Foundation

/// A real headless Chromium (Debian's `chromium` package) that opens a page as a user's browser would: the DOM after
/// rendering, a screenshot, and whatever the page logged to the console or failed to load.
enum HeadlessChromium {
    static var executable: String? {
        ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
    }

    /// CI installs Chromium and sets LLMBENCH_REQUIRE_CHROMIUM=1 so these tests cannot be skipped there.
    static var shouldRun: Bool {
        executable != nil || ProcessInfo.processInfo.environment["LLMBENCH_REQUIRE_CHROMIUM"] == "1"
    }

    struct Page {
        var dom: String
        /// Console messages and load failures the browser reported.
        var problems: [String]
    }

    /// Opens `url` at `width`×`height` (CSS pixels), writes a PNG screenshot to `screenshot`, and returns the DOM.
    static func open(_ url: String, width: Int = 1280, height: Int = 2400, screenshot: URL) throws -> Page {
        guard let executable else { throw ChromiumMissing() }
        let common = [
            "--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
            "--disable-extensions", "--enable-logging=stderr", "--v=0", "--window-size=\(width),\(height)",
        ]
        let shot = try run(executable, common + ["--screenshot=\(screenshot.path)", url])
        let dump = try run(executable, common + ["--dump-dom", url])
        let problems = (shot.stderr + "\n" + dump.stderr).split(separator: "\n").map(String.init).filter {
            $0.contains("CONSOLE") || $0.contains("Failed to load resource") || $0.contains("Uncaught")
        }
        return Page(dom: dump.stdout, problems: problems)
    }

    struct ChromiumMissing: Error, CustomStringConvertible {
        var description: String { "chromium is not installed (apt-get install chromium)" }
    }

    static func run(_ executable: String, _ arguments: [String]) throws -> (stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        // Standard error goes to a file, so a chatty browser never blocks on a full pipe while stdout is read.
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("chromium-\(UUID()).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: log) }
        let out = Pipe()
        process.standardOutput = out
        process.standardError = try FileHandle(forWritingTo: log)
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let stderr = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        return (String(decoding: stdout, as: UTF8.self), stderr)
    }
}
