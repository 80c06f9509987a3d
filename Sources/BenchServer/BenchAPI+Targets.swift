import BenchEngine
import BenchCore
import BenchStore
import Foundation
import Hummingbird

extension BenchAPI {
    /// A saved target as the API shows it: its name, its definition (the spec's target object) and its times.
    struct TargetView: Encodable {
        var name: String
        var definition: JSONValue
        var createdAt: Date
        var updatedAt: Date

        init(_ target: StoredTarget) {
            name = target.name
            definition = (try? JSONParser.parse(target.definition)) ?? .null
            createdAt = target.createdAt
            updatedAt = target.updatedAt
        }

        enum CodingKeys: String, CodingKey {
            case name, definition
            case createdAt = "created_at"
            case updatedAt = "updated_at"
        }
    }

    func listTargets() async throws -> Response {
        try Self.json(["items": try await store.listTargets().map(TargetView.init)])
    }

    func getTarget(_ context: BasicRequestContext) async throws -> Response {
        let name = try context.parameters.require("name")
        guard let target = try await store.target(name: name) else { throw Problem.notFound("target \(name)") }
        return try Self.json(TargetView(target))
    }

    /// `POST /v1/targets`: the body is a spec target object with a `name`.
    func createTarget(_ request: Request) async throws -> Response {
        let definition = try await targetDefinition(request, name: nil)
        guard case .string(let name)? = definition["name"] else {
            throw Problem(.unprocessableContent, "a saved target needs a name", field: "/name")
        }
        if try await store.target(name: name) != nil {
            throw Problem(.conflict, "a target named \"\(name)\" exists; PUT /v1/targets/\(name) replaces it")
        }
        let saved = StoredTarget(name: name, definition: try Self.canonical(definition))
        try await store.saveTarget(saved)
        return try Self.json(TargetView(saved), status: .created, headers: [.location: "/v1/targets/\(name)"])
    }

    func replaceTarget(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let name = try context.parameters.require("name")
        let definition = try await targetDefinition(request, name: name)
        let existed = try await store.target(name: name) != nil
        try await store.saveTarget(StoredTarget(name: name, definition: try Self.canonical(definition)))
        let saved = try await store.target(name: name)
        return try Self.json(saved.map(TargetView.init), status: existed ? .ok : .created)
    }

    func deleteTarget(_ context: BasicRequestContext) async throws -> Response {
        let name = try context.parameters.require("name")
        guard try await store.deleteTarget(name: name) else { throw Problem.notFound("target \(name)") }
        return Response(status: .noContent)
    }

    /// The body of a target request, checked as a spec target (a path name wins over the body's).
    private func targetDefinition(_ request: Request, name: String?) async throws -> JSONValue {
        var fields = try await jsonObject(
            request, expected: "expected a JSON object: a spec target (kind, base_url, model, …)")
        if let name { fields["name"] = .string(name) }
        // The body is the target itself: its fields are named without the spec's `/targets/0`.
        _ = try await Problem.unprocessable(pointer: { $0.hasPrefix("/targets/0") ? String($0.dropFirst(10)) : $0 }) {
            try await service.validated(.object(["targets": .array([.object(fields)])]))
        }
        return .object(fields)
    }

    static func canonical(_ value: JSONValue) throws -> String {
        String(decoding: try APIJSON.encoder().encode(value), as: UTF8.self)
    }
}
