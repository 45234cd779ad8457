import Foundation

/// The stages of cart recovery (plan task 2.1), timed from the cart's last activity, in the order they fall due.
public enum RecoveryStage: String, CaseOrdered, Sendable, Codable {
    /// The first e-mail, with the smaller discount (default after 2 h).
    case firstEmail = "first_email"
    /// The push message, for customers with push enabled (default after 24 h).
    case push = "push"
    /// The second e-mail, with the larger discount (default after 72 h).
    case secondEmail = "second_email"
    /// The cart is marked `abandoned`; nothing is sent (default after 7 days).
    case abandon = "abandon"

    /// The stages that send a message.
    public static let messageStages: [RecoveryStage] = [.firstEmail, .push, .secondEmail]

    /// How the stage reaches the customer; nil for `abandon`.
    public var channel: RecoveryChannel? {
        switch self {
        case .firstEmail, .secondEmail: .email
        case .push: .push
        case .abandon: nil
        }
    }
}

/// The ways a recovery message reaches a customer.
public enum RecoveryChannel: String, Sendable, Codable {
    case email
    case push
}
