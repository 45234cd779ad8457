import Foundation

/// What one call to the warehouse service's `POST …/confirm` came back with (DESIGN.md §2b).
public enum WarehouseAnswer: Sendable, Equatable {
    /// An HTTP response: its status, its `Retry-After` header if any, and its body.
    case response(status: Int, retryAfter: String?, body: [UInt8])
    /// No response: the connection could not be made or broke, or the answer took too long.
    case failure(WarehouseCallFailure)
}

/// Why a call got no HTTP response.
public enum WarehouseCallFailure: String, Sendable, Equatable, Codable {
    /// The connect or request timeout passed.
    case timeout
    /// Nothing listened on the port (the service is down).
    case connectionRefused = "connection_refused"
    /// The connection was closed or reset before a whole response arrived.
    case connectionReset = "connection_reset"
    /// Any other transport or TLS failure.
    case transport
}

extension WarehouseAnswer {
    /// The HTTP status, when there was a response.
    public var httpStatus: Int? {
        if case .response(let status, _, _) = self { return status }
        return nil
    }

    /// Why there was no response, when there was none.
    public var failure: WarehouseCallFailure? {
        if case .failure(let failure) = self { return failure }
        return nil
    }

    /// A short text for the ledger's "last answer" and the logs: `HTTP 404 reservation_not_found`, `HTTP 502`,
    /// `timeout`. Only the body's `error` or `status` code is quoted, and only when it is a short snake_case word.
    public var summary: String {
        switch self {
        case .failure(let failure): return failure.rawValue
        case .response(let status, _, let body):
            let json = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any]
            let code = (json?["error"] as? String) ?? (json?["status"] as? String)
            guard let code, code.count <= 40, code.allSatisfy({ $0 == "_" || ($0.isASCII && $0.isLowercase) }) else {
                return "HTTP \(status)"
            }
            return "HTTP \(status) \(code)"
        }
    }
}
