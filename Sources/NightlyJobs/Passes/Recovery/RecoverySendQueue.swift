import Foundation
import Logging
import NightlyCore
import Postgres
import Rendering

/// A cart the planner found due, with its customer (nil for a guest).
struct DueCart: Sendable {
    let cart: UUID
    let customer: UUID?
}

/// The due carts of one run, handed to the send workers in order, and what they report back: the counts, the
/// customers messaged, the review copies. Shared by the workers' threads, so every access holds the lock.
///
/// Two carts of one customer are never in flight at once: a worker whose next cart belongs to a customer the
/// other worker is sending to waits for that send to end. So the customer's longest-waiting cart is decided first,
/// as with one worker, and the cool-down then decides the others; the database's customer lock alone would keep
/// the cap but let the two workers race for which cart gets the message.
final class RecoverySendQueue: @unchecked Sendable {
    private let lock = NSCondition()
    private let due: [DueCart]
    private let cap: Int
    private let review: ReviewCopies
    private let logger: Logger
    private let dryRun: Bool
    private let progress: TerminalProgress
    private var next = 0
    /// Messages taken but not yet reported: they count against the cap until they are.
    private var inFlight = 0
    private var messaged: Set<UUID> = []
    /// The customers of the carts in flight.
    private var customersInFlight: Set<UUID> = []
    /// The run's one source of codes and tokens: drawn a message at a time, so a seeded generator gives the same
    /// secrets whichever worker sends.
    private var generator: any RandomNumberGenerator
    private(set) var counts: RecoveryCounts
    /// The first error a worker met; the others stop taking carts.
    private(set) var failure: Error?

    init(
        due: [DueCart], cap: Int, counts: RecoveryCounts, review: ReviewCopies, generator: any RandomNumberGenerator,
        context: StepContext
    ) {
        self.due = due
        self.generator = generator
        self.cap = cap
        self.counts = counts
        self.review = review
        logger = context.logger
        dryRun = context.settings.dryRun
        progress = context.progress
    }

    /// The next due carts, at most `limit`, in order; none when there are none left, a worker failed, or the
    /// per-run message cap is reached (the rest wait for the next run). Waits while the next cart's customer is in
    /// flight on the other worker, and ends the batch before a later cart whose customer is.
    func take(upTo limit: Int) -> [DueCart] {
        lock.withLock {
            while true {
                guard failure == nil, next < due.count else { return [] }
                guard counts.sent < cap else {
                    if counts.deferredRunCap == 0 {
                        counts.deferredRunCap = due.count - next
                        logger.warning(
                            "the per-run message cap is reached; the remaining due carts wait for the next run",
                            metadata: ["step": "recovery", "cap": "\(cap)", "deferred": "\(due.count - next)"])
                    }
                    return []
                }
                // Carts in flight count against the cap until they are reported: some may not be sent after all.
                let room = min(limit, cap - counts.sent - inFlight)
                var batch: [DueCart] = []
                var customers: Set<UUID> = []
                while batch.count < room, next < due.count {
                    let cart = due[next]
                    if let customer = cart.customer, !customers.contains(customer), customersInFlight.contains(customer) {
                        break
                    }
                    if let customer = cart.customer { customers.insert(customer) }
                    batch.append(cart)
                    next += 1
                }
                guard !batch.isEmpty else {
                    lock.wait()
                    continue
                }
                customersInFlight.formUnion(customers)
                inFlight += batch.count
                progress.update("recovery: cart \(next) of \(due.count)")
                return batch
            }
        }
    }

    /// Ends the time in flight of `batch`'s carts (the caller holds the lock) and wakes a worker waiting for their
    /// customers.
    private func land(_ batch: [DueCart]) {
        inFlight -= batch.count
        for cart in batch {
            if let customer = cart.customer { customersInFlight.remove(customer) }
        }
        lock.broadcast()
    }

    /// The code (when `withCode`) and tokens of one message.
    func draw(withCode: Bool) -> MessageSecrets {
        lock.withLock { MessageSecrets(withCode: withCode, using: &generator) }
    }

    func messagedThisRun(_ customer: UUID) -> Bool {
        lock.withLock { messaged.contains(customer) }
    }

    /// Counts what became of `batch`, and writes the review copy of each message sent (a copy that cannot be
    /// written fails the run, after the message it belongs to was recorded). The copies' files are written and the
    /// log lines emitted outside the lock, so that one worker's disk writes never hold up the other. A held-out
    /// customer counts as messaged, as the database's cool-down counts held-out rows.
    func report(_ report: RecoverySender.BatchReport, for batch: [DueCart]) {
        var reviewRows: [Result<EmailReviewPage.Message, Error>] = []
        for (due, outcome) in zip(batch, report.outcomes) {
            let cartID = due.cart.uuidString.lowercased()
            switch outcome {
            case .sent(let rendering, _):
                reviewRows.append(Result { try review.write(rendering) })
                let message = rendering.message
                logger.info(
                    dryRun ? "recovery message rendered (dry run)" : "recovery message recorded",
                    metadata: [
                        "step": "recovery", "cart": "\(cartID)", "message": "\(message.id.uuidString.lowercased())",
                        "stage": "\(message.stage.rawValue)", "locale": "\(message.locale)",
                        "recipient": "\(EmailReviewPage.Message.displayedRecipient(message.recipient, channel: message.stage.channel ?? .email))",
                    ])
            case .heldOut(let stage, _):
                logger.info(
                    dryRun ? "recovery cart held out (dry run)" : "recovery cart held out: stage recorded, nothing sent",
                    metadata: ["step": "recovery", "cart": "\(cartID)", "stage": "\(stage.rawValue)"])
            case .notSent(.malformed):
                logger.warning(
                    "cart skipped: a row of it cannot be read (a NULL or a value of the wrong type); the other carts go on",
                    metadata: ["step": "recovery", "cart": "\(cartID)"])
            case .notSent:
                break
            }
        }
        lock.withLock {
            land(batch)
            counts.codeCollisions += report.codeCollisions
            for outcome in report.outcomes {
                switch outcome {
                case .sent(let rendering, let customerID):
                    messaged.insert(customerID)
                    counts.countSent(rendering.message.stage)
                    counts.codesIssued += rendering.message.code == nil ? 0 : 1
                case .heldOut(_, let customerID):
                    messaged.insert(customerID)
                    counts.heldOut += 1
                case .notSent(let reason):
                    counts.countNotSent(reason)
                }
            }
            do {
                for row in reviewRows { try review.list(try row.get()) }
            } catch {
                if failure == nil { failure = error }
            }
        }
    }

    /// Records a worker's failure: the others stop after the batch they are sending.
    func fail(_ error: Error, for batch: [DueCart]) {
        lock.withLock {
            land(batch)
            if failure == nil { failure = error }
        }
    }
}

/// One send worker: a connection of its own and a sender, on a thread of its own, so that one worker renders
/// while the other waits for the database. Used by one task only.
final class RecoverySendWorker: @unchecked Sendable {
    let sender: RecoverySender
    let queue: RecoverySendQueue
    let batchSize: Int

    init(sender: RecoverySender, queue: RecoverySendQueue, batchSize: Int) {
        self.sender = sender
        self.queue = queue
        self.batchSize = batchSize
    }

    /// Sends batches of due carts until the queue has none for it.
    func run() {
        while case let batch = queue.take(upTo: batchSize), !batch.isEmpty {
            do {
                queue.report(try sender.send(batch, messagedThisRun: queue.messagedThisRun, draw: queue.draw), for: batch)
            } catch {
                queue.fail(error, for: batch)
            }
        }
    }
}
