/// A chart's legend under the title: each series' marker and name, in two rows when one would overflow.
enum ChartLegend {
    static func row(_ names: [String], y: Double, from left: Double = XYChart.left) -> [String] {
        var parts: [String] = []
        var at = left
        var line = y
        let right = XYChart.width - XYChart.right
        for (index, name) in names.enumerated() {
            let label = name.count > 40 ? String(name.prefix(20)) + "…" + String(name.suffix(19)) : name
            let width = Double(label.count) * 6.2 + 28
            if at + width > right, at > left {
                at = left
                line += 13  // the next row, still above the plot area
            }
            let colour = ChartPalette.colour(index)
            parts.append(ChartPalette.marker(index, x: at + 4, y: line - 4, colour: colour))
            parts.append(SVG.text(label, x: at + 12, y: line, size: 11))
            at += width
        }
        return parts
    }
}
