import Foundation

/// Number formatting shared by the text renderers: sensible significant digits, `–` for missing values.
public enum NumberFormatting {
    /// Three significant digits below 100, whole numbers from 100 up.
    public static func value(_ number: Double?) -> String {
        guard let number, number.isFinite else { return "–" }
        let magnitude = abs(number)
        if magnitude >= 100 || magnitude == 0 { return String(format: "%.0f", number) }
        if magnitude >= 10 { return String(format: "%.1f", number) }
        if magnitude >= 1 { return String(format: "%.2f", number) }
        return String(format: "%.3f", number)
    }

    public static func percent(_ fraction: Double?) -> String {
        guard let fraction else { return "–" }
        return String(format: "%.1f%%", fraction * 100)
    }
}
