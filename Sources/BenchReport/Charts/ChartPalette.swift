/// Colours and marker shapes that stay apart for colour-blind readers: the Okabe–Ito palette (yellow left out: too
/// pale on white), each series also with its own marker shape.
public enum ChartPalette {
    /// The series colours, in the order series take them.
    public static let colours = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#000000"]

    /// Series `index`'s colour (the palette repeats after seven).
    public static func colour(_ index: Int) -> String { colours[index % colours.count] }

    /// An SVG marker of series `index` centred on (x, y).
    static func marker(_ index: Int, x: Double, y: Double, colour: String) -> String {
        let (cx, cy) = (SVG.number(x), SVG.number(y))
        switch index % 4 {
        case 0: return #"<circle cx="\#(cx)" cy="\#(cy)" r="3.5" fill="\#(colour)"/>"#
        case 1:
            return
                #"<rect x="\#(SVG.number(x - 3.2))" y="\#(SVG.number(y - 3.2))" width="6.4" height="6.4" fill="\#(colour)"/>"#
        case 2:
            let points = [(x, y - 4.2), (x - 4, y + 3), (x + 4, y + 3)].map {
                "\(SVG.number($0.0)),\(SVG.number($0.1))"
            }
            return #"<polygon points="\#(points.joined(separator: " "))" fill="\#(colour)"/>"#
        default:
            let points = [(x, y - 4.5), (x + 4.5, y), (x, y + 4.5), (x - 4.5, y)].map {
                "\(SVG.number($0.0)),\(SVG.number($0.1))"
            }
            return #"<polygon points="\#(points.joined(separator: " "))" fill="\#(colour)"/>"#
        }
    }
}

/// Small helpers for writing SVG text.
enum SVG {
    /// A coordinate with at most one decimal.
    static func number(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }

    static func escape(_ text: String) -> String {
        TabularReportRenderer.escape(text)
    }

    /// The start of a chart: the scalable `<svg>` element, its accessible title, and the title written at the top.
    static func open(title: String) -> [String] {
        [
            #"<svg class="chart" viewBox="0 0 \#(Int(XYChart.width)) \#(Int(XYChart.height))" role="img" aria-label="\#(escape(title))" xmlns="http://www.w3.org/2000/svg" font-family="system-ui,sans-serif">"#,
            "<title>\(escape(title))</title>",
            text(title, x: XYChart.left, y: 18, size: 14, extra: #" font-weight="600""#),
        ]
    }

    /// Horizontal gridlines at `ticks` (placed by `y`), each labelled at the left of the plot area.
    static func gridlines(_ ticks: [Double], y: (Double) -> Double) -> [String] {
        ticks.flatMap { tick -> [String] in
            let at = y(tick)
            return [
                #"<line x1="\#(number(XYChart.left))" y1="\#(number(at))" x2="\#(number(XYChart.width - XYChart.right))" y2="\#(number(at))" stroke="rgb(229,229,229)"/>"#,
                text(ChartAxis.label(tick), x: XYChart.left - 6, y: at + 4, anchor: "end", size: 11),
            ]
        }
    }

    /// The plot area's left and bottom edges.
    static func frame() -> String {
        let (x0, x1) = (XYChart.left, XYChart.width - XYChart.right)
        let (y0, y1) = (XYChart.height - XYChart.bottom, XYChart.top)
        return
            #"<polyline points="\#(number(x0)),\#(number(y1)) \#(number(x0)),\#(number(y0)) \#(number(x1)),\#(number(y0))" fill="none" stroke="rgb(85,85,85)"/>"#
    }

    /// The vertical axis title, written upwards beside the plot area.
    static func verticalTitle(_ title: String) -> String {
        let middle = (XYChart.height - XYChart.bottom + XYChart.top) / 2
        return text(
            title, x: 14, y: middle, anchor: "middle", extra: #" transform="rotate(-90 14 \#(number(middle)))""#)
    }

    static func text(
        _ content: String, x: Double, y: Double, anchor: String = "start", size: Int = 12, extra: String = ""
    ) -> String {
        #"<text x="\#(number(x))" y="\#(number(y))" text-anchor="\#(anchor)" font-size="\#(size)"\#(extra)>\#(escape(content))</text>"#
    }
}
