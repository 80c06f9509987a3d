import AsyncHTTPClient
import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A pooled connection the server had already closed: nothing was served on it, so the request may be sent again.
/// llama.cpp closes its connection after every response while advertising keep-alive, so any idle connection of the
/// pool can be one.
enum StaleConnection {
    /// Re-sends allowed: several idle connections of the pool can all have been closed.
    static let maxRetries = 4

    /// Whether a failure before the response head means the pooled connection was already closed by the server.
    static func isStale(_ error: any Error) -> Bool {
        if let error = error as? HTTPClientError { return error == .remoteConnectionClosed }
        if let error = error as? ChannelError { return error == .ioOnClosedChannel || error == .outputClosed }
        if let error = error as? IOError { return error.errnoCode == ECONNRESET || error.errnoCode == EPIPE }
        return false
    }
}
