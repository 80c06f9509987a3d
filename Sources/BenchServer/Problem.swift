import BenchEngine
import Foundation
public import Hummingbird
import NIOCore

/// An API error as `application/problem+json` (RFC 9457): a status, a short title, the detail, and the request
/// field at fault when there is one.
public struct Problem: Error, HTTPResponseError, Sendable {
    public var status: HTTPResponse.Status
    public var title: String
    public var detail: String
    /// The field at fault: a JSON pointer into the request body as the client sent it (`/targets/0/base_url`),
    /// or the query parameter or header (`limit`, `Content-Type`).
    public var field: String?
    public var headers: HTTPFields

    public init(_ status: HTTPResponse.Status, _ detail: String, field: String? = nil, headers: HTTPFields = [:]) {
        self.status = status
        title = status.reasonPhrase
        self.detail = detail
        self.field = field
        self.headers = headers
    }

    private struct Body: Encodable {
        var type = "about:blank"
        var title: String
        var status: Int
        var detail: String
        var field: String?
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let body = try APIJSON.encoder().encode(
            Body(title: title, status: Int(status.code), detail: detail, field: field))
        var headers = self.headers
        headers[.contentType] = "application/problem+json"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }

    static func notFound(_ what: String) -> Problem { Problem(.notFound, "\(what) does not exist") }

    /// A 422 for an invalid spec, its field as a JSON pointer into the body: `pointer` maps the spec's own pointer
    /// to the body's (for bodies that embed a spec or are mapped into one).
    init(_ error: SpecError, pointer: (String) -> String = { $0 }) {
        self.init(.unprocessableContent, error.problem, field: error.jsonPointer.map(pointer) ?? error.field)
    }

    /// Runs `body`, answering an invalid spec with 422 (``init(_:pointer:)``).
    static func unprocessable<T>(
        pointer: (String) -> String = { $0 }, _ body: () async throws -> T
    ) async throws -> T {
        do {
            return try await body()
        } catch let error as SpecError {
            throw Problem(error, pointer: pointer)
        }
    }
}
