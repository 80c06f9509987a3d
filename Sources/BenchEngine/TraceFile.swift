import BenchCore
import Foundation

/// Reads a workload trace: one JSON object per line with the arrival `timestamp` in milliseconds (Mooncake and
/// AIPerf traces) or `arrival_s` in seconds, and optionally `input_length`/`input_tokens`,
/// `output_length`/`output_tokens`, and `messages` or `prompt`. Other fields (`hash_ids`, …) are ignored; blank
/// lines are skipped. Arrivals are made relative to the earliest.
enum TraceFile {
    static func load(path: String) throws -> ReplayTrace {
        var entries: [ReplayTrace.Entry] = []
        for (line, row) in try JSONLinesFile.inputRows(
            Row.self, path: path, field: "load.trace",
            expected: "{\"timestamp\": ms, \"input_length\": n, \"output_length\": n}")
        {
            let field = "load.trace line \(line)"
            guard let seconds = row.timestamp.map({ $0 / 1000 }) ?? row.arrivalS, seconds.isFinite, seconds >= 0
            else {
                throw SpecError(field, "needs timestamp (milliseconds) or arrival_s (seconds), a number ≥ 0")
            }
            for (name, value) in [("input length", row.inputTokens), ("output length", row.outputTokens)] {
                if let value, value < 1 { throw SpecError(field, "\(name) must be at least 1, got \(value)") }
            }
            entries.append(
                ReplayTrace.Entry(
                    arrival: .seconds(seconds), inputTokens: row.inputTokens, outputTokens: row.outputTokens,
                    messages: row.messages ?? row.prompt.map { [ChatMessage(role: "user", content: $0)] }))
        }
        guard !entries.isEmpty else { throw SpecError("load.trace", "\(path) holds no requests") }
        return ReplayTrace(name: URL(fileURLWithPath: path).lastPathComponent, entries: entries)
    }

    struct Row: Decodable {
        var timestamp: Double?
        var arrivalS: Double?
        var inputTokens: Int?
        var outputTokens: Int?
        var messages: [ChatMessage]?
        var prompt: String?

        enum CodingKeys: String, CodingKey {
            case timestamp
            case arrivalS = "arrival_s"
            case inputLength = "input_length"
            case inputTokens = "input_tokens"
            case outputLength = "output_length"
            case outputTokens = "output_tokens"
            case messages, prompt
        }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            timestamp = try c.decodeIfPresent(Double.self, forKey: .timestamp)
            arrivalS = try c.decodeIfPresent(Double.self, forKey: .arrivalS)
            inputTokens =
                try c.decodeIfPresent(Int.self, forKey: .inputLength)
                ?? c.decodeIfPresent(Int.self, forKey: .inputTokens)
            outputTokens =
                try c.decodeIfPresent(Int.self, forKey: .outputLength)
                ?? c.decodeIfPresent(Int.self, forKey: .outputTokens)
            messages = try c.decodeIfPresent([ChatMessage].self, forKey: .messages)
            prompt = try c.decodeIfPresent(String.self, forKey: .prompt)
        }
    }
}
