import Foundation
import NIOCore
import NIOPosix

/// A transport error as one plain sentence naming the peer ("connection refused by 127.0.0.1:9"), instead of the
/// nested descriptions of SwiftNIO's errors.
public enum TransportErrorText {
    /// The sentence for `error` raised while reaching `url`.
    public static func sentence(_ error: any Error, url: String) -> String {
        if error is TargetRefused || error is HostNotResolved { return "\(error)" }
        let peer = Self.peer(of: url)
        if let connection = error as? NIOConnectionError {
            let peer = "\(connection.host):\(connection.port)"
            if connection.dnsAError != nil || connection.dnsAAAAError != nil {
                return "cannot resolve the host name \(connection.host)"
            }
            if let first = connection.connectionErrors.first {
                return sentence(first.error, peer: peer)
            }
            return "cannot connect to \(peer)"
        }
        return sentence(error, peer: peer)
    }

    private static func sentence(_ error: any Error, peer: String) -> String {
        if let io = error as? IOError { return sentence(errno: io.errnoCode, peer: peer) }
        if let posix = error as? POSIXError { return sentence(errno: posix.code.rawValue, peer: peer) }
        if let channel = error as? ChannelError, case .connectTimeout = channel {
            return "connecting to \(peer) timed out"
        }
        return "cannot reach \(peer): \(error)"
    }

    private static func sentence(errno: Int32, peer: String) -> String {
        switch errno {
        case ECONNREFUSED: "connection refused by \(peer)"
        case ECONNRESET: "connection reset by \(peer)"
        case ETIMEDOUT: "connecting to \(peer) timed out"
        case EHOSTUNREACH, ENETUNREACH: "\(peer) is unreachable from here"
        default: "cannot connect to \(peer): \(String(cString: strerror(errno)).lowercased())"
        }
    }

    /// "host:port" of a URL (the scheme's default port when none is written); the URL itself when it has no host.
    static func peer(of url: String) -> String {
        guard let components = URLComponents(string: url), let host = components.host else { return url }
        let port = components.port ?? (components.scheme == "https" ? 443 : 80)
        return host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}
