/// A row of a OneRoster or SDS `users.csv`, kept until every file of the set is read (links point
/// forwards and backwards, so users cannot be turned into the model one row at a time).
struct RosteringUser {
    var sourcedID: String
    var origin: SourceLocation
    var name: PersonName
    var preferredGivenName: String?
    var email: String?
    var phone: String?
    var sms: String?
    var identifier: String?
    var grades: String?
    /// OneRoster `enabledUser`; `false` means the source curtailed this user's access.
    var enabled: TriState
    /// OneRoster `agentSourcedIds`: the users this one is related to.
    var agents: [String]
    /// 1.1 `orgSourcedIds`, 1.2 `primaryOrgSourcedId`.
    var orgs: [String]
    /// 1.1 `role`; empty where roles live in `roles.csv`.
    var role: String?

    /// The user of `row`; `nil` when it has no `sourcedId` (reported) or the source marked it
    /// `tobedeleted` (a delta file's way of saying it is gone).
    init?(_ row: CSVTable.Row, builder: inout RosterBuilder) {
        guard let id = row["sourcedId"] else {
            builder.record(RosterError(.malformed(reason: "sourcedId is blank"), at: row.location("sourcedId")))
            return nil
        }
        if row["status"]?.lowercased() == "tobedeleted" { return nil }
        sourcedID = id
        origin = row.origin
        name = PersonName(
            given: NameNormaliser.displayForm(row["givenName"]),
            middle: NameNormaliser.displayForm(row["middleName"]),
            family: NameNormaliser.displayForm(row["familyName"]) ?? "")
        // The 1.2 draft spells it preferredGivenName; exporters (and the shared sample) misspell it.
        preferredGivenName = NameNormaliser.displayForm(row.first("preferredGivenName", "prefferedGivenName"))
        email = row["email"]
        phone = row["phone"]
        sms = row["sms"]
        identifier = row["identifier"]
        grades = row["grades"]
        enabled = .unknown
        if let raw = row["enabledUser"] {
            if let flag = ValueParser.triState(raw) {
                enabled = flag
            } else {
                builder.warn(.unreadableValue, "enabledUser \"\(raw)\" is not true or false; read as unknown",
                             at: row.location("enabledUser"))
            }
        }
        agents = Self.list(row["agentSourcedIds"])
        orgs = Self.list(row.first("orgSourcedIds", "primaryOrgSourcedId"))
        role = row["role"]?.lowercased()
    }

    /// A multi-valued GUID cell: `"s1,s2"`.
    static func list(_ cell: String?) -> [String] {
        (cell ?? "").split(separator: ",").map { $0.trimmingWhitespace() }.filter { !$0.isEmpty }
    }

    /// A UPN is a letter and twelve digits (or a letter, eleven digits and a letter for a temporary one);
    /// UK exporters sometimes put it in `identifier`, which otherwise holds anything.
    var upn: String? {
        guard let identifier, identifier.count == 13, let first = identifier.first, first.isLetter,
            identifier.dropFirst().dropLast().allSatisfy({ $0.isASCII && $0.isNumber })
        else { return nil }
        return identifier.uppercased()
    }
}

/// `orgs.csv`: what identifies each org as a school.
struct RosteringOrgs {
    private var identifiers: [String: String] = [:]
    private var names: [String: String] = [:]

    mutating func add(_ row: CSVTable.Row) {
        guard let id = row["sourcedId"] else { return }
        if let identifier = row["identifier"] { identifiers[id] = identifier }
        if let name = row["name"] { names[id] = name }
    }

    /// The config's school id; else the org's `identifier` (UK exporters put the URN or LAEstab
    /// there); else the org's `sourcedId`.
    func schoolID(for org: String?, options: ReaderOptions) -> String? {
        if let configured = options.schoolID { return configured }
        guard let org else { return nil }
        return identifiers[org] ?? org
    }

    func name(of org: String?, options: ReaderOptions) -> String? {
        options.schoolName ?? org.flatMap { names[$0] }
    }
}
