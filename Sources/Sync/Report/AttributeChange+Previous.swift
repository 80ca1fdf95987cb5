import Reconcile

extension AttributeChange {
    /// What a replace found in the entry, as the plan's reports show it after the new value:
    /// ` (was old@example.org)`, ` (was not set)`; empty where the plan recorded nothing.
    func previousNote(separator: String) -> String {
        guard kind == .replace, let previous else { return "" }
        return previous.isEmpty ? " (was not set)" : " (was \(previous.joined(separator: separator)))"
    }
}
