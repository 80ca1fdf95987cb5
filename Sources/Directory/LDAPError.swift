/// An LDAP operation that failed: the result code and its name, the server's diagnostic message, and the DN
/// concerned. Its description is the one line a person reads in a log.
public struct LDAPError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What was being done: `bind`, `add`, `modify`, `search`, … (for the message).
    public var operation: String
    /// The result code the server (or libldap, for client-side failures) gave.
    public var code: ResultCode
    /// The server's diagnostic message, when it sent one.
    public var diagnosticMessage: String
    /// The entry the operation concerned, when there is one.
    public var dn: String?

    public init(operation: String, code: ResultCode, diagnosticMessage: String = "", dn: String? = nil) {
        self.operation = operation
        self.code = code
        self.diagnosticMessage = diagnosticMessage
        self.dn = dn
    }

    public var description: String {
        var text = "LDAP \(operation) failed: \(code)"
        if let dn { text += " for \"\(dn)\"" }
        if !diagnosticMessage.isEmpty { text += ": \(diagnosticMessage)" }
        return text
    }
}
