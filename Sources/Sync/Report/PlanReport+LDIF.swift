import Foundation
import Reconcile

extension PlanReport {
    /// The exact writes as LDIF change records (RFC 2849), accepted by `ldapmodify` (`-c` to go on past
    /// errors). Revocations come first, as `apply` writes them. First passwords are not in it: `apply`
    /// sets them with Password Modify after each add, and no password belongs in a file like this.
    public func ldif() -> String {
        var out = "# ldap-sync plan — \(title), \(Self.timestamp(generatedAt))\nversion: 1\n"
        for change in plan.changes {
            out += "\n# \(change.action.rawValue)\(change.pupil.map { " " + $0 } ?? "") — \(change.reasons.map(\.code).joined(separator: ", "))\n"
            out += Self.line("dn", change.dn)
            switch change.action {
            case .create:
                out += "changetype: add\n"
                for modification in change.modifications {
                    for value in modification.values { out += Self.line(modification.attribute, value) }
                }
            case .delete:
                out += "changetype: delete\n"
            default:
                out += "changetype: modify\n"
                for modification in change.modifications {
                    out += "\(modification.kind.rawValue): \(modification.attribute)\n"
                    for value in modification.values { out += Self.line(modification.attribute, value) }
                    out += "-\n"
                }
            }
        }
        if let group = plan.roleGroup {
            out += "\n# role group\n" + Self.line("dn", group.dn)
            if group.create {
                out += "changetype: add\n"
                for attribute in group.creation {
                    for value in attribute.values { out += Self.line(attribute.attribute, value) }
                }
            } else {
                out += "changetype: modify\n"
                if !group.add.isEmpty {
                    out += "add: member\n" + group.add.map { Self.line("member", $0) }.joined() + "-\n"
                }
                if !group.delete.isEmpty {
                    out += "delete: member\n" + group.delete.map { Self.line("member", $0) }.joined() + "-\n"
                }
            }
        }
        return out
    }

    /// `name: value`, or `name:: base64` where RFC 2849 requires it (non-ASCII, a leading space, colon or
    /// `<`, a trailing space, control characters).
    static func line(_ name: String, _ value: String) -> String {
        let bytes = Array(value.utf8)
        let safe = bytes.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
            && !(bytes.first.map { $0 == 0x20 || $0 == 0x3A || $0 == 0x3C } ?? false)
            && bytes.last != 0x20
        return safe ? "\(name): \(value)\n" : "\(name):: \(Data(bytes).base64EncodedString())\n"
    }
}
