public import BenchCore

/// Absolute start offsets of an open-loop step: request i starts at offset(i) after the step start.
///
/// Offsets are cumulative sums computed in floating point and converted once, so sleeping until each absolute
/// target never accumulates drift. Constant: offset(i) = i / rate. Poisson: offset(0) = 0 and
/// offset(i) = offset(i−1) + Exp(rate), drawn from a generator seeded with `seed`.
public struct ArrivalSchedule: Sequence, Sendable {
    public let rate: Double
    public let process: ArrivalProcess
    public let seed: UInt64

    public init(rate: Double, process: ArrivalProcess, seed: UInt64) {
        precondition(rate > 0, "rate must be positive")
        self.rate = rate
        self.process = process
        self.seed = seed
    }

    public func makeIterator() -> Iterator {
        Iterator(schedule: self)
    }

    public struct Iterator: IteratorProtocol, Sendable {
        let schedule: ArrivalSchedule
        var random: SeededRandom
        var index = 0
        var elapsedSeconds = 0.0

        init(schedule: ArrivalSchedule) {
            self.schedule = schedule
            random = SeededRandom(seed: schedule.seed)
        }

        public mutating func next() -> Duration? {
            defer { index += 1 }
            switch schedule.process {
            case .constant:
                return .seconds(double: Double(index) / schedule.rate)
            case .poisson:
                if index > 0 { elapsedSeconds += random.nextExponential(rate: schedule.rate) }
                return .seconds(double: elapsedSeconds)
            }
        }
    }
}
