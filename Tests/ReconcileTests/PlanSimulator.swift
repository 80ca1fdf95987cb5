import Testing

@testable import Reconcile

/// A tiny pure directory for the tests: applies a plan the way slapd would, and fails the test where
/// slapd would refuse a write (deleting a value that is not there, adding one that is).
enum PlanSimulator {
    static func apply(_ plan: Plan, to directory: CurrentDirectory) -> CurrentDirectory {
        var entries = Dictionary(uniqueKeysWithValues: directory.parents.map { ($0.dn, attributes(of: $0)) })
        for change in plan.changes {
            switch change.action {
            case .create:
                #expect(entries[change.dn] == nil, "add of an existing entry \(change.dn)")
                var created: [String: Set<String>] = [:]
                for modification in change.modifications { created[modification.attribute, default: []].formUnion(modification.values) }
                entries[change.dn] = created
            case .delete:
                #expect(entries.removeValue(forKey: change.dn) != nil, "delete of a missing entry \(change.dn)")
            default:
                guard var entry = entries[change.dn] else {
                    Issue.record("modify of a missing entry \(change.dn)")
                    continue
                }
                for modification in change.modifications { apply(modification, to: &entry, dn: change.dn) }
                entries[change.dn] = entry
            }
        }
        var result = directory
        result.parents = entries.map { parent(dn: $0.key, attributes: $0.value) }
        if let groupPlan = plan.roleGroup, var group = result.roleGroup {
            if groupPlan.create {
                #expect(!group.exists, "creating a group that exists")
                group.exists = true
                group.members = Set(groupPlan.creation.filter { $0.attribute == "member" }.flatMap(\.values))
            } else {
                #expect(group.exists, "writing members of a group that does not exist")
                for member in groupPlan.delete { #expect(group.members.remove(member) != nil, "deleting absent member \(member)") }
                for member in groupPlan.add { #expect(group.members.insert(member).inserted, "adding present member \(member)") }
            }
            #expect(!group.members.isEmpty, "groupOfNames left without members")
            result.roleGroup = group
        }
        return result
    }

    private static func apply(_ modification: AttributeChange, to entry: inout [String: Set<String>], dn: String) {
        let name = modification.attribute
        switch modification.kind {
        case .add:
            for value in modification.values {
                #expect(entry[name, default: []].insert(value).inserted, "\(dn): \(name) already has \(value)")
            }
        case .delete:
            if modification.values.isEmpty {
                #expect(entry.removeValue(forKey: name) != nil, "\(dn): no \(name) to delete")
            }
            for value in modification.values {
                #expect(entry[name]?.remove(value) != nil, "\(dn): \(name) has no value \(value)")
            }
            if entry[name]?.isEmpty == true { entry[name] = nil }
        case .replace:
            // What the plan shows a reviewer as replaced is what the entry held.
            if let previous = modification.previous {
                #expect(Set(previous) == entry[name] ?? [], "\(dn): \(name) said to replace \(previous), holds \(entry[name] ?? [])")
            }
            entry[name] = Set(modification.values)
        }
    }

    static func attributes(of parent: CurrentParent) -> [String: Set<String>] {
        var attributes: [String: Set<String>] = [
            "uid": [parent.uid], "misContactRef": parent.misContactRef, "misChildRef": parent.misChildRef,
            "misChild": parent.misChild,
        ]
        let single: [String: String?] = [
            "misParentId": parent.misParentId, "cn": parent.cn, "sn": parent.sn, "givenName": parent.givenName,
            "displayName": parent.displayName, "mail": parent.mail, "mobile": parent.mobile,
            "misAccountStatus": parent.status?.rawValue, "misStatusReason": parent.statusReason,
            "misStatusSince": parent.statusSince,
            "misRole": parent.hasParentRole ? "Parent" : nil,
            "pwdAccountLockedTime": parent.isLocked ? "000001010000Z" : nil,
        ]
        for case let (name, value?) in single { attributes[name] = [value] }
        return attributes.filter { !$0.value.isEmpty }
    }

    static func parent(dn: String, attributes: [String: Set<String>]) -> CurrentParent {
        func one(_ name: String) -> String? {
            let values = attributes[name] ?? []
            #expect(values.count <= 1, "\(dn): \(name) has several values \(values)")
            return values.first
        }
        return CurrentParent(
            dn: dn, uid: one("uid") ?? "", misParentId: one("misParentId"),
            misContactRef: attributes["misContactRef"] ?? [], misChildRef: attributes["misChildRef"] ?? [],
            misChild: attributes["misChild"] ?? [], cn: one("cn"), sn: one("sn"), givenName: one("givenName"),
            displayName: one("displayName"), mail: one("mail"), mobile: one("mobile"),
            hasParentRole: one("misRole") == "Parent", status: one("misAccountStatus").flatMap(AccountStatus.init),
            statusReason: one("misStatusReason"), statusSince: one("misStatusSince"),
            isLocked: one("pwdAccountLockedTime") == "000001010000Z")
    }
}
