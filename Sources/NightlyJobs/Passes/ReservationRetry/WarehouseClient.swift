import AsyncHTTPClient
import Foundation
import NIOCore
import NIOPosix
import NightlyCore

/// The warehouse service's `POST {base}/v1/reservations/{id}/confirm` (DESIGN.md §2b) over one shared HTTP client
/// with connect and request timeouts, TLS (system trust store), no redirects (the bearer token never follows one).
/// Call `shutdown()` once done.
final class WarehouseClient: Sendable {
    private let client: HTTPClient
    private let baseURL: String
    private let authorization: String
    private let requestTimeout: TimeAmount

    init(settings: ReservationRetrySettings, baseURL: String, token: WarehouseToken) {
        var configuration = HTTPClient.Configuration()
        configuration.timeout = .init(
            connect: .milliseconds(Int64(settings.connectTimeout * 1000)),
            read: .milliseconds(Int64(settings.requestTimeout * 1000)))
        configuration.redirectConfiguration = .disallow
        configuration.connectionPool = .init(
            idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: settings.maxInFlight)
        client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
        self.baseURL = baseURL
        authorization = "Bearer " + token.value
        requestTimeout = .milliseconds(Int64(settings.requestTimeout * 1000))
    }

    /// Confirms one reservation; never throws: a failure to get an answer is an answer too.
    func confirm(_ call: ReservationCall) async -> WarehouseAnswer {
        do {
            return try await exchange(request(for: call))
        } catch {
            return .failure(Self.failure(of: error))
        }
    }

    /// The contract's `POST …/confirm` of `call`.
    private func request(for call: ReservationCall) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: "\(baseURL)/v1/reservations/\(call.pathSegment)/confirm")
        request.method = .POST
        request.headers.add(name: "Authorization", value: authorization)
        request.headers.add(name: "Idempotency-Key", value: call.idempotencyKey)
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Accept", value: "application/json")
        request.body = .bytes(ByteBuffer(bytes: call.body))
        return request
    }

    /// Sends `request` and reads the whole answer (at most 64 KiB of body), all of it within
    /// `warehouse_request_timeout`: the client's deadline ends at the response head, so the body is read racing a
    /// timer for the rest of that time (a service trickling its body a byte at a time is a timeout).
    private func exchange(_ request: HTTPClientRequest) async throws -> WarehouseAnswer {
        let deadline = ContinuousClock.now + .nanoseconds(requestTimeout.nanoseconds)
        let response = try await client.execute(request, timeout: requestTimeout)
        let body = try await withThrowingTaskGroup(of: ByteBuffer?.self) { group in
            group.addTask { try await response.body.collect(upTo: 64 * 1024) }
            group.addTask {
                try await Task.sleep(until: deadline, clock: .continuous)
                return nil
            }
            defer { group.cancelAll() }
            guard let body = try await group.next() ?? nil else { throw HTTPClientError.deadlineExceeded }
            return body
        }
        return .response(
            status: Int(response.status.code), retryAfter: response.headers.first(name: "Retry-After"),
            body: Array(buffer: body))
    }

    /// Shuts the client's connections down; call once, after the last call.
    func shutdown() async {
        try? await client.shutdown()
    }

    private static func failure(of error: Error) -> WarehouseCallFailure {
        if let error = error as? HTTPClientError {
            switch error {
            case .connectTimeout, .readTimeout, .deadlineExceeded, .getConnectionFromPoolTimeout, .tlsHandshakeTimeout:
                return .timeout
            case .remoteConnectionClosed: return .connectionReset
            default: return .transport
            }
        }
        if let error = error as? IOError {
            switch error.errnoCode {
            case ECONNREFUSED: return .connectionRefused
            case ECONNRESET, EPIPE: return .connectionReset
            default: return .transport
            }
        }
        // A failed connect reports every address it tried; the first one's error says why.
        if let error = error as? NIOConnectionError, let first = error.connectionErrors.first {
            return failure(of: first.error)
        }
        return .transport
    }
}
