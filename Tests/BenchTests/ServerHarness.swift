import AsyncHTTPClient
import BenchCore
import BenchApp
import BenchStore
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import Testing

/// An in-process `llmbench serve` on a free loopback port, for the length of a test.
struct TestServer: Sendable {
    let port: Int
    let token: String
    let dataDirectory: URL

    struct Reply: Sendable {
        var status: Int
        var headers: [(String, String)]
        var body: String

        var json: JSONValue? { try? JSONParser.parse(body) }
        func header(_ name: String) -> String? { headers.first { $0.0.lowercased() == name.lowercased() }?.1 }
    }

    static let defaultToken = "test-token-0123456789"

    /// Starts a server (in-memory store unless `database` says otherwise), runs `body`, stops the server.
    static func with<T: Sendable>(
        database: String = "memory", environment: [String: String] = [:], maxBodyBytes: Int = 1 << 20,
        dataDirectory: URL? = nil, minScheduleInterval: Double = 60, maxInFlightPerEndpoint: Int? = nil,
        _ body: @Sendable (TestServer) async throws -> T
    ) async throws -> T {
        let directory =
            dataDirectory ?? FileManager.default.temporaryDirectory.appendingPathComponent("llmbench-serve-\(UUID())")
        var options = ServiceProcess.Options(dataDirectory: directory)
        options.port = 0
        options.database = database
        options.token = defaultToken
        options.environment = environment
        options.maxBodyBytes = maxBodyBytes
        options.minScheduleInterval = minScheduleInterval
        options.maxInFlightPerEndpoint = maxInFlightPerEndpoint
        options.scheduleTick = .milliseconds(100)
        var logger = Logger(label: "test.server")
        logger.logLevel = .critical
        let server = ServiceProcess(options: options, logger: logger)
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                try await server.run { continuation.yield($0.port) }
                return nil
            }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else { throw CancellationError() }
            defer { group.cancelAll() }
            return try await body(TestServer(port: port, token: defaultToken, dataDirectory: directory))
        }
    }

    /// One request; `auth` adds the bearer token.
    func request(
        _ method: HTTPMethod, _ path: String, body: String? = nil, auth: Bool = false,
        contentType: String? = "application/json", headers extra: [(String, String)] = []
    ) async throws -> Reply {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
        request.method = method
        if auth { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let body {
            if let contentType { request.headers.add(name: "Content-Type", value: contentType) }
            request.body = .bytes(ByteBuffer(string: body))
        }
        for (name, value) in extra { request.headers.add(name: name, value: value) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
        let data = try await response.body.collect(upTo: 64 << 20)
        return Reply(
            status: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) },
            body: String(buffer: data))
    }

    /// Submits a spec and returns the run id.
    func submit(_ spec: String) async throws -> String {
        let reply = try await request(.POST, "/v1/runs", body: spec, auth: true)
        #expect(reply.status == 202, "\(reply.body)")
        return try #require(reply.json?["id"]?.string, "\(reply.body)")
    }

    /// Polls a run until it has ended (or `timeout`), and returns it.
    func waitForEnd(_ id: String, timeout: Duration = .seconds(60)) async throws -> JSONValue {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let run = try #require(try await request(.GET, "/v1/runs/\(id)").json)
            if let status = run["status"]?.string, !["queued", "running"].contains(status) { return run }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("run \(id) did not end within \(timeout)")
        return .null
    }
}

/// A spec against a simulator on `port`, as JSON text.
func simulatorRunSpec(port: Int, requests: Int = 4, concurrency: [Int] = [2], outputTokens: Int = 8) -> String {
    """
    {"targets": [{"name": "sim", "base_url": "http://127.0.0.1:\(port)/v1", "model": "sim"}],
     "load": {"concurrency": \(concurrency), "requests": \(requests)},
     "prompts": {"input_tokens": 16, "output_tokens": \(outputTokens)}}
    """
}
