public import AsyncHTTPClient
public import BenchLocal
import NIOCore
import NIOHTTP1

extension LocalServer {
    /// Whether `GET http://127.0.0.1:<port>/health` answers 200 within 2 s, asked through `http` (the engine's client).
    public static func isHealthy(port: Int, http: HTTPClient) async -> Bool {
        let request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/health")
        guard let response = try? await http.execute(request, timeout: .seconds(2)) else { return false }
        _ = try? await response.body.collect(upTo: 1 << 16)
        return response.status.code == 200
    }

    /// The health probe ``start(port:threads:parallel:contextSize:detached:isHealthy:)`` waits on, asked through
    /// `http`.
    public static func healthProbe(_ http: HTTPClient) -> @Sendable (_ port: Int) async -> Bool {
        { port in await isHealthy(port: port, http: http) }
    }
}
