import Foundation

/// One axis of a chart: the data range it shows, linear or logarithmic, its "nice" tick values and their labels.
public struct ChartAxis: Sendable, Hashable {
    /// The axis title, with its unit (`TTFT (ms)`).
    public var title: String
    public var lower: Double
    public var upper: Double
    public var logarithmic: Bool
    public var ticks: [Double]

    /// An axis covering `values` (and `include`, e.g. 0), with about `tickCount` round ticks. A logarithmic axis
    /// needs positive values (others are ignored) and ticks at powers of ten and their 2 and 5 multiples.
    public init(
        title: String, covering values: [Double], include: [Double] = [], logarithmic: Bool = false,
        tickCount: Int = 5
    ) {
        self.title = title
        self.logarithmic = logarithmic
        let finite = (values + include).filter { $0.isFinite && (!logarithmic || $0 > 0) }
        var low = finite.min() ?? 0
        var high = finite.max() ?? 1
        if logarithmic {
            low = max(low, 1e-9)
            high = max(high, low * 10)
            let ticks = Self.logTicks(low, high)
            lower = min(low, ticks.first ?? low)
            upper = max(high, ticks.last ?? high)
            self.ticks = ticks
            return
        }
        if high == low {
            high = low == 0 ? 1 : low + abs(low) * 0.5
            if low > 0 { low = 0 }
        }
        let step = Self.niceStep((high - low) / Double(max(1, tickCount)))
        lower = (low / step).rounded(.down) * step
        upper = (high / step).rounded(.up) * step
        ticks = stride(from: lower, through: upper + step / 2, by: step).map { $0 }
    }

    /// An axis with a fixed range and ticks (shares: 0…1).
    public init(title: String, lower: Double, upper: Double, ticks: [Double]) {
        self.title = title
        self.lower = lower
        self.upper = upper
        logarithmic = false
        self.ticks = ticks
    }

    /// Where `value` falls, 0 at `lower` and 1 at `upper`.
    public func fraction(_ value: Double) -> Double {
        if logarithmic {
            return (log10(max(value, lower)) - log10(lower)) / (log10(upper) - log10(lower))
        }
        return upper == lower ? 0 : (value - lower) / (upper - lower)
    }

    /// A tick's label: thousands as k, few significant digits.
    public static func label(_ value: Double) -> String {
        let magnitude = abs(value)
        if magnitude >= 1_000_000 { return trimmed(value / 1_000_000) + "M" }
        if magnitude >= 10_000 { return trimmed(value / 1_000) + "k" }
        return trimmed(value)
    }

    static func trimmed(_ value: Double) -> String {
        if value == value.rounded() { return String(Int(value)) }
        let text = String(format: abs(value) < 0.1 ? "%.3f" : "%.2f", value)
        var trimmed = text
        while trimmed.hasSuffix("0") { trimmed.removeLast() }
        if trimmed.hasSuffix(".") { trimmed.removeLast() }
        return trimmed
    }

    /// 1, 2 or 5 times a power of ten, the smallest at least `rough`.
    static func niceStep(_ rough: Double) -> Double {
        guard rough > 0, rough.isFinite else { return 1 }
        let power = pow(10, (log10(rough)).rounded(.down))
        for factor in [1.0, 2, 5, 10] where factor * power >= rough { return factor * power }
        return 10 * power
    }

    static func logTicks(_ low: Double, _ high: Double) -> [Double] {
        var ticks: [Double] = []
        var decade = pow(10, log10(low).rounded(.down))
        let factors: [Double] = log10(high / low) > 3 ? [1] : [1, 2, 5]
        while decade <= high * 10 {
            for factor in factors where decade * factor >= low / 1.0001 && decade * factor <= high * 10 {
                ticks.append(decade * factor)
                if decade * factor >= high { return ticks }
            }
            decade *= 10
        }
        return ticks
    }
}
