import Directory
import Reconcile

/// How one planned change becomes LDAP writes.
enum ChangeWrites {
    /// The write for a change's entry: an add for `create`, a delete for `delete`, else a modify.
    /// `nil` when the change writes nothing to the entry itself (a change that only moves group membership).
    static func operation(for change: Change) -> WriteOperation? {
        switch change.action {
        case .create:
            return .add(AddRequest(dn: change.dn, attributes: change.modifications.map { Attribute($0.attribute, $0.values) }))
        case .delete:
            return .delete(DeleteRequest(dn: change.dn))
        default:
            guard !change.modifications.isEmpty else { return nil }
            return .modify(ModifyRequest(dn: change.dn, modifications: change.modifications.map(modification)))
        }
    }

    /// The name of `operation(for:)`'s write (`add`, `delete`, `modify`), without building it: the audit
    /// log names the operation of every write, and building an add again encodes every value again.
    static func operationName(for change: Change) -> String? {
        switch change.action {
        case .create: "add"
        case .delete: "delete"
        default: change.modifications.isEmpty ? nil : "modify"
        }
    }

    /// The write of an enable whose entry just got a new password: slapd's ppolicy removed the lock when
    /// the password was set, so the unlock becomes a replace with no value, which removes the lock if it
    /// is somehow still there and is no error when it is gone.
    static func unlockAfterNewPassword(_ operation: WriteOperation) -> WriteOperation {
        guard case .modify(var request) = operation else { return operation }
        request.modifications = request.modifications.map { modification in
            guard modification.kind == .delete, modification.attribute.lowercased() == ParentAttribute.pwdAccountLockedTime.lowercased()
            else { return modification }
            return Modification(.replace, modification.attribute, values: [])
        }
        return .modify(request)
    }

    static func modification(_ change: AttributeChange) -> Modification {
        switch change.kind {
        case .add: Modification(.add, change.attribute, change.values)
        case .delete: Modification(.delete, change.attribute, change.values)
        case .replace: Modification(.replace, change.attribute, change.values)
        }
    }
}
