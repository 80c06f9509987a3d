import Foundation

/// Refuses targets that resolve to link-local or cloud-metadata addresses (169.254.0.0/16, fe80::/10,
/// fd00:ec2::254), where a benchmark request could read instance credentials. Loopback and private networks stay
/// allowed: self-hosted models live there.
///
/// The service asks twice: when a run is submitted (``refusal(for:)``, an early 422), and — through
/// ``HTTPTransport`` — for every request it sends, on the address the connection is made to, so a name that resolves
/// to a metadata address only later (DNS rebinding) or that did not resolve at submission is refused too.
public struct TargetGuard: Sendable {
    public var allowLinkLocal: Bool
    /// The numeric addresses a host name resolves to; empty when it does not resolve. The system resolver
    /// (`getaddrinfo`) unless a test injects another.
    public var resolve: @Sendable (_ host: String) -> [String]
    /// How long a connection pin (``HTTPTransport``) is used before its name is resolved and checked again.
    public var recheckAfter: Duration

    public init(
        allowLinkLocal: Bool = false, recheckAfter: Duration = .seconds(60),
        resolve: @escaping @Sendable (_ host: String) -> [String] = TargetGuard.system
    ) {
        self.allowLinkLocal = allowLinkLocal
        self.recheckAfter = recheckAfter
        self.resolve = resolve
    }

    /// The reason `url` is refused, or nil when it may be used (or its host does not resolve now: it is checked
    /// again on every connection).
    public func refusal(for url: String) -> String? {
        guard !allowLinkLocal, let host = Self.host(of: url) else { return nil }
        let addresses = resolve(host)
        return refusal(host: host, addresses: addresses.isEmpty ? [host] : addresses)
    }

    /// The reason a connection to `host` at any of `addresses` is refused, or nil when none is link-local or a
    /// metadata address.
    public func refusal(host: String, addresses: [String]) -> String? {
        guard !allowLinkLocal, let address = addresses.first(where: Self.isLinkLocalOrMetadata) else { return nil }
        let what = address == host ? "\(host) is" : "\(host) resolves to \(address),"
        return
            "refused: \(what) a link-local or cloud-metadata address; start the server with --allow-link-local-targets to allow it"
    }

    /// A URL's host without IPv6 brackets; nil when it has none.
    static func host(of url: String) -> String? {
        guard let host = URL(string: url)?.host, !host.isEmpty else { return nil }
        return host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host
    }

    /// Whether `host` is an IPv4 or IPv6 address written in its usual numeric form (connected to as written).
    static func isNumeric(_ host: String) -> Bool {
        var v4 = in_addr()
        var v6 = in6_addr()
        return inet_pton(AF_INET, host, &v4) == 1 || inet_pton(AF_INET6, host, &v6) == 1
    }

    /// Whether a numeric IPv4 or IPv6 address is link-local or a cloud metadata address.
    public static func isLinkLocalOrMetadata(_ address: String) -> Bool {
        var v4 = in_addr()
        if inet_pton(AF_INET, address, &v4) == 1 {
            let bytes = withUnsafeBytes(of: v4.s_addr) { Array($0) }
            return bytes[0] == 169 && bytes[1] == 254
        }
        var v6 = in6_addr()
        let bare = address.hasPrefix("[") ? String(address.dropFirst().dropLast()) : address
        let withoutZone = bare.split(separator: "%").first.map(String.init) ?? bare
        guard inet_pton(AF_INET6, withoutZone, &v6) == 1 else { return false }
        let bytes = withUnsafeBytes(of: v6) { Array($0) }
        if bytes[0] == 0xfe && (bytes[1] & 0xc0) == 0x80 { return true }  // fe80::/10
        let metadata: [UInt8] = [0xfd, 0x00, 0x0e, 0xc2] + Array(repeating: 0, count: 10) + [0x02, 0x54]
        if bytes == metadata { return true }  // fd00:ec2::254
        // IPv4-mapped (::ffff:169.254.x.y).
        if bytes[0..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xff && bytes[11] == 0xff {
            return bytes[12] == 169 && bytes[13] == 254
        }
        return false
    }

    /// The numeric addresses the system resolver gives for `host` (decimal, octal and hex IPv4 forms included);
    /// empty when it does not resolve.
    @Sendable public static func system(_ host: String) -> [String] {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var result: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &result) == 0, let first = result else { return [] }
        defer { freeaddrinfo(result) }
        var addresses: [String] = []
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let info = cursor {
            var buffer = [CChar](repeating: 0, count: Int(NI_MAXHOST))
            if getnameinfo(
                info.pointee.ai_addr, info.pointee.ai_addrlen, &buffer, socklen_t(buffer.count), nil, 0, NI_NUMERICHOST)
                == 0
            {
                let address = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
                if !addresses.contains(address) { addresses.append(address) }
            }
            cursor = info.pointee.ai_next
        }
        return addresses
    }
}

/// A request refused by the ``TargetGuard`` at connection time; its description is the reason.
public struct TargetRefused: Error, Sendable, CustomStringConvertible {
    public let reason: String
    public var description: String { reason }
}

/// A host name that did not resolve when a guarded request was about to connect.
public struct HostNotResolved: Error, Sendable, CustomStringConvertible {
    public let host: String
    public var description: String { "cannot resolve the host name \(host)" }
}
