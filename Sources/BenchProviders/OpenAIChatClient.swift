public import AsyncHTTPClient
public import BenchCore
import Foundation
import NIOCore
import NIOHTTP1

/// A ``ModelClient`` for OpenAI-compatible `POST {baseURL}/chat/completions` streaming endpoints.
///
/// The transport is AsyncHTTPClient; the stream is pulled from the response body by the caller's task, so
/// cancelling that task cancels the HTTP request. Each body read is stamped with `ContinuousClock.now` before it
/// is parsed, and every event decoded from it carries that instant.
public struct OpenAIChatClient: ModelClient {
    private let http: HTTPClient
    private let url: String
    private let modelsURL: String
    private let headers: HTTPHeaders
    private let redactor: SecretRedactor
    private let headTimeout: TimeAmount

    /// - Parameters:
    ///   - http: the shared HTTP client (its pool must allow the run's concurrency).
    ///   - baseURL: the API root, e.g. `http://127.0.0.1:8080/v1`.
    ///   - apiKey: sent as `Authorization: Bearer …` when present; never logged or stored.
    ///   - extraHeaders: additional request headers.
    ///   - headTimeout: the longest wait for the response head.
    public init(
        http: HTTPClient, baseURL: String, apiKey: String?, extraHeaders: [String: String] = [:],
        headTimeout: Duration = .seconds(600)
    ) {
        self.http = http
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        url = base + "/chat/completions"
        modelsURL = base + "/models"
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json")
        headers.add(name: "Accept", value: "text/event-stream")
        if let apiKey { headers.add(name: "Authorization", value: "Bearer \(apiKey)") }
        for (name, value) in extraHeaders.sorted(by: { $0.key < $1.key }) { headers.add(name: name, value: value) }
        self.headers = headers
        redactor = SecretRedactor(secrets: [apiKey].compactMap { $0 } + Array(extraHeaders.values))
        self.headTimeout = .nanoseconds(headTimeout.nanoseconds)
    }

    public func stream(_ request: GenerationRequest) -> any AsyncSequence<StampedEvent, Never> {
        EventStream(client: self, request: request)
    }

