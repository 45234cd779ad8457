import Crypto
import Foundation

/// Which customers are held out of cart recovery (`recovery_holdout_percent`): they get no message, so their
/// carts show what happens without one. A customer's bucket (0–99) is the first 8 bytes of
/// HMAC-SHA-256(key, customer id in lower case), big-endian, modulo 100; the customer is held out when the bucket
/// is below the percent. The key is the database's own (`checkout_nightly.recovery_holdout_key`), so the
/// assignment is the same in every run and every copy, and a customer cannot compute it. Raising the percent
/// only adds customers to the holdout; a new key reassigns everybody.
public struct RecoveryHoldout: Sendable {
    /// Buckets a customer can fall into; the percent counts buckets.
    public static let buckets: UInt64 = 100

    public let key: SymmetricKey
    /// 0 holds out nobody, 100 everybody.
    public let percent: Int

    /// The HMAC with the key already absorbed: copied for each customer rather than keyed again for every cart.
    private let keyed: HMAC<SHA256>

    public init(key: Data, percent: Int) {
        self.key = SymmetricKey(data: key)
        self.percent = percent
        keyed = HMAC<SHA256>(key: self.key)
    }

    /// The customer's bucket, 0 to 99 (the bias of the modulo is below 10⁻¹⁷).
    public func bucket(of customer: UUID) -> Int {
        var hmac = keyed
        hmac.update(data: Data(customer.uuidString.lowercased().utf8))
        let mac = hmac.finalize()
        let leading = mac.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        return Int(leading % Self.buckets)
    }

    /// Whether `customer` is held out.
    public func holdsOut(_ customer: UUID) -> Bool {
        percent > 0 && bucket(of: customer) < percent
    }
}
