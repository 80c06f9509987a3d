public import AsyncHTTPClient
import Foundation
public import NIOCore

/// How llmbench sends HTTP requests: the process's one ``HTTPClient``, or — under a ``TargetGuard`` — that client for
/// numeric hosts and, for host names, a client pinned to an address the guard checked.
///
/// A pinned client connects to the checked address and no other: AsyncHTTPClient's DNS override maps the name to it,
/// while TLS still sends and verifies the name. So the address a guarded request connects to is always one the guard
/// saw, however the name resolves by then (DNS rebinding). Pins last ``TargetGuard/recheckAfter`` and are then
/// checked again against a fresh resolution; a pinned address that is still among the name's addresses is kept.
public struct HTTPTransport: Sendable {
    /// The shared client (numeric hosts and unguarded requests).
    public let client: HTTPClient
    private let pins: AddressPins?

    /// - Parameters:
    ///   - client: the shared client.
    ///   - guard: checks the address of every request; nil, or one allowing link-local targets, checks nothing.
    ///   - pinnedClient: makes the client that connects `host` to `address` only (the owner of the shared client
    ///     makes it, with the same configuration).
    public init(
        client: HTTPClient, guard: TargetGuard?,
        pinnedClient: @escaping @Sendable (_ host: String, _ address: String) -> HTTPClient
    ) {
        self.client = client
        if let guardRule = `guard`, !guardRule.allowLinkLocal {
            pins = AddressPins(shared: client, guard: guardRule, pinnedClient: pinnedClient)
        } else {
            pins = nil
        }
    }

    /// A transport that checks nothing, over `client`.
    public init(_ client: HTTPClient) {
        self.client = client
        pins = nil
    }

    /// Sends `request` through the client for its URL's host.
    /// - Throws: ``TargetRefused`` or ``HostNotResolved`` under a guard, and the client's own errors.
    public func execute(_ request: HTTPClientRequest, deadline: NIODeadline) async throws -> HTTPClientResponse {
        try await client(for: request.url).execute(request, deadline: deadline)
    }

    /// Sends `request` through the client for its URL's host, within `timeout`.
    public func execute(_ request: HTTPClientRequest, timeout: TimeAmount) async throws -> HTTPClientResponse {
        try await client(for: request.url).execute(request, timeout: timeout)
    }

    private func client(for url: String) async throws -> HTTPClient {
        guard let pins else { return client }
        return try await pins.client(for: url)
    }

    /// Shuts down the pinned clients (the shared one belongs to its owner).
    public func shutdownPins() async {
        await pins?.shutdown()
    }
}

/// The pinned clients of a guarded ``HTTPTransport``, one per host name.
actor AddressPins {
    /// How long a client whose address was replaced keeps serving the requests it had begun.
    static let retirement: Duration = .seconds(3600)

    private struct Pin {
        var address: String
        var client: HTTPClient
        var checkedAt: ContinuousClock.Instant
    }

    private let shared: HTTPClient
    private let pinnedClient: @Sendable (_ host: String, _ address: String) -> HTTPClient
    private let guardRule: TargetGuard
    private var pins: [String: Pin] = [:]
    private var retired: [(client: HTTPClient, at: ContinuousClock.Instant)] = []

    init(
        shared: HTTPClient, guard: TargetGuard,
        pinnedClient: @escaping @Sendable (_ host: String, _ address: String) -> HTTPClient
    ) {
        self.shared = shared
        self.pinnedClient = pinnedClient
        guardRule = `guard`
    }

    func client(for url: String) async throws -> HTTPClient {
        guard let host = TargetGuard.host(of: url) else { return shared }
        if TargetGuard.isNumeric(host) {
            if let refusal = guardRule.refusal(host: host, addresses: [host]) { throw TargetRefused(reason: refusal) }
            return shared
        }
        let now = ContinuousClock.now
        if let pin = pins[host], now - pin.checkedAt < guardRule.recheckAfter { return pin.client }
        let resolve = guardRule.resolve
        let addresses = await Self.offThread { resolve(host) }
        // One address per name: IPv4 first, where most model servers listen (localhost is often ::1 first).
        guard let address = addresses.first(where: { !$0.contains(":") }) ?? addresses.first else {
            throw HostNotResolved(host: host)
        }
        if let refusal = guardRule.refusal(host: host, addresses: addresses) { throw TargetRefused(reason: refusal) }
        if var pin = pins[host], addresses.contains(pin.address) {
            pin.checkedAt = .now
            pins[host] = pin
            return pin.client
        }
        if let old = pins[host] { retired.append((old.client, .now)) }
        retireOld()
        let client = pinnedClient(host, address)
        pins[host] = Pin(address: address, client: client, checkedAt: .now)
        return client
    }

    func shutdown() async {
        for client in pins.values.map(\.client) + retired.map(\.client) { try? await client.shutdown() }
        pins = [:]
        retired = []
    }

    /// Shuts down the clients retired longer ago than ``retirement``, without waiting.
    private func retireOld() {
        let now = ContinuousClock.now
        for entry in retired where now - entry.at > Self.retirement { _ = entry.client.shutdown() }
        retired.removeAll { now - $0.at > Self.retirement }
    }

    /// Runs the blocking resolver on a thread of its own, off the cooperative pool.
    private static func offThread(_ body: @escaping @Sendable () -> [String]) async -> [String] {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: body()) }
        }
    }
}
