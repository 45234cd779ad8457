import Foundation
import NightlyCore
import Postgres

/// Reads the database's holdout key (`holdout_key.sql`) into the `RecoveryHoldout` the planner applies.
enum RecoveryHoldoutReader {
    /// The holdout at `percent` (`recovery_holdout_percent`); nil when it is 0.
    static func read(_ queries: QueryLibrary, _ connection: Connection, percent: Int) throws -> RecoveryHoldout? {
        guard percent > 0 else { return nil }
        let encoded = try connection.queryFirst(try queries.statement("recovery/holdout_key.sql")) {
            try $0.decode("key", as: String.self)
        }
        guard let encoded, let key = Data(base64Encoded: encoded) else {
            throw PlainMessage(
                "checkout_nightly.recovery_holdout_key holds no key; run `checkout-nightly migrate`, or set recovery_holdout_percent to 0")
        }
        return RecoveryHoldout(key: key, percent: percent)
    }
}
