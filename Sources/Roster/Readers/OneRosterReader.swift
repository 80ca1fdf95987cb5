/// Reads IMS/1EdTech OneRoster 1.1 and 1.2 CSV exports, from a folder or a `.zip`.
///
/// Parents, guardians and relatives are linked to students through `agentSourcedIds`, written in
/// either direction by real exporters (research/mis-formats.md §2.7); both are read. In 1.1 a user's
/// role is the `role` column of `users.csv`; in 1.2 it is in `roles.csv`, where one person can be a
/// teacher and a guardian. `enabledUser=false` is the source withdrawing access.
public struct OneRosterReader: Sendable {
    /// What the config says about the source.
    public var options: ReaderOptions

    /// The roles whose users are contacts of their students.
    static let contactRoles: Set<String> = ["parent", "guardian", "relative"]

    public init(options: ReaderOptions = ReaderOptions()) {
        self.options = options
    }

    /// Reads the export at `path` (a folder or a zip); `displayName` is how reports name it.
    public func read(path: String, displayName: String? = nil) throws(RosterErrors) -> Roster {
        try ExportFileSet.read(path: path, displayName: displayName, options: options, read)
    }

    private func read(_ files: ExportFileSet, into builder: inout RosterBuilder) {
        guard files.contains("users.csv") else {
            builder.record(RosterError(.unreadable(reason: "no users.csv: not a OneRoster export"), at: SourceLocation(file: files.displayName)))
            return
        }
        let version = manifestVersion(files, &builder) ?? (files.contains("roles.csv") ? "1.2" : "1.1")
        let rolesInUsers = version.hasPrefix("1.0") || version.hasPrefix("1.1")

        var orgs = RosteringOrgs()
        if files.contains("orgs.csv") {
            files.readTable("orgs.csv", required: ["sourcedId"], &builder) { row, _ in orgs.add(row) }
        }

        // 1.2: every role of every user, the primary one first.
        var roles: [String: [(role: String, org: String?, primary: Bool)]] = [:]
        if !rolesInUsers {
            files.readTable("roles.csv", required: ["userSourcedId", "role"], &builder) { row, _ in
                guard let user = row["userSourcedId"], let role = row["role"]?.lowercased(),
                    row["status"]?.lowercased() != "tobedeleted"
                else { return }
                let primary = row["roleType"]?.lowercased() == "primary"
                var userRoles = roles[user] ?? []
                if primary {
                    userRoles.insert((role, row["orgSourcedId"], primary), at: 0)
                } else {
                    userRoles.append((role, row["orgSourcedId"], primary))
                }
                roles[user] = userRoles
            }
        }

        var users: [RosteringUser] = []
        let required = rolesInUsers ? ["sourcedId", "role", "familyName"] : ["sourcedId", "familyName"]
        files.readTable("users.csv", required: required, &builder) { row, builder in
            if let user = RosteringUser(row, builder: &builder) { users.append(user) }
        }

        func rolesOf(_ user: RosteringUser) -> [(role: String, org: String?, primary: Bool)] {
            if rolesInUsers { return [(user.role ?? "", user.orgs.first, true)] }
            return roles[user.sourcedID] ?? []
        }
        var students: [RosteringAssembler.Student] = []
        var contacts: [String: (user: RosteringUser, org: String?)] = [:]
        var contactRole: [String: String] = [:]
        var otherRole: [String: String] = [:]
        for user in users {
            let userRoles = rolesOf(user)
            if let student = userRoles.first(where: { $0.role == "student" }) {
                students.append(.init(user: user, org: student.org ?? user.orgs.first, grade: nil))
            } else if let contact = userRoles.first(where: { Self.contactRoles.contains($0.role) }) {
                contacts[user.sourcedID] = (user, contact.org ?? user.orgs.first)
                contactRole[user.sourcedID] = contact.role
            } else {
                otherRole[user.sourcedID] = userRoles.first?.role ?? "a user without a role"
            }
        }

        let studentIDs = Set(students.map(\.user.sourcedID))
        var links: [RosteringAssembler.LinkFact] = []
        func link(student: String, contact: String, origin: SourceLocation) {
            links.append(.init(student: student, contact: contact, relationship: contactRole[contact], origin: origin))
        }
        for student in students {
            for agent in student.user.agents {
                if contacts[agent] != nil {
                    link(student: student.user.sourcedID, contact: agent, origin: student.user.origin)
                } else {
                    let what = otherRole[agent].map { "is \($0), not a parent, guardian or relative" } ?? "is not in users.csv"
                    builder.warn(.danglingReference, "agent \(agent) of student \(student.user.sourcedID) \(what); ignored",
                                 at: student.user.origin)
                }
            }
        }
        for (id, contact) in contacts.sorted(by: { $0.value.user.origin.line ?? 0 < $1.value.user.origin.line ?? 0 }) {
            for agent in contact.user.agents {
                if studentIDs.contains(agent) {
                    link(student: agent, contact: id, origin: contact.user.origin)
                } else {
                    builder.warn(.danglingReference, "agent \(agent) of \(contactRole[id] ?? "contact") \(id) is not a student; ignored",
                                 at: contact.user.origin)
                }
            }
        }
        RosteringAssembler(options: options, orgs: orgs).assemble(
            students: students, contacts: contacts, links: links, into: &builder)
    }

    /// `oneroster.version` from `manifest.csv`, when there is one.
    private func manifestVersion(_ files: ExportFileSet, _ builder: inout RosterBuilder) -> String? {
        guard files.contains("manifest.csv") else { return nil }
        var version: String?
        files.readTable("manifest.csv", required: ["propertyName", "value"], &builder) { row, _ in
            if row["propertyName"]?.lowercased() == "oneroster.version" { version = row["value"] }
        }
        return version
    }
}
