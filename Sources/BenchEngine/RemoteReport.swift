import AsyncHTTPClient
import BenchCore
import Foundation
import NIOCore
import NIOHTTP1

/// A run's report fetched from a `llmbench serve` (`GET /v1/runs/{id}/report?format=…`), for `llmbench report ID
/// --server URL`.
public enum RemoteReport {
    /// The report's text in `format` (html, md, csv, json), fetched through the engine's HTTP client.
    /// - Throws: ``SpecError`` naming `--server` when the server cannot be reached or answers with an error (its
    ///   problem detail quoted).
    public static func fetch(server: String, run: String, format: String, engine: Engine) async throws -> String {
        let root = server.hasSuffix("/") ? String(server.dropLast()) : server
        let id = run.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? run
        let url = "\(root)/v1/runs/\(id)/report?format=\(format)"
        let response: HTTPClientResponse
        do {
            response = try await engine.http.client.execute(HTTPClientRequest(url: url), timeout: .seconds(120))
        } catch {
            throw SpecError("--server", "cannot reach \(root): \(error)")
        }
        let body = String(buffer: try await response.body.collect(upTo: 256 << 20))
        guard response.status.code == 200 else {
            let detail = (try? JSONParser.parse(body))?["detail"]?.string ?? String(body.prefix(200))
            throw SpecError("--server", "\(root) answered HTTP \(response.status.code): \(detail)")
        }
        return body
    }
}
