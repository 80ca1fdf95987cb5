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

    static func modification(_ change: AttributeChange) -> Modification {
        switch change.kind {
        case .add: Modification(.add, change.attribute, change.values)
        case .delete: Modification(.delete, change.attribute, change.values)
        case .replace: Modification(.replace, change.attribute, change.values)
        }
    }
}
