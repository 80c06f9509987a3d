import Foundation

/// A file-system error from Foundation as one sentence with the path and the reason ("cannot write
/// /data/out/report.json: permission denied"), instead of the NSCocoaErrorDomain dump.
public enum FileProblem {
    /// The sentence, or nil when `error` is not a file-system error.
    public static func sentence(for error: any Error) -> String? {
        guard let error = error as? CocoaError, error.isFileError else { return nil }
        // Foundation numbers its read errors 256–511 and its write errors 512–767; others (no such file) say neither.
        let verb =
            switch error.code.rawValue {
            case 256..<512: "read"
            case 512..<768: "write"
            default: "use"
            }
        let path = error.filePath ?? error.url?.path ?? "a file"
        return "cannot \(verb) \(path): \(reason(error))"
    }

    /// Why a file operation failed, in a few words ("no such file or directory", "permission denied"); any other
    /// error's own description.
    public static func reason(_ error: any Error) -> String {
        guard let error = error as? CocoaError else { return "\(error)" }
        return reason(error)
    }

    private static func reason(_ error: CocoaError) -> String {
        if let posix = error.underlying as? POSIXError ?? (error.underlying as NSError?).flatMap(posixError) {
            return String(cString: strerror(posix.code.rawValue)).lowercased()
        }
        switch error.code {
        case .fileNoSuchFile, .fileReadNoSuchFile: return "no such file or folder"
        case .fileReadNoPermission, .fileWriteNoPermission: return "permission denied"
        case .fileWriteOutOfSpace: return "no space left on the device"
        case .fileWriteVolumeReadOnly: return "the file system is read-only"
        case .fileWriteFileExists: return "a file is already there"
        default: return "error \(error.code.rawValue)"
        }
    }

    private static func posixError(_ error: NSError) -> POSIXError? {
        guard error.domain == NSPOSIXErrorDomain, let code = POSIXErrorCode(rawValue: Int32(error.code)) else {
            return nil
        }
        return POSIXError(code)
    }
}
