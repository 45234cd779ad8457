/// Hides customer e-mail addresses on dashboards: `jane.doe@example.com` becomes `j***@example.com`.
public enum EmailMask {
    public static func mask(_ email: String) -> String {
        guard let at = email.lastIndex(of: "@"), at > email.startIndex else { return "***" }
        return String(email[email.startIndex]) + "***" + email[at...]
    }
}

/// Hides discount codes on review pages, where a live code could be used by anyone who sees it: `K7M2-QX9P`
/// becomes `K7••••`.
public enum CodeMask {
    public static func mask(_ code: String) -> String {
        String(code.prefix(2)) + "••••"
    }
}
