public import BenchEngine
import BenchCore
import BenchMetrics
import BenchReport
public import BenchStore
import Foundation
import HTTPTypes
public import Hummingbird
import NIOCore
public import Prometheus

/// The HTTP API of `llmbench serve`: runs, records, reports, events, saved targets, the synchronous benchmark,
/// comparisons, health and metrics, and the API's own OpenAPI document and reference page. It asks the engine side
/// of the service (``RunService``) for everything that runs or validates work.
public struct BenchAPI: Sendable {
    public struct Configuration: Sendable {
        /// The bearer token every mutating request must carry.
        public var token: String
        /// The largest request body accepted, in bytes.
        public var maxBodyBytes: Int
        /// Limits of `POST /v1/benchmark`.
        public var syncMaxRequests: Int
        public var syncTimeout: Duration
        /// The shortest interval a schedule may have, in seconds.
        public var minScheduleInterval: Double
        /// This server's registry: its coordinator's counters and its store's gauges.
        public var metrics: PrometheusCollectorRegistry
        /// The registry behind swift-metrics' global backend (the HTTP server's own metrics), rendered after
        /// ``metrics``; nil when the process has none.
        public var processMetrics: PrometheusCollectorRegistry?

        public init(
            token: String, maxBodyBytes: Int = 1 << 20, syncMaxRequests: Int = 100,
            syncTimeout: Duration = .seconds(120), minScheduleInterval: Double = 60,
            metrics: PrometheusCollectorRegistry = PrometheusCollectorRegistry(),
            processMetrics: PrometheusCollectorRegistry? = nil
        ) {
            self.processMetrics = processMetrics
            self.minScheduleInterval = minScheduleInterval
            self.token = token
            self.maxBodyBytes = maxBodyBytes
            self.syncMaxRequests = syncMaxRequests
            self.syncTimeout = syncTimeout
            self.metrics = metrics
        }
    }

    public let configuration: Configuration
    public let service: any RunService
    public var store: any RunStore { service.store }

    public init(configuration: Configuration, service: any RunService) {
        self.configuration = configuration
        self.service = service
    }

    /// The router: every operation, behind the checks they share (405 with `Allow`, bearer auth, media type, body
    /// size).
    public func router() -> Router<BasicRequestContext> {
        let router = Router()
        let operations = self.operations
        // HTTP request counts and durations, through the process's swift-metrics backend (Prometheus).
        router.add(middleware: MetricsMiddleware())
        router.add(middleware: MethodCheck(operations: operations))
        for operation in operations {
            router.on(RouterPath(operation.path), method: operation.method) { request, context in
                try checkAccess(operation, request)
                return try await operation.handler(request, context)
            }
        }
        return router
    }

    private func checkAccess(_ operation: APIOperation, _ request: Request) throws {
        if operation.requiresAuth {
            let given = request.headers[.authorization] ?? ""
            guard given.hasPrefix("Bearer "), Self.constantTimeEqual(String(given.dropFirst(7)), configuration.token)
            else {
                throw Problem(
                    .unauthorized, "this request needs the server's bearer token (Authorization: Bearer …)",
                    headers: [.wwwAuthenticate: "Bearer realm=\"llmbench\""])
            }
        }
        if !operation.requestBody.isEmpty {
            let type = (request.headers[.contentType] ?? "").split(separator: ";").first.map {
                $0.trimmingCharacters(in: .whitespaces).lowercased()
            }
            guard let type, operation.requestBody.keys.contains(type) else {
                throw Problem(
                    .unsupportedMediaType,
                    "send the body as \(operation.requestBody.keys.sorted().joined(separator: " or "))",
                    field: "Content-Type")
            }
        }
    }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8)
        let y = Array(b.utf8)
        var difference = UInt8(x.count == y.count ? 0 : 1)
        for index in 0..<max(x.count, y.count) {
            difference |= (index < x.count ? x[index] : 0) ^ (index < y.count ? y[index] : 0)
        }
        return difference == 0
    }

    func body(_ request: Request) async throws -> String {
        do {
            let buffer = try await request.body.collect(upTo: configuration.maxBodyBytes)
            return String(buffer: buffer)
        } catch {
            throw Problem(.contentTooLarge, "the body is larger than \(configuration.maxBodyBytes) bytes")
        }
    }

    // MARK: Responses

    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) throws
        -> Response
    {
        try text(
            String(decoding: APIJSON.encoder().encode(value), as: UTF8.self), type: "application/json",
            status: status, headers: headers)
    }

    static func text(
        _ text: String, type: String, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]
    ) throws -> Response {
        var headers = headers
        headers[.contentType] = type
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}

/// Answers 405 with `Allow` when a path exists with other methods (the router alone would say 404).
struct MethodCheck: RouterMiddleware {
    typealias Context = BasicRequestContext
    let operations: [APIOperation]

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let path = request.uri.path
        let matching = operations.filter { Self.matches(template: $0.path, path: path) }
        if !matching.isEmpty, !matching.contains(where: { $0.method == request.method }) {
            let allowed = matching.map(\.method.rawValue).sorted().joined(separator: ", ")
            throw Problem(
                .methodNotAllowed, "\(request.method.rawValue) is not allowed on \(path); allowed: \(allowed)",
                headers: [.allow: allowed])
        }
        if matching.isEmpty {
            throw Problem(.notFound, "no route \(path); the API is described at /openapi.json")
        }
        do {
            return try await next(request, context)
        } catch let error as any HTTPResponseError {
            throw error
        } catch {
            // Anything else is the server's own failure, still answered as a problem.
            throw Problem(.internalServerError, "the server failed: \(error)")
        }
    }

    static func matches(template: String, path: String) -> Bool {
        let expected = template.split(separator: "/", omittingEmptySubsequences: true)
        let actual = path.split(separator: "/", omittingEmptySubsequences: true)
        guard expected.count == actual.count else { return false }
        return zip(expected, actual).allSatisfy { $0.hasPrefix("{") || $0 == $1 }
    }
}
