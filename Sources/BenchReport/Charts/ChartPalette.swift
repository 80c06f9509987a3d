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

    static func text(
        _ content: String, x: Double, y: Double, anchor: String = "start", size: Int = 12, extra: String = ""
    ) -> String {
        #"<text x="\#(number(x))" y="\#(number(y))" text-anchor="\#(anchor)" font-size="\#(size)"\#(extra)>\#(escape(content))</text>"#
    }
}
