/// A chart of numeric series against a numeric axis, drawn as SVG by llmbench (no scripts, no external files):
/// latency CDFs (step lines), metrics against load (lines with markers, the saturation knee marked), and
/// quality against cost or speed (labelled points with the Pareto front).
public struct XYChart: Sendable {
    public struct Point: Sendable, Hashable {
        public var x: Double
        public var y: Double
        /// Written beside the point (scatter charts).
        public var label: String?

        public init(x: Double, y: Double, label: String? = nil) {
            self.x = x
            self.y = y
            self.label = label
        }
    }

    public enum Style: Sendable, Hashable {
        /// Straight segments with a marker at each point.
        case line
        /// A staircase (empirical CDF): horizontal, then vertical.
        case step
        /// Markers only, each with its label.
        case points
    }

    public struct Series: Sendable {
        public var name: String
        public var points: [Point]
        public var style: Style

        public init(name: String, points: [Point], style: Style) {
            self.name = name
            self.points = points
            self.style = style
        }
    }

    /// A vertical dashed line at `x` with a label (the saturation knee).
    public struct Marker: Sendable, Hashable {
        public var x: Double
        public var label: String
        public var series: Int

        public init(x: Double, label: String, series: Int) {
            self.x = x
            self.label = label
            self.series = series
        }
    }

    public var title: String
    public var x: ChartAxis
    public var y: ChartAxis
    public var series: [Series]
    public var markers: [Marker] = []
    /// A dashed line through these points (the Pareto front), drawn under the series.
    public var frontier: [Point] = []

    public init(title: String, x: ChartAxis, y: ChartAxis, series: [Series]) {
        self.title = title
        self.x = x
        self.y = y
        self.series = series
    }

    static let width = 570.0
    static let height = 360.0
    static let left = 64.0
    static let right = 20.0
    static let top = 52.0
    static let bottom = 52.0

    func px(_ value: Double) -> Double {
        Self.left + x.fraction(value) * (Self.width - Self.left - Self.right)
    }

    func py(_ value: Double) -> Double {
        Self.height - Self.bottom - y.fraction(value) * (Self.height - Self.top - Self.bottom)
    }

    /// The chart as an inline `<svg>` element that scales to its container's width.
    public func svg() -> String {
        var parts = SVG.open(title: title)
        parts += axes()
        if frontier.count > 1 {
            let path = frontier.map { "\(SVG.number(px($0.x))),\(SVG.number(py($0.y)))" }.joined(separator: " ")
            parts.append(
                #"<polyline points="\#(path)" fill="none" stroke="rgb(136,136,136)" stroke-width="1.5" stroke-dasharray="5 4"/>"#
            )
        }
        for (index, series) in series.enumerated() {
            parts += draw(series, index: index)
        }
        for marker in markers {
            let colour = ChartPalette.colour(marker.series)
            let at = px(marker.x)
            parts.append(
                #"<line x1="\#(SVG.number(at))" y1="\#(SVG.number(Self.top))" x2="\#(SVG.number(at))" y2="\#(SVG.number(Self.height - Self.bottom))" stroke="\#(colour)" stroke-dasharray="3 3"/>"#
            )
            parts.append(SVG.text(marker.label, x: at + 4, y: Self.top + 12, size: 11, extra: #" fill="\#(colour)""#))
        }
        parts += legend()
        parts.append("</svg>")
        return parts.joined(separator: "\n")
    }

    func axes() -> [String] {
        var parts = SVG.gridlines(y.ticks, y: py)
        let (x0, x1) = (Self.left, Self.width - Self.right)
        let y0 = Self.height - Self.bottom
        for tick in x.ticks {
            let at = px(tick)
            parts.append(
                #"<line x1="\#(SVG.number(at))" y1="\#(SVG.number(y0))" x2="\#(SVG.number(at))" y2="\#(SVG.number(y0 + 4))" stroke="rgb(85,85,85)"/>"#
            )
            parts.append(SVG.text(ChartAxis.label(tick), x: at, y: y0 + 17, anchor: "middle", size: 11))
        }
        parts.append(SVG.frame())
        parts.append(SVG.text(x.title, x: (x0 + x1) / 2, y: Self.height - 10, anchor: "middle"))
        parts.append(SVG.verticalTitle(y.title))
        return parts
    }

    func draw(_ series: Series, index: Int) -> [String] {
        let colour = ChartPalette.colour(index)
        let points = series.points.filter { $0.x.isFinite && $0.y.isFinite }
        var parts: [String] = []
        switch series.style {
        case .line, .step:
            var path: [String] = []
            for (position, point) in points.enumerated() {
                if series.style == .step, position > 0 {
                    path.append("\(SVG.number(px(point.x))),\(SVG.number(py(points[position - 1].y)))")
                }
                path.append("\(SVG.number(px(point.x))),\(SVG.number(py(point.y)))")
            }
            parts.append(
                #"<polyline points="\#(path.joined(separator: " "))" fill="none" stroke="\#(colour)" stroke-width="2"/>"#
            )
            if series.style == .line {
                parts += points.map { ChartPalette.marker(index, x: px($0.x), y: py($0.y), colour: colour) }
            }
        case .points:
            for point in points {
                parts.append(ChartPalette.marker(index, x: px(point.x), y: py(point.y), colour: colour))
                if let label = point.label {
                    parts.append(SVG.text(label, x: px(point.x) + 7, y: py(point.y) - 6, size: 11))
                }
            }
        }
        return parts
    }

    func legend() -> [String] {
        guard series.count > 1 || series.first?.style != .points else { return [] }
        return ChartLegend.row(series.map(\.name), y: 36)
    }
}
