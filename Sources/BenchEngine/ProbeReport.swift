import BenchCore
public import Foundation

/// What `llmbench probe` found a target can do, stored so later runs use it instead of guessing.
public struct ProbeReport: Sendable, Hashable, Codable {
    /// The capabilities probed, in the order they are shown.
    public enum Capability: String, Sendable, Hashable, Codable, CaseIterable {
        /// A streamed generation works at all.
        case streaming
        /// The stream reports token usage (with `stream_options.include_usage` or natively).
        case streamingUsage = "streaming_usage"
        /// `max_tokens` caps the output.
        case maxTokens = "max_tokens"
        /// An exact output length can be forced (`ignore_eos` + `min_tokens`).
        case ignoreEOS = "ignore_eos"
        /// The same seed at a temperature above 0 gives the same output, and another seed another one.
        case seed
        /// Log-probabilities of the generated tokens.
        case outputLogprobs = "output_logprobs"
        /// Log-probabilities of given text (the prompt), which log-likelihood scoring and perplexity need.
        case promptLogprobs = "prompt_logprobs"
        /// A JSON-only output mode (`response_format: json_object`, `format: json`).
        case jsonMode = "json_mode"
    }

    /// The verdict on one capability.
    public enum Verdict: String, Sendable, Hashable, Codable {
        /// Tried and it worked.
        case supported
        /// Tried and it did not work (refused or ignored).
        case unsupported
        /// The API has no such option (from its documentation); nothing was sent.
        case notOffered = "not_offered"
        /// The probe could not tell (the request failed for another reason, or the answer was ambiguous).
        case inconclusive
    }

    public struct Finding: Sendable, Hashable, Codable {
        public var verdict: Verdict
        /// What was sent and seen, in a sentence.
        public var detail: String
        /// How the capability is used where there is a choice (e.g. `prompt_logprobs`, `forced_decoding`).
        public var method: String?

        public init(_ verdict: Verdict, _ detail: String, method: String? = nil) {
            self.verdict = verdict
            self.detail = detail
            self.method = method
        }
    }

    public var target: String
    public var kind: String
    public var baseURL: String
    public var model: String
    /// ISO 8601 time of the probe.
    public var probedAt: String
    public var llmbenchVersion: String
    public var findings: [Capability: Finding]

    public init(
        target: String, kind: String, baseURL: String, model: String, probedAt: String, llmbenchVersion: String,
        findings: [Capability: Finding]
    ) {
        self.target = target
        self.kind = kind
        self.baseURL = baseURL
        self.model = model
        self.probedAt = probedAt
        self.llmbenchVersion = llmbenchVersion
        self.findings = findings
    }

    /// Whether the probe found `capability` supported; nil when it was not probed or could not tell.
    public func supports(_ capability: Capability) -> Bool? {
        switch findings[capability]?.verdict {
        case .supported: true
        case .unsupported, .notOffered: false
        case .inconclusive, nil: nil
        }
    }

    enum CodingKeys: String, CodingKey {
        case target, kind, model, findings
        case baseURL = "base_url"
        case probedAt = "probed_at"
        case llmbenchVersion = "llmbench_version"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        target = try c.decode(String.self, forKey: .target)
        kind = try c.decode(String.self, forKey: .kind)
        baseURL = try c.decode(String.self, forKey: .baseURL)
        model = try c.decode(String.self, forKey: .model)
        probedAt = try c.decode(String.self, forKey: .probedAt)
        llmbenchVersion = try c.decode(String.self, forKey: .llmbenchVersion)
        let raw = try c.decode([String: Finding].self, forKey: .findings)
        findings = Dictionary(
            uniqueKeysWithValues: raw.compactMap { key, value in Capability(rawValue: key).map { ($0, value) } })
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(target, forKey: .target)
        try c.encode(kind, forKey: .kind)
        try c.encode(baseURL, forKey: .baseURL)
        try c.encode(model, forKey: .model)
        try c.encode(probedAt, forKey: .probedAt)
        try c.encode(llmbenchVersion, forKey: .llmbenchVersion)
        try c.encode(
            Dictionary(uniqueKeysWithValues: findings.map { ($0.key.rawValue, $0.value) }), forKey: .findings)
    }
}

/// Stored probe results, one JSON file per endpoint and model under the data folder (``DataDirectory``), in
/// `probes/`.
public struct ProbeStore: Sendable {
    public let directory: URL

    public init(directory: URL) {
        self.directory = directory
    }

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        directory = DataDirectory.url(environment: environment).appendingPathComponent("probes")
    }

    /// The file of an endpoint and model: kind, host and model made file-safe, plus a hash of the full identity.
    public func file(kind: String, baseURL: String, model: String) -> URL {
        var hash = OutputHash()
        hash.add("\(kind)\n\(baseURL)\n\(model)")
        let readable = "\(kind)-\(URL(string: baseURL)?.host ?? "host")-\(model)".map {
            $0.isLetter || $0.isNumber || $0 == "-" || $0 == "." ? $0 : "_"
        }
        return directory.appendingPathComponent(
            "\(String(readable).prefix(80))-\(hash.hex).json")
    }

    public func save(_ report: ProbeReport) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try PrettyJSON.write(report, to: file(kind: report.kind, baseURL: report.baseURL, model: report.model))
    }

    /// The stored probe of an endpoint and model, if there is one.
    public func load(kind: String, baseURL: String, model: String) -> ProbeReport? {
        guard let data = try? Data(contentsOf: file(kind: kind, baseURL: baseURL, model: model)) else { return nil }
        return try? JSONDecoder().decode(ProbeReport.self, from: data)
    }
}

/// llmbench's data folder (stored probes, the server's database and token): `$LLMBENCH_DATA`, else
/// `$XDG_DATA_HOME/llmbench`, else `~/.local/share/llmbench`.
public enum DataDirectory {
    public static func url(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        if let explicit = environment["LLMBENCH_DATA"], !explicit.isEmpty {
            return URL(fileURLWithPath: explicit)
        }
        if let xdg = environment["XDG_DATA_HOME"], !xdg.isEmpty {
            return URL(fileURLWithPath: xdg).appendingPathComponent("llmbench")
        }
        return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".local/share/llmbench")
    }
}
