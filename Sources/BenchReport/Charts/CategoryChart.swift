/// Values per category and series, drawn as SVG by llmbench: dots with interval whiskers (accuracy per task with
/// its 95 % interval) or bars (USD per 1M tokens per target).
public struct CategoryChart: Sendable {
    public struct Value: Sendable, Hashable {
        public var value: Double
        public var lower: Double?
        public var upper: Double?

        public init(_ value: Double, lower: Double? = nil, upper: Double? = nil) {
            self.value = value
            self.lower = lower
            self.upper = upper
        }
    }

    public enum Style: Sendable, Hashable {
        case dots, bars
    }

    public var title: String
    public var categories: [String]
    public var seriesNames: [String]
    /// `values[series][category]`, nil where the series has no value.
    public var values: [[Value?]]
    public var axis: ChartAxis
    public var style: Style

    public init(
        title: String, categories: [String], seriesNames: [String], values: [[Value?]], axis: ChartAxis, style: Style
    ) {
        self.title = title
        self.categories = categories
        self.seriesNames = seriesNames
        self.values = values
        self.axis = axis
        self.style = style
    }

    /// The chart as an inline `<svg>` element that scales to its container's width.
    public func svg() -> String {
        let width = XYChart.width
        let height = XYChart.height
        let (x0, x1) = (XYChart.left, width - XYChart.right)
        let (y0, y1) = (height - XYChart.bottom, XYChart.top)
        func py(_ value: Double) -> Double { y0 - axis.fraction(value) * (y0 - y1) }
        let band = (x1 - x0) / Double(max(1, categories.count))
        let slot = band * 0.8 / Double(max(1, seriesNames.count))
        var parts = SVG.open(title: title) + SVG.gridlines(axis.ticks, y: py)
        parts.append(SVG.frame())
        parts.append(SVG.verticalTitle(axis.title))
        for (column, category) in categories.enumerated() {
            let centre = x0 + band * (Double(column) + 0.5)
            // Long names lose their middle, so "run_…: target" names stay told apart.
            let label = category.count > 18 ? String(category.prefix(8)) + "…" + String(category.suffix(9)) : category
            parts.append(SVG.text(label, x: centre, y: y0 + 17, anchor: "middle", size: 11))
            for (row, series) in values.enumerated() {
                guard column < series.count, let entry = series[column] else { continue }
                let colour = ChartPalette.colour(row)
                let at = x0 + band * (Double(column) + 0.1) + slot * (Double(row) + 0.5)
                if let lower = entry.lower, let upper = entry.upper {
                    parts.append(
                        #"<line x1="\#(SVG.number(at))" y1="\#(SVG.number(py(lower)))" x2="\#(SVG.number(at))" y2="\#(SVG.number(py(upper)))" stroke="\#(colour)" stroke-width="1.5"/>"#
                    )
                    for end in [lower, upper] {
                        parts.append(
                            #"<line x1="\#(SVG.number(at - 4))" y1="\#(SVG.number(py(end)))" x2="\#(SVG.number(at + 4))" y2="\#(SVG.number(py(end)))" stroke="\#(colour)" stroke-width="1.5"/>"#
                        )
                    }
                }
                switch style {
                case .dots:
                    parts.append(ChartPalette.marker(row, x: at, y: py(entry.value), colour: colour))
                case .bars:
                    let top = py(entry.value)
                    parts.append(
                        #"<rect x="\#(SVG.number(at - slot * 0.4))" y="\#(SVG.number(top))" width="\#(SVG.number(slot * 0.8))" height="\#(SVG.number(max(0, y0 - top)))" fill="\#(colour)"/>"#
                    )
                }
                parts.append(
                    SVG.text(
                        ChartAxis.label(entry.value), x: at, y: py(entry.upper ?? entry.value) - 6, anchor: "middle",
                        size: 10))
            }
        }
        if seriesNames.count > 1 { parts += ChartLegend.row(seriesNames, y: 36) }
        parts.append("</svg>")
        return parts.joined(separator: "\n")
    }
}
