import BenchCore
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

extension JSONLinesFile {
    /// A line that is not the document expected, with its number (1-based).
    struct LineError: Error {
        var line: Int
        var underlying: any Error
    }

    /// The documents of a JSON-lines `text`, one per non-empty line; a last line without its newline that does not
    /// decode is the one being written when the writer was killed, and is skipped.
    /// - Throws: ``LineError`` for any other line that does not decode.
    static func decode<T: Decodable>(_ type: T.Type, from text: String) throws -> [T] {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let decoder = JSONDecoder()
        var values: [T] = []
        for (index, line) in lines.enumerated() where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            do {
                values.append(try decoder.decode(T.self, from: Data(line.utf8)))
            } catch  where index == lines.count - 1 && !text.hasSuffix("\n") {
                break
            } catch {
                throw LineError(line: index + 1, underlying: error)
            }
        }
        return values
    }
}

extension JSONLinesFile {
    /// The rows of an input file the user gave (prompts, a trace, conversations): one `T` per non-empty line, with
    /// its line number (1-based).
    /// - Throws: ``SpecError`` naming `field` for a file that cannot be read, and `field line N` with what was
    ///   `expected` for a line that does not decode.
    static func inputRows<T: Decodable>(_ type: T.Type, path: String, field: String, expected: String) throws
        -> [(line: Int, row: T)]
    {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw SpecError(field, "cannot read \(path): \(FileProblem.reason(error))")
        }
        let decoder = JSONDecoder()
        var rows: [(line: Int, row: T)] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else { continue }
            do {
                rows.append((index + 1, try decoder.decode(T.self, from: Data(trimmed.utf8))))
            } catch {
                throw SpecError("\(field) line \(index + 1)", "expected \(expected): \(error)")
            }
        }
        return rows
    }
}
