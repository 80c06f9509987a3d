public import BenchMetrics
import Foundation

/// The price table shipped with llmbench (`Sources/BenchEngine/Resources/prices.json`): list prices per model with
/// their date and source.
public struct PriceTable: Sendable, Hashable, Decodable {
    public var models: [ModelPrice]

    /// The table in the package's resources.
    public static let builtIn: PriceTable = {
        guard let url = Bundle.module.url(forResource: "prices", withExtension: "json"),
            let data = try? Data(contentsOf: url), let table = try? JSONDecoder().decode(PriceTable.self, from: data)
        else { return PriceTable(models: []) }
        return table
    }()

    public init(models: [ModelPrice]) {
        self.models = models
    }

    /// The row for a model name, ignoring case and a `models/` prefix; a dated variant such as
    /// `claude-haiku-4-5-20251001` matches its undated row.
    public func price(for model: String) -> ModelPrice? {
        var name = model.lowercased()
        if name.hasPrefix("models/") { name.removeFirst(7) }
        if let exact = models.first(where: { $0.model.lowercased() == name }) { return exact }
        return models.filter { name.hasPrefix($0.model.lowercased() + "-") }.max { $0.model.count < $1.model.count }
    }
}

extension PriceTable {
    /// The one price of a target, for its load steps, its quality answers and its judge verdicts alike: the target's
    /// own `price`, else this table's row for its `price_model` (or its model); none for a self-hosted target priced
    /// by the hour (`machine_usd_per_hour`, turned into a cost per token by the measured throughput).
    public func price(for target: BenchSpec.Target) -> ModelPrice? {
        if let price = target.price { return price }
        if target.machineUSDPerHour != nil { return nil }
        return price(for: target.priceModel ?? target.model)
    }
}
