/// A chart's legend: one row under the title, each series' marker and name.
enum ChartLegend {
    static func row(_ names: [String], y: Double, from left: Double = XYChart.left) -> [String] {
        var parts: [String] = []
        var at = left
        for (index, name) in names.enumerated() {
            let colour = ChartPalette.colour(index)
            parts.append(ChartPalette.marker(index, x: at + 4, y: y - 4, colour: colour))
            parts.append(SVG.text(name, x: at + 12, y: y, size: 11))
            at += Double(name.count) * 6.2 + 28
        }
        return parts
    }
}
