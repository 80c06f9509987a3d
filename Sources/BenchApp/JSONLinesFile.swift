import Foundation

/// A file that gets one JSON document per line (sorted keys), written the moment each arrives, so that a crash or
/// kill loses nothing already appended.
final class JSONLinesFile: Sendable {
    private let file: FileHandle

    /// Creates the file, truncating any old one.
    init(url: URL) throws {
        _ = FileManager.default.createFile(atPath: url.path, contents: nil)
        file = try FileHandle(forWritingTo: url)
    }

    func append(_ value: some Encodable) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard var line = try? encoder.encode(value) else { return }
        line.append(UInt8(ascii: "\n"))
        file.write(line)
    }

    func close() {
        try? file.close()
    }
}
