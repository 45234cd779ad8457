import Foundation
import NightlyCore
import Postgres

/// Turns rows of the views `recovery_carts` and `recovery_carts_bulk` into `RecoveryCart` values. One decoder reads
/// one result: it finds the columns' positions on the first row instead of by name in every row, and resolves a
/// customer's time zone once per distinct `time_zone` and locale. Over the quarter of a million rows of a candidate
/// read, finding columns by name and resolving zones were a third of the decoding (perf, docs/performance.md).
struct RecoveryCartDecoder {
    /// `recovery_time_zones`, for customers without `customers.time_zone`.
    let regionZones: [String: TimeZone]
    private var columns: Columns?
    private var zones: [ZoneKey: TimeZone] = [:]

    /// How many distinct zone texts and locales are remembered: enough for every real zone in every locale, and a
    /// bound on memory when a table holds arbitrary text in `time_zone`.
    static let rememberedZones = 10_000

    init(regionZones: [String: TimeZone]) {
        self.regionZones = regionZones
    }

    mutating func cart(from row: Row) throws -> RecoveryCart {
        let columns = try self.columns ?? Columns(row)
        self.columns = columns
        let customer = try row.decodeIfPresent(at: columns.customerID, as: UUID.self).map { id in
            // A production table may hold NULL where the demo's does not: no name greets without one, no locale
            // falls back to the default, unknown consent or push permission counts as none.
            let locale: String = try row.decodeIfPresent(at: columns.locale) ?? ""
            return RecoveryCustomer(
                id: id, email: try row.decodeIfPresent(at: columns.email) ?? "",
                firstName: try row.decodeIfPresent(at: columns.firstName) ?? "", locale: locale,
                marketingOptIn: try row.decodeIfPresent(at: columns.marketingOptIn) ?? false,
                unsubscribed: try row.decode(at: columns.unsubscribed), bounced: try row.decode(at: columns.bounced),
                pushEnabled: try row.decodeIfPresent(at: columns.pushEnabled) ?? false,
                lastMessageAt: try row.decodeIfPresent(at: columns.lastMessageAt),
                timeZone: zone(column: try row.decodeIfPresent(at: columns.timeZone), locale: locale))
        }
        return RecoveryCart(
            id: try row.decode(at: columns.id), version: try row.decode(at: columns.version),
            currency: try row.decode(at: columns.currency), lastActivity: try row.decode(at: columns.updatedAt),
            itemCount: try row.decode(at: columns.pieces), value: try row.decode(at: columns.value), customer: customer,
            sentStages: Set(try row.decode(at: columns.sentStages, as: [String].self).compactMap(RecoveryStage.init(rawValue:))),
            orderedSince: try row.decode(at: columns.orderedSince))
    }

    private mutating func zone(column: String?, locale: String) -> TimeZone {
        let key = ZoneKey(column: column, locale: locale)
        if let zone = zones[key] { return zone }
        let zone = CustomerTimeZone.resolve(column: column, locale: locale, regionZones: regionZones)
        if zones.count < Self.rememberedZones { zones[key] = zone }
        return zone
    }

    private struct ZoneKey: Hashable {
        let column: String?
        let locale: String
    }

    /// Where each column the decoder reads sits in the result.
    private struct Columns {
        let id, version, currency, updatedAt, pieces, value, customerID, email, firstName, locale, marketingOptIn,
            unsubscribed, bounced, pushEnabled, lastMessageAt, timeZone, sentStages, orderedSince: Int

        init(_ row: Row) throws {
            let names = row.columnNames
            let positions = Dictionary(names.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
            func position(_ name: String) throws -> Int {
                guard let position = positions[name] else {
                    throw PostgresError(
                        kind: .decoding,
                        message: "the result has no column \"\(name)\" (columns: \(names.joined(separator: ", ")))")
                }
                return position
            }
            (id, version, currency, updatedAt) =
                (try position("id"), try position("version"), try position("currency"), try position("updated_at"))
            (pieces, value, customerID, email, firstName) = (
                try position("pieces"), try position("value"), try position("customer_id"), try position("email"),
                try position("first_name"))
            (locale, marketingOptIn, unsubscribed, bounced, pushEnabled) = (
                try position("locale"), try position("marketing_opt_in"), try position("unsubscribed"),
                try position("bounced"), try position("push_enabled"))
            (lastMessageAt, timeZone, sentStages, orderedSince) = (
                try position("last_message_at"), try position("time_zone"), try position("sent_stages"),
                try position("ordered_since"))
        }
    }
}
