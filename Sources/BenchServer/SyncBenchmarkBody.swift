import BenchCore
import HTTPTypes
import Foundation

/// The body of `POST /v1/benchmark`, mapped into a spec document so that the run validator checks it like any spec,
/// and the validator's errors mapped back to the body's own fields (``bodyPointer(_:)``).
///
/// | body | spec |
/// |---|---|
/// | `target` (a saved target's name, or a target object) | `targets[0]` |
/// | `prompts` | `prompts.items` |
/// | `max_tokens` (default 64) | `prompts.output_tokens` |
/// | `concurrency` (default 1) | `load.concurrency[0]` |
/// | `requests` (default: one per prompt) | `load.requests` |
/// | `temperature` | `request.temperature` |
struct SyncBenchmarkBody {
    static let fields: Set<String> = [
        "target", "prompts", "max_tokens", "concurrency", "requests", "temperature", "metrics",
    ]

    /// The spec the body describes.
    let document: JSONValue
    /// The headline metrics to return.
    let metrics: [String]

    /// - Throws: ``Problem`` 422 for an unknown field, a target that is neither a name nor an object, no prompts,
    ///   more prompts than the synchronous limit, or an unknown metric; the rest is left to the spec validator.
    init(_ fields: [String: JSONValue], maxRequests: Int) throws {
        if let unknown = fields.keys.sorted().first(where: { !Self.fields.contains($0) }) {
            throw Problem(
                .unprocessableContent, "unknown field (known: \(Self.fields.sorted().joined(separator: ", ")))",
                field: "/\(unknown)")
        }
        let target: JSONValue
        switch fields["target"] {
        case .string(let name)?: target = .object(["target": .string(name)])
        case .object(let object)?: target = .object(object)
        default:
            throw Problem(.unprocessableContent, "give a saved target's name or a target object", field: "/target")
        }
        guard case .array(let prompts)? = fields["prompts"], !prompts.isEmpty else {
            throw Problem(.unprocessableContent, "give at least one prompt", field: "/prompts")
        }
        guard prompts.count <= maxRequests else {
            throw Problem(
                .unprocessableContent,
                "POST /v1/benchmark runs at most \(maxRequests) requests; submit larger jobs to POST /v1/runs",
                field: "/prompts")
        }
        var document: [String: JSONValue] = [
            "targets": .array([target]),
            "prompts": .object(["items": .array(prompts), "output_tokens": fields["max_tokens"] ?? .number(64)]),
            "load": .object([
                "concurrency": .array([fields["concurrency"] ?? .number(1)]),
                "requests": fields["requests"] ?? .number(Double(prompts.count)),
            ]),
        ]
        if let temperature = fields["temperature"] { document["request"] = .object(["temperature": temperature]) }
        self.document = .object(document)
        metrics = try Self.metricNames(fields["metrics"])
    }

    /// Where each spec field came from in the body, longest spec prefix first.
    private static let origins: [(spec: String, body: String)] = [
        ("/targets/0/target", "/target"), ("/targets/0", "/target"), ("/targets", "/target"),
        ("/prompts/items", "/prompts"), ("/prompts/output_tokens", "/max_tokens"),
        ("/load/concurrency/0", "/concurrency"), ("/load/concurrency", "/concurrency"), ("/load/requests", "/requests"),
        ("/request/temperature", "/temperature"),
    ]

    /// A JSON pointer into the mapped spec as a pointer into the body the client sent.
    static func bodyPointer(_ specPointer: String) -> String {
        for (spec, body) in origins where specPointer == spec || specPointer.hasPrefix(spec + "/") {
            return body + specPointer.dropFirst(spec.count)
        }
        return specPointer
    }

    /// The headline metrics `POST /v1/benchmark` can return by name.
    static let known = ["ttft", "itl", "e2e", "output_tps", "request_rps", "error_rate", "cost", "output_tokens"]

    static func metricNames(_ value: JSONValue?) throws -> [String] {
        guard let value else { return known }
        guard case .array(let items) = value else {
            throw Problem(.unprocessableContent, "expected a list of metric names", field: "/metrics")
        }
        return try items.enumerated().map { index, item in
            guard let name = item.string, known.contains(name) else {
                throw Problem(
                    .unprocessableContent, "unknown metric (known: \(known.joined(separator: ", ")))",
                    field: "/metrics/\(index)")
            }
            return name
        }
    }
}
