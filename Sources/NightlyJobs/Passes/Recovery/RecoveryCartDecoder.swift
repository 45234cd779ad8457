import Foundation
import NightlyCore
import Postgres

/// Turns rows of the views `recovery_carts` and `recovery_carts_bulk` into `RecoveryCart` values. One decoder reads
/// one result and resolves a customer's time zone once per distinct `time_zone` and locale, which a quarter of a
/// million rows of a candidate read share (`TimeZone(identifier:)` for every row showed in the profile,
/// docs/performance.md).
struct RecoveryCartDecoder {
    /// `recovery_time_zones`, for customers without `customers.time_zone`.
    let regionZones: [String: TimeZone]
    private var zones: [ZoneKey: TimeZone] = [:]

    /// How many distinct zone texts and locales are remembered: enough for every real zone in every locale, and a
    /// bound on memory when a table holds arbitrary text in `time_zone`.
    static let rememberedZones = 10_000

    init(regionZones: [String: TimeZone]) {
        self.regionZones = regionZones
    }

    mutating func cart(from row: Row) throws -> RecoveryCart {
        let customer = try row.decodeIfPresent("customer_id", as: UUID.self).map { id in
            // A production table may hold NULL where the demo's does not: no name greets without one, no locale
            // falls back to the default, unknown consent or push permission counts as none.
            let locale: String = try row.decodeIfPresent("locale") ?? ""
            return RecoveryCustomer(
                id: id, email: try row.decodeIfPresent("email") ?? "", firstName: try row.decodeIfPresent("first_name") ?? "",
                locale: locale,
                marketingOptIn: try row.decodeIfPresent("marketing_opt_in") ?? false,
                unsubscribed: try row.decode("unsubscribed"), bounced: try row.decode("bounced"),
                pushEnabled: try row.decodeIfPresent("push_enabled") ?? false,
                lastMessageAt: try row.decodeIfPresent("last_message_at"),
                timeZone: zone(column: try row.decodeIfPresent("time_zone"), locale: locale))
        }
        return RecoveryCart(
            id: try row.decode("id"), version: try row.decode("version"), currency: try row.decode("currency"),
            lastActivity: try row.decode("updated_at"), itemCount: try row.decode("pieces"),
            value: try row.decode("value"), customer: customer,
            sentStages: Set(try row.decode("sent_stages", as: [String].self).compactMap(RecoveryStage.init(rawValue:))),
            orderedSince: try row.decode("ordered_since"))
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
}
