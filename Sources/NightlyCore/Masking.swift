/// Hides customer e-mail addresses on dashboards: `jane.doe@example.com` becomes `j***@example.com`.
public enum EmailMask {
    public static func mask(_ email: String) -> String {
        guard let at = email.lastIndex(of: "@"), at > email.startIndex else { return "***" }
        return String(email[email.startIndex]) + "***" + email[at...]
    }
}
