/// Reads Microsoft School Data Sync v2.1 CSV exports (a folder or a `.zip`): `users.csv`, `roles.csv`
/// (which users are students, at which org, in which grade) and `relationships.csv` (student, then
/// contact, then the contact's role for that student). Contacts have no row in `roles.csv`.
public struct SDSReader: Sendable {
    /// What the config says about the source.
    public var options: ReaderOptions

    public init(options: ReaderOptions = ReaderOptions()) {
        self.options = options
    }

    /// Reads the export at `path` (a folder or a zip); `displayName` is how reports name it.
    public func read(path: String, displayName: String? = nil) throws(RosterErrors) -> Roster {
        try ExportFileSet.read(path: path, displayName: displayName, options: options, read)
    }

    private func read(_ files: ExportFileSet, into builder: inout RosterBuilder) {
        var orgs = RosteringOrgs()
        if files.contains("orgs.csv") {
            files.readTable("orgs.csv", required: ["sourcedId"], &builder) { row, _ in orgs.add(row) }
        }
        // The primary student role of each user, else the first.
        var studentRoles: [String: (org: String?, grade: String?, primary: Bool)] = [:]
        files.readTable("roles.csv", required: ["userSourcedId", "orgSourcedId", "role"], &builder) { row, _ in
            guard let user = row["userSourcedId"], row["role"]?.lowercased() == "student" else { return }
            let primary = ValueParser.triState(row["isPrimary"]) == .yes
            if studentRoles[user] == nil || (primary && studentRoles[user]?.primary == false) {
                studentRoles[user] = (row["orgSourcedId"], row["grade"], primary)
            }
        }
        var users: [String: RosteringUser] = [:]
        var order: [String] = []
        files.readTable("users.csv", required: ["sourcedId", "familyName"], &builder) { row, builder in
            guard let user = RosteringUser(row, builder: &builder) else { return }
            if users[user.sourcedID] == nil { order.append(user.sourcedID) }
            users[user.sourcedID] = user
        }
        var links: [RosteringAssembler.LinkFact] = []
        var contacts: [String: (user: RosteringUser, org: String?)] = [:]
        files.readTable(
            "relationships.csv", required: ["userSourcedId", "relationshipUserSourcedId", "relationshipRole"], &builder
        ) { row, builder in
            guard let student = row["userSourcedId"], let contact = row["relationshipUserSourcedId"] else {
                builder.record(RosterError(.malformed(reason: "userSourcedId or relationshipUserSourcedId is blank"), at: row.origin))
                return
            }
            guard studentRoles[student] != nil, users[student] != nil else {
                builder.warn(.danglingReference, "\(student) is not a student in users.csv and roles.csv; relationship ignored",
                             at: row.location("userSourcedId"))
                return
            }
            guard let user = users[contact] else {
                builder.warn(.danglingReference, "contact \(contact) is not in users.csv; relationship ignored",
                             at: row.location("relationshipUserSourcedId"))
                return
            }
            contacts[contact] = (user, nil)
            links.append(.init(student: student, contact: contact, relationship: row["relationshipRole"], origin: row.origin))
        }
        let students = order.compactMap { id -> RosteringAssembler.Student? in
            guard let role = studentRoles[id], let user = users[id] else { return nil }
            return .init(user: user, org: role.org, grade: role.grade)
        }
        RosteringAssembler(options: options, orgs: orgs).assemble(
            students: students, contacts: contacts, links: links, into: &builder)
    }
}
