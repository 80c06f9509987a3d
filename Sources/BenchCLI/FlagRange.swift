import ArgumentParser

/// Range checks for numeric flags: a value out of range is refused before anything runs, naming the flag, the
/// range and the value given (ArgumentParser prints it with the usage and exits 64).
enum FlagRange {
    /// 2.0 as "2", 0.5 as "0.5".
    static func text(_ value: some CustomStringConvertible) -> String {
        let text = value.description
        return text.hasSuffix(".0") ? String(text.dropLast(2)) : text
    }

    /// `value` ≥ `minimum`, when given.
    static func atLeast<T: Comparable & CustomStringConvertible>(_ flag: String, _ value: T?, _ minimum: T) throws {
        if let value, value < minimum {
            throw ValidationError("\(flag) must be at least \(text(minimum)), got \(text(value))")
        }
    }

    /// `value` > `minimum`, when given.
    static func above<T: Comparable & CustomStringConvertible>(_ flag: String, _ value: T?, _ minimum: T) throws {
        if let value, value <= minimum {
            throw ValidationError("\(flag) must be above \(text(minimum)), got \(text(value))")
        }
    }

    /// `value` within `range`, when given.
    static func within<T: Comparable & CustomStringConvertible>(
        _ flag: String, _ value: T?, _ range: ClosedRange<T>
    ) throws {
        if let value, !range.contains(value) {
            throw ValidationError(
                "\(flag) must be from \(text(range.lowerBound)) to \(text(range.upperBound)), got \(text(value))")
        }
    }

    /// A TCP port: 0 (any free one, where allowed) to 65,535.
    static func port(_ flag: String, _ value: Int?, allowingZero: Bool = true) throws {
        try within(flag, value, (allowingZero ? 0 : 1)...65_535)
    }
}