    /// Sends `count` concurrent `GET {base}/models` requests and drains them: each needs its own connection, and
    /// the pool keeps them open for the step. Any answer (even 404) leaves a usable connection behind.
    public func warmConnections(_ count: Int) async {
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<count {
                group.addTask {
                    var request = HTTPClientRequest(url: modelsURL)
                    request.headers = headers
                    if let response = try? await http.execute(request, timeout: .seconds(10)) {
                        _ = try? await response.body.collect(upTo: 1 << 20)
                    }
                }
            }
        }
    }

    struct EventStream: AsyncSequence {
        let client: OpenAIChatClient
        let request: GenerationRequest

        func makeAsyncIterator() -> Iterator {
            Iterator(client: client, request: request)
        }
    }

    struct Iterator: AsyncIteratorProtocol {
        enum State {
            case idle
            case streaming(HTTPClientResponse.Body.AsyncIterator)
            case finished
        }

        let client: OpenAIChatClient
        let request: GenerationRequest
        var state = State.idle
        var pending: [StampedEvent] = []
        var pendingIndex = 0
        var decoder = SSEDecoder()
        var sseEvents: [ServerSentEvent] = []
        /// `[DONE]` arrived: later bytes are drained, not decoded.
        var sawDone = false
        /// A finish reason arrived: end of stream after it is not a truncation.
        var sawFinish = false
        var textChunks = 0

        init(client: OpenAIChatClient, request: GenerationRequest) {
            self.client = client
            self.request = request
        }

        mutating func next() async -> StampedEvent? {
            while true {
                if pendingIndex < pending.count {
                    defer { pendingIndex += 1 }
                    return pending[pendingIndex]
                }
                pending.removeAll(keepingCapacity: true)
                pendingIndex = 0
                switch state {
                case .finished:
                    return nil
                case .idle:
                    await start()
                case .streaming(var body):
                    await read(&body)
                }
            }
        }

        private mutating func start() async {
            var http = HTTPClientRequest(url: client.url)
            http.method = .POST
            http.headers = client.headers
            do {
                http.body = .bytes(ByteBuffer(bytes: try OpenAIChatCodec.encodeStreamingRequest(request)))
            } catch {
                fail(ProviderError(.invalidRequest, "could not encode the request: \(error)"), at: .now)
                return
            }
            var response: HTTPClientResponse?
            var retried = false
            while response == nil {
                let sentAt = ContinuousClock.now
                do {
                    response = try await client.http.execute(http, deadline: .now() + client.headTimeout)
                    pending.append(StampedEvent(.requestSent, at: sentAt))
                } catch  where !retried && Self.isStaleConnection(error) {
                    // The pooled connection had been closed by the server (llama.cpp closes after every stream
                    // while advertising keep-alive): nothing was served, so send once more on a fresh one.
                    retried = true
                    pending.append(StampedEvent(.connectionRetry, at: .now))
                } catch {
                    pending.append(StampedEvent(.requestSent, at: sentAt))
                    fail(classifyTransportError(error, beforeHead: true), at: .now)
                    return
                }
            }
            guard let response else { return }
            let headAt = ContinuousClock.now
            let status = Int(response.status.code)
            pending.append(StampedEvent(.responseHead(status: status), at: headAt))
            guard (200..<300).contains(status) else {
                let body =
                    (try? await response.body.collect(upTo: 1 << 20)).map { Data($0.readableBytesView) } ?? Data()
                let headers = response.headers.map { ($0.name, $0.value) }
                fail(
                    HTTPFailureClassifier.classify(status: status, headers: headers, body: body, url: client.url),
                    at: .now
                )
                return
            }
            state = .streaming(response.body.makeAsyncIterator())
        }

        private mutating func read(_ body: inout HTTPClientResponse.Body.AsyncIterator) async {
            let buffer: ByteBuffer?
            do {
                buffer = try await body.next()
            } catch {
                fail(classifyTransportError(error, beforeHead: false), at: .now)
                return
            }
            let arrivedAt = ContinuousClock.now
            guard let buffer else {
                if !sawDone && !sawFinish {
                    fail(
                        ProviderError(
                            .truncated,
                            "the stream ended without [DONE] or a finish_reason after \(textChunks) text chunks"
                        ),
                        at: arrivedAt
                    )
                } else {
                    state = .finished
                }
                return
            }
            sseEvents.removeAll(keepingCapacity: true)
            do {
                try buffer.withUnsafeReadableBytes { try decoder.push($0, into: &sseEvents) }
            } catch {
                fail(ProviderError(.decoding, "\(error)"), at: arrivedAt)
                return
            }
            state = .streaming(body)
            guard !sawDone else { return }  // after [DONE], drain the body so the connection can be reused
            for sseEvent in sseEvents {
                for event in OpenAIChatCodec.decode(sseEvent) {
                    switch event {
                    case .failure(let error):
                        fail(client.redactor.redact(error), at: arrivedAt)
                        return
                    case .done:
                        sawDone = true
                    case .finish:
                        sawFinish = true
                    case .text:
                        textChunks += 1
                    default:
                        break
                    }
                    pending.append(StampedEvent(event, at: arrivedAt))
                }
            }
        }

        private mutating func fail(_ error: ProviderError, at instant: ContinuousClock.Instant) {
            pending.append(StampedEvent(.failure(client.redactor.redact(error)), at: instant))
            state = .finished
        }

        /// Whether a failure before the response head means the pooled connection was already closed by the server.
        static func isStaleConnection(_ error: any Error) -> Bool {
            if let error = error as? HTTPClientError { return error == .remoteConnectionClosed }
            if let error = error as? ChannelError { return error == .ioOnClosedChannel || error == .outputClosed }
            if let error = error as? IOError { return error.errnoCode == ECONNRESET || error.errnoCode == EPIPE }
            return false
        }

        private func classifyTransportError(_ error: any Error, beforeHead: Bool) -> ProviderError {
            if error is CancellationError || Task.isCancelled {
                return ProviderError(.cancelled, "cancelled")
            }
            if let error = error as? HTTPClientError {
                switch error {
                case .readTimeout:
                    return ProviderError(.timeout, "no bytes arrived within the read timeout")
                case .deadlineExceeded:
                    return ProviderError(.timeout, "no response head within \(client.headTimeout)")
                case .cancelled:
                    return ProviderError(.cancelled, "cancelled")
                case .connectTimeout:
                    return ProviderError(.connection, "cannot connect to \(client.url): connect timeout")
                case .remoteConnectionClosed where !beforeHead:
                    return ProviderError(.truncated, "the server closed the connection mid-stream")
                default:
                    break
                }
            }
            if beforeHead {
                return ProviderError(.connection, "cannot reach \(client.url): \(error)")
            }
            return ProviderError(.truncated, "the stream broke mid-way: \(error)")
        }
    }
}
