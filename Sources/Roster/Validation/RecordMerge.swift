/// Second copies of a pupil or contact (one per row of a one-row-per-link export) folded into the
/// first: a value the first copy left blank is taken from the later one, and a value both give
/// differently is a conflict, named so the warning can say which field to fix in the MIS.
struct RecordMerge {
    /// The names of fields the two copies disagree on.
    private(set) var conflicts: [String] = []

    mutating func fill<Value: Equatable>(_ first: inout Value?, _ later: Value?, _ field: String) {
        guard let later else { return }
        guard let existing = first else {
            first = later
            return
        }
        if existing != later { conflicts.append(field) }
    }

    mutating func fill(_ first: inout String, _ later: String, _ field: String) {
        var optional: String? = first.isEmpty ? nil : first
        fill(&optional, later.isEmpty ? nil : later, field)
        first = optional ?? ""
    }

    mutating func fill(_ first: inout TriState, _ later: TriState, _ field: String) {
        var optional = first == .unknown ? nil : first
        fill(&optional, later == .unknown ? nil : later, field)
        first = optional ?? .unknown
    }

    mutating func fill<Element: Equatable>(_ first: inout [Element], _ later: [Element], _ field: String) {
        var optional = first.isEmpty ? nil : first
        fill(&optional, later.isEmpty ? nil : later, field)
        first = optional ?? []
    }

    mutating func fill(_ first: inout PersonName, _ later: PersonName, prefix: String) {
        fill(&first.title, later.title, prefix + "title")
        fill(&first.given, later.given, prefix + "given name")
        fill(&first.middle, later.middle, prefix + "middle name")
        fill(&first.family, later.family, prefix + "family name")
    }

    /// `first` with the blanks `later` fills.
    static func pupil(_ first: Pupil, _ later: Pupil) -> (Pupil, conflicts: [String]) {
        var merge = RecordMerge()
        var pupil = first
        merge.fill(&pupil.upn, later.upn, "upn")
        merge.fill(&pupil.name, later.name, prefix: "")
        merge.fill(&pupil.preferredGivenName, later.preferredGivenName, "preferred given name")
        merge.fill(&pupil.dateOfBirth, later.dateOfBirth, "date of birth")
        merge.fill(&pupil.yearGroup, later.yearGroup, "year group")
        merge.fill(&pupil.registrationGroup, later.registrationGroup, "registration group")
        merge.fill(&pupil.schoolName, later.schoolName, "school name")
        merge.fill(&pupil.lookedAfter, later.lookedAfter, "looked after")
        merge.fill(&pupil.leavingDate, later.leavingDate, "leaving date")
        merge.fill(&pupil.address, later.address, "address")
        return (pupil, merge.conflicts)
    }

    /// `first` with the blanks `later` fills.
    static func contact(_ first: Contact, _ later: Contact) -> (Contact, conflicts: [String]) {
        var merge = RecordMerge()
        var contact = first
        merge.fill(&contact.name, later.name, prefix: "")
        merge.fill(&contact.emails, later.emails, "e-mail")
        merge.fill(&contact.phones, later.phones, "phones")
        merge.fill(&contact.address, later.address, "address")
        return (contact, merge.conflicts)
    }
}
