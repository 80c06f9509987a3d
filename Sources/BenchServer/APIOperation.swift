public import Hummingbird

/// One route of the API with what the OpenAPI document says of it. The router and the document are both built
/// from the same list of operations, so they cannot drift apart.
public struct APIOperation: Sendable {
    public enum ParameterLocation: String, Sendable {
        case path, query
    }

    public struct Parameter: Sendable {
        public var name: String
        public var location: ParameterLocation
        public var description: String
        /// JSON Schema of the value.
        public var schema: [String: JSONSchemaValue]
        public var required: Bool
    }

    /// A response: its description and, by media type, the schema of its body (a `$ref` name or inline).
    public struct ResponseDoc: Sendable {
        public var description: String
        public var content: [String: String]

        public init(_ description: String, _ content: [String: String] = [:]) {
            self.description = description
            self.content = content
        }
    }

    public var method: HTTPRequest.Method
    /// The path as OpenAPI writes it (`/v1/runs/{id}`); Hummingbird reads the same syntax.
    public var path: String
    public var operationID: String
    public var summary: String
    /// Needs the bearer token.
    public var requiresAuth: Bool
    public var parameters: [Parameter]
    /// Accepted request media types and the schema name of the body; empty for no body.
    public var requestBody: [String: String]
    public var responses: [Int: ResponseDoc]
    public var handler: @Sendable (Request, BasicRequestContext) async throws -> Response
}

/// The few JSON Schema values the document's parameters need.
public enum JSONSchemaValue: Sendable, Hashable {
    case string(String)
    case integer(Int)
    case strings([String])
}
