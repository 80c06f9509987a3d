public import BenchCore
import Foundation

/// Removes secret values (API keys) from text before it is stored, logged or shown.
public struct SecretRedactor: Sendable, Hashable {
    private let secrets: [String]

    /// - Parameter secrets: the values to hide; values shorter than 4 characters are ignored.
    public init(secrets: [String]) {
        self.secrets = secrets.filter { $0.count >= 4 }
    }

    /// `text` with every occurrence of a secret, and of its 8-character prefixes and suffixes, replaced by `***`.
    public func redact(_ text: String) -> String {
        var result = text
        for secret in secrets {
            result = result.replacingOccurrences(of: secret, with: "***")
            if secret.count > 12 {
                result = result.replacingOccurrences(of: String(secret.suffix(8)), with: "***")
                result = result.replacingOccurrences(of: String(secret.prefix(8)), with: "***")
            }
        }
        return result
    }

    /// `error` with its message redacted.
    public func redact(_ error: ProviderError) -> ProviderError {
        var copy = error
        copy.message = redact(error.message)
        return copy
    }
}
