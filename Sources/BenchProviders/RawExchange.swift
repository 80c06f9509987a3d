import AsyncHTTPClient
import BenchCore
public import Foundation
import NIOCore
import NIOHTTP1

/// A whole HTTP response, read to the end: the JSON answers of tokenizer and log-probability endpoints.
public struct RawResponse: Sendable {
    public var status: Int
    public var body: Data

    public init(status: Int, body: Data) {
        self.status = status
        self.body = body
    }

    public var isSuccess: Bool { (200..<300).contains(status) }
}

/// One request, its whole response collected (up to a limit).
public enum RawExchange {
    /// The response head, the request sent again while the failure comes before any head from a stale connection.
    private static func execute(_ request: HTTPClientRequest, http: HTTPTransport, timeout: Duration) async throws
        -> HTTPClientResponse
    {
        for attempt in 0... {
            do {
                return try await http.execute(request, timeout: .nanoseconds(timeout.nanoseconds))
            } catch  where attempt < StaleConnection.maxRetries && StaleConnection.isStale(error) {
                continue
            }
        }
        preconditionFailure("the loop returns or throws")
    }

    /// Sends `request` (`POST` when it has a body, else `GET`) and reads the whole response, sending it again when the
    /// pooled connection turns out closed by the server (``StaleConnection``).
    /// - Throws: transport errors (connection refused, timeout) and a body larger than `limit`.
    public static func send(
        _ request: WireRequest, http: HTTPTransport, timeout: Duration = .seconds(120), limit: Int = 8 << 20
    ) async throws -> RawResponse {
        var http1 = HTTPClientRequest(url: request.url)
        http1.method = request.body.isEmpty ? .GET : .POST
        http1.headers = HTTPHeaders(request.headers.map { ($0.name, $0.value) })
        if !request.body.isEmpty { http1.body = .bytes(ByteBuffer(bytes: request.body)) }
        let response = try await execute(http1, http: http, timeout: timeout)
        let body = try await response.body.collect(upTo: limit)
        return RawResponse(status: Int(response.status.code), body: Data(body.readableBytesView))
    }
}
