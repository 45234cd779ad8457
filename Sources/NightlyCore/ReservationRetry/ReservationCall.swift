import Foundation

/// One claimed attempt at confirming a failed reservation: what the call sends and which ledger row records it.
public struct ReservationCall: Sendable, Equatable {
    /// The attempt ledger's row for this call.
    public var attemptID: Int64
    public var orderID: UUID
    public var reservationID: String
    /// 1 for the first retry, up to the schedule's maximum.
    public var attempt: Int
    /// The same for every attempt at this reservation of this order.
    public var idempotencyKey: String
    public var orderNumber: String?
    public var sku: String?
    public var warehouseID: String?

    public init(
        attemptID: Int64, orderID: UUID, reservationID: String, attempt: Int, idempotencyKey: String,
        orderNumber: String?, sku: String?, warehouseID: String?
    ) {
        self.attemptID = attemptID
        self.orderID = orderID
        self.reservationID = reservationID
        self.attempt = attempt
        self.idempotencyKey = idempotencyKey
        self.orderNumber = orderNumber
        self.sku = sku
        self.warehouseID = warehouseID
    }

    /// The reservation id as one URL path segment: everything but letters, digits, `-`, `_` and `~` (dots too)
    /// percent-encoded, so an id such as `../x` or `a/b` can never leave `/v1/reservations/`.
    public var pathSegment: String {
        let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_~")
        return reservationID.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
    }

    /// The JSON body: `order_id`, `order_number`, `sku`, `warehouse_id`.
    public var body: [UInt8] {
        struct Body: Encodable {
            let order_id: String
            let order_number: String?
            let sku: String?
            let warehouse_id: String?
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let body = Body(order_id: orderID.uuidString.lowercased(), order_number: orderNumber, sku: sku, warehouse_id: warehouseID)
        return Array((try? encoder.encode(body)) ?? Data("{}".utf8))
    }
}
