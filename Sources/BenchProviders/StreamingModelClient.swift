import AsyncHTTPClient
public import BenchCore
import Foundation
import NIOCore
import NIOHTTP1

/// The ``ModelClient`` for every provider that streams server-sent events: the HTTP transport shared by all
/// ``WireProtocol`` codecs.
///
/// The transport is AsyncHTTPClient; the stream is pulled from the response body by the caller's task, so
/// cancelling that task cancels the HTTP request. Each body read is stamped with `ContinuousClock.now` before it
/// is parsed, and every event decoded from it carries that instant.
public struct StreamingModelClient<Wire: WireProtocol>: ModelClient {
    private let http: HTTPTransport
    private let wire: Wire
    private let baseURL: String
    private let apiKey: String?
    private let extraHeaders: [WireRequest.Header]
    private let redactor: SecretRedactor
    private let headTimeout: TimeAmount

    /// - Parameters:
    ///   - http: the shared HTTP transport (its pool must allow the run's concurrency).
    ///   - wire: the provider's wire protocol.
    ///   - baseURL: the API root, e.g. `http://127.0.0.1:8080/v1`.
    ///   - apiKey: sent where the wire protocol puts it; never logged or stored.
    ///   - extraHeaders: additional request headers.
    ///   - headTimeout: the longest wait for the response head.
    public init(
        http: HTTPTransport, wire: Wire, baseURL: String, apiKey: String?, extraHeaders: [String: String] = [:],
        headTimeout: Duration = .seconds(600)
    ) {
        self.http = http
        self.wire = wire
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        self.baseURL = base
        self.apiKey = apiKey
        self.extraHeaders = WireRequest.headers(extraHeaders)
        redactor = SecretRedactor(secrets: [apiKey].compactMap { $0 } + Array(extraHeaders.values))
        self.headTimeout = .nanoseconds(headTimeout.nanoseconds)
    }

    public func stream(_ request: GenerationRequest) -> any AsyncSequence<StampedEvent, Never> {
        EventStream(client: self, request: request)
    }

    /// Sends `count` concurrent `GET {base}/models` requests and drains them: each needs its own connection, and
    /// the pool keeps them open for the step. Any answer (even 404) leaves a usable connection behind.
    public func warmConnections(_ count: Int) async {
        let url = wire.warmupURL(baseURL: baseURL)
        let headers = HTTPHeaders(extraHeaders.map { ($0.name, $0.value) })
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<count {
                group.addTask {
                    var request = HTTPClientRequest(url: url)
                    request.headers = headers
                    if let response = try? await http.execute(request, timeout: .seconds(10)) {
                        _ = try? await response.body.collect(upTo: 1 << 20)
                    }
                }
            }
        }
    }

    struct EventStream: AsyncSequence {
        let client: StreamingModelClient
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

        let client: StreamingModelClient
        let request: GenerationRequest
        var state = State.idle
        var pending: [StampedEvent] = []
        var pendingIndex = 0
        var body: ResponseBodyDecoder<Wire.Decoder>
        var decoded: [GenerationEvent] = []
        var url = ""

        init(client: StreamingModelClient, request: GenerationRequest) {
            self.client = client
            self.request = request
            body = ResponseBodyDecoder(framing: client.wire.framing, decoder: client.wire.makeDecoder())
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
                case .streaming(var response):
                    await read(&response)
                }
            }
        }

        private mutating func start() async {
            let wireRequest: WireRequest
            do {
                wireRequest = try client.wire.streamingRequest(request, baseURL: client.baseURL, apiKey: client.apiKey)
            } catch {
                fail(ProviderError(.invalidRequest, "could not encode the request: \(error)"), at: .now)
                return
            }
            url = wireRequest.url
            var http = HTTPClientRequest(url: wireRequest.url)
            http.method = .POST
            http.headers = HTTPHeaders((wireRequest.headers + client.extraHeaders).map { ($0.name, $0.value) })
            http.body = .bytes(ByteBuffer(bytes: wireRequest.body))
            var response: HTTPClientResponse?
            var staleRetries = 0
            while response == nil {
                let sentAt = ContinuousClock.now
                do {
                    response = try await client.http.execute(http, deadline: .now() + client.headTimeout)
                    pending.append(StampedEvent(.requestSent, at: sentAt))
                } catch  where staleRetries < StaleConnection.maxRetries && StaleConnection.isStale(error) {
                    // The pooled connection had been closed by the server (llama.cpp closes after every stream
                    // while advertising keep-alive): nothing was served, so send it again (another idle connection of
                    // the pool may be closed too, hence a few tries).
                    staleRetries += 1
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
                    HTTPFailureClassifier.classify(status: status, headers: headers, body: body, url: url),
                    at: .now
                )
                return
            }
            state = .streaming(response.body.makeAsyncIterator())
        }

        private mutating func read(_ response: inout HTTPClientResponse.Body.AsyncIterator) async {
            let buffer: ByteBuffer?
            do {
                buffer = try await response.next()
            } catch {
                fail(classifyTransportError(error, beforeHead: false), at: .now)
                return
            }
            let arrivedAt = ContinuousClock.now
            decoded.removeAll(keepingCapacity: true)
            if let buffer {
                // After the terminal event the body is still read (and dropped) so the connection can be reused.
                state = .streaming(response)
                buffer.withUnsafeReadableBytes { body.push($0, into: &decoded) }
            } else {
                state = .finished
                body.finish(into: &decoded)
            }
            if decoded.isEmpty, buffer != nil {
                // Bytes with no event (a keep-alive comment): the stream is alive, which a read timeout must see.
                pending.append(StampedEvent(.keepAlive, at: arrivedAt))
                return
            }
            for event in decoded {
                if case .failure(let error) = event {
                    fail(error, at: arrivedAt)
                    return
                }
                pending.append(StampedEvent(event, at: arrivedAt))
            }
        }

        private mutating func fail(_ error: ProviderError, at instant: ContinuousClock.Instant) {
            pending.append(StampedEvent(.failure(client.redactor.redact(error)), at: instant))
            state = .finished
        }

        private func classifyTransportError(_ error: any Error, beforeHead: Bool) -> ProviderError {
            if error is CancellationError || Task.isCancelled {
                return ProviderError(.cancelled, "cancelled")
            }
            if let refused = error as? TargetRefused {
                var failure = ProviderError(.connection, refused.reason)
                failure.retryForbidden = true
                return failure
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
                    return ProviderError(.connection, "connecting to \(TransportErrorText.peer(of: url)) timed out")
                case .remoteConnectionClosed where !beforeHead:
                    return ProviderError(.truncated, "the server closed the connection mid-stream")
                default:
                    break
                }
            }
            if beforeHead {
                return ProviderError(.connection, TransportErrorText.sentence(error, url: url))
            }
            return ProviderError(.truncated, "the stream broke mid-way: \(error)")
        }
    }
}
