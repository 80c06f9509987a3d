import Foundation

/// Locates files the tests read: the repository root, and the provider wire transcripts in
/// `../shared/reference/fixtures` (beside the repository; override with `LLMBENCH_FIXTURES`).
enum Fixtures {
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static var directory: URL {
        if let override = ProcessInfo.processInfo.environment["LLMBENCH_FIXTURES"] {
            return URL(fileURLWithPath: override)
        }
        return repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/reference/fixtures")
    }

    /// Real evaluation data (`../shared/eval-data`, or `LLMBENCH_EVAL_DATA`), never committed to the repository.
    static var evalData: URL {
        if let override = ProcessInfo.processInfo.environment["LLMBENCH_EVAL_DATA"] {
            return URL(fileURLWithPath: override)
        }
        return repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/eval-data")
    }

    static func bytes(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: directory.appendingPathComponent(name)))
    }
}
