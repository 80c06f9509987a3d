public import BenchCore
import BenchEval
public import BenchProviders
public import BenchStore
import Foundation

/// How work enters a service (the API, schedules): a spec document is checked exactly as the CLI checks a spec
/// file — one parser and one validator (``BenchSpec/parse(document:)``, ``BenchSpec/validate()``, the quality
/// tasks) — plus what a shared service must refuse, then stored as a run with its units for the coordinators to
/// claim. Every error is a ``SpecError`` naming the field by its path in the document.
public struct RunQueue: Sendable {
    public let store: any RunStore
    public let engine: Engine
    /// The most requests one step or quality task of a run may keep in flight; the engine's pool must hold them.
    public let maxConcurrency: Int
    public let targetGuard: TargetGuard

    /// Header names that carry credentials: refused in specs and saved targets (keys go in environment variables).
    public static let credentialHeaders: Set<String> = ["authorization", "api-key", "x-api-key", "x-goog-api-key"]

    /// Submitted targets are checked by the engine's guard (``Engine/Configuration/guardTargets(allowLinkLocal:)``), or,
    /// with none, by a guard that refuses link-local and metadata addresses.
    public init(store: any RunStore, engine: Engine, maxConcurrency: Int) {
        self.store = store
        self.engine = engine
        self.maxConcurrency = maxConcurrency
        targetGuard = engine.targetGuard ?? TargetGuard()
    }

    /// The spec `document` describes, with saved targets resolved, as this service would run it: valid, no files
    /// on the server, no credentials in it, targets allowed, key variables set, concurrency within the service's
    /// connections.
    /// - Throws: ``SpecError`` naming the field at fault.
    public func validated(_ document: JSONValue) async throws -> BenchSpec {
        try check(try await resolveSavedTargets(document))
    }

    /// Validates `document`, stores the run and queues its units: per target, its load steps, then its quality
    /// tasks (``BenchmarkRun/unitCount(_:)``).
    /// - Throws: ``SpecError`` naming the field at fault; the store's errors.
    public func submit(_ document: JSONValue) async throws -> StoredRun {
        let resolved = try await resolveSavedTargets(document)
        let spec = try check(resolved)
        var run = StoredRun(
            id: StoredRun.newID(), spec: String(decoding: try APIJSON.encoder().encode(resolved), as: UTF8.self),
            targets: spec.targets.map(\.name))
        let counted = spec.steps.reduce(0) { $0 + ($1.maxDuration == nil ? $1.maxRequests ?? 0 : 0) }
        run.total = counted > 0 ? counted * spec.targets.count : nil
        let perTarget = BenchmarkRun.unitCount(spec)
        let units = spec.targets.enumerated().flatMap { targetIndex, target in
            (0..<perTarget).map { step in
                WorkUnit(runID: run.id, index: targetIndex * perTarget + step, target: target.name, step: step)
            }
        }
        try await store.createRun(run, units: units)
        return run
    }

    /// Replaces `{target: NAME, …overrides}` entries with the saved target's definition plus the overrides.
    /// - Throws: ``SpecError`` on `targets[i].target` for a name no saved target has.
    public func resolveSavedTargets(_ document: JSONValue) async throws -> JSONValue {
        guard case .object(var root) = document, case .array(let targets)? = root["targets"] else { return document }
        var resolved: [JSONValue] = []
        for (index, entry) in targets.enumerated() {
            guard case .object(var fields) = entry, case .string(let name)? = fields["target"] else {
                resolved.append(entry)
                continue
            }
            guard let saved = try await store.target(name: name),
                case .object(var definition) = try? JSONParser.parse(saved.definition)
            else {
                throw SpecError("targets[\(index)].target", "no saved target is named \"\(name)\"")
            }
            fields["target"] = nil
            definition["name"] = definition["name"] ?? .string(name)
            for (key, value) in fields { definition[key] = value }
            resolved.append(.object(definition))
        }
        root["targets"] = .array(resolved)
        return .object(root)
    }

    private func check(_ document: JSONValue) throws -> BenchSpec {
        // Files on the server are never read for a client: they could be anything the server may read.
        for (field, value, instead) in [
            ("prompts.file", document["prompts"]?["file"], "give the prompts as prompts.items"),
            ("prompts.conversations", document["prompts"]?["conversations"], "use prompts.turns"),
            ("load.trace", document["load"]?["trace"], "run traces with the CLI"),
        ] where value != nil {
            throw SpecError(field, "files are not read over the API: \(instead)")
        }
        let spec = try BenchSpec.parse(document: document)
        try spec.validate()
        for (index, entry) in spec.quality.enumerated() {
            if let problem = Self.serverSideFile(entry) { throw SpecError("quality[\(index)].task", problem) }
        }
        _ = try QualityRun(spec: spec, engine: engine, outputDirectory: nil, log: { _ in }).tasks()
        for (index, target) in spec.targets.enumerated() {
            if let header = target.headers.keys.first(where: { Self.credentialHeaders.contains($0.lowercased()) }) {
                throw SpecError(
                    "targets[\(index)].headers.\(header)",
                    "credentials are not accepted in headers: put the key in an environment variable of the server and name it in api_key_env"
                )
            }
            if let refusal = targetGuard.refusal(for: target.baseURL) {
                throw SpecError("targets[\(index)].base_url", refusal)
            }
            if case .file = target.tokenizer {
                throw SpecError(
                    "targets[\(index)].tokenizer",
                    "tokenizer files are not read over the API: use server (the target's /tokenize) or none")
            }
            do {
                _ = try engine.apiKey(target, field: "targets[\(index)].api_key_env")
            } catch let error as SpecError {
                throw SpecError(error.field, error.problem + " on the server")
            }
        }
        try checkConcurrency(spec)
        return spec
    }

    /// Refuses a step or quality task that would keep more requests in flight than the service's connections.
    private func checkConcurrency(_ spec: BenchSpec) throws {
        let most = maxConcurrency
        let problem =
            "at most \(most) requests in flight per step on this service (llmbench serve --max-run-concurrency)"
        for (index, shape) in spec.shapes.enumerated() {
            switch shape {
            case .concurrency(let users) where users > most:
                throw SpecError("load.concurrency[\(index)]", problem)
            case .rate(_, _, let maxInFlight?) where maxInFlight > most:
                throw SpecError("load.max_in_flight", problem)
            default: break
            }
        }
        for (index, task) in spec.quality.enumerated() where task.concurrency * (spec.judge == nil ? 1 : 2) > most {
            throw SpecError("quality[\(index)].concurrency", problem)
        }
    }

    /// Why a quality entry cannot run on the server: it names a file (files are not read over the API).
    static func serverSideFile(_ entry: QualityTask) -> String? {
        switch entry.source {
        case .suite: return nil
        case .file:
            return
                "task files are not read over the API: give a smoke suite, or write the task out with dataset: {items: [...]}"
        case .inline(let task):
            if case .file(_, _, _) = task.dataset {
                return "dataset files are not read over the API: give the items as dataset: {items: [...]}"
            }
            return nil
        }
    }
}
