import Foundation

/// Refuses target URLs that resolve to link-local or cloud-metadata addresses (169.254.0.0/16, fe80::/10,
/// fd00:ec2::254), where a benchmark request could read instance credentials. Loopback and private networks stay
/// allowed: self-hosted models live there.
public struct TargetGuard: Sendable {
    public var allowLinkLocal: Bool

    public init(allowLinkLocal: Bool = false) {
        self.allowLinkLocal = allowLinkLocal
    }

    /// The reason `url` is refused, or nil when it may be used.
    public func refusal(for url: String) -> String? {
        guard !allowLinkLocal else { return nil }
        guard let host = URL(string: url)?.host else { return nil }
        for address in Self.addresses(of: host) where Self.isLinkLocalOrMetadata(address) {
            return
                "\(host) resolves to \(address), a link-local or cloud-metadata address; start the server with --allow-link-local-targets to allow it"
        }
        return nil
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

    /// The numeric addresses a host name resolves to (the host itself when it is numeric).
    static func addresses(of host: String) -> [String] {
        let bare = host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var result: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(bare, nil, &hints, &result) == 0, let first = result else { return [bare] }
        defer { freeaddrinfo(result) }
        var addresses: [String] = []
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let info = cursor {
            var buffer = [CChar](repeating: 0, count: Int(NI_MAXHOST))
            if getnameinfo(
                info.pointee.ai_addr, info.pointee.ai_addrlen, &buffer, socklen_t(buffer.count), nil, 0, NI_NUMERICHOST)
                == 0
            {
                addresses.append(
                    String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
            }
            cursor = info.pointee.ai_next
        }
        return addresses.isEmpty ? [bare] : addresses
    }
}
