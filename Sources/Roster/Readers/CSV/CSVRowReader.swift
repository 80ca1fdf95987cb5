/// Turns one CSV row into a pupil and its contacts and links, reporting what it cannot read.
struct CSVRowReader {
    let file: String
    let options: ReaderOptions
    private let pupilColumns: FieldColumns
    private let contactGroups: [FieldColumns]

    init(layout: CSVLayout, file: String, options: ReaderOptions) {
        self.file = file
        self.options = options
        pupilColumns = FieldColumns(layout.pupilColumns)
        contactGroups = layout.contactGroups.map(FieldColumns.init)
    }

    /// Reads `record` into `builder`. Blank values are absent; unreadable optional values are warnings;
    /// a blank required value is an error naming its column.
    func read(_ record: CSVRecord, decoder: inout FieldDecoder, into builder: inout RosterBuilder) {
        var row = Row(record: record, file: file)
        func value(_ field: CSVField) -> String? { row.value(pupilColumns[field], &decoder) }

        guard let schoolID = value(.schoolID) ?? options.schoolID else {
            builder.record(row.error(pupilColumns[.schoolID], "school_id is blank and the config gives none"))
            return
        }
        guard let pupilID = value(.pupilID) else {
            builder.record(row.error(pupilColumns[.pupilID], "pupil_id is blank"))
            return
        }
        let reference = PupilReference(schoolID: schoolID, pupilID: pupilID)
        let pupil = Pupil(
            reference: reference, origin: row.origin,
            upn: value(.upn),
            name: PersonName(
                given: NameNormaliser.displayForm(value(.pupilGivenName)),
                family: NameNormaliser.displayForm(value(.pupilFamilyName)) ?? ""),
            preferredGivenName: NameNormaliser.displayForm(value(.preferredGivenName)),
            dateOfBirth: row.date(pupilColumns[.dateOfBirth], &decoder, &builder),
            yearGroup: value(.yearGroup),
            registrationGroup: value(.regGroup),
            schoolName: options.schoolName,
            lookedAfter: row.flag(pupilColumns[.lookedAfter], &decoder, &builder),
            leavingDate: row.date(pupilColumns[.leavingDate], &decoder, &builder))
        builder.add(pupil)
        for group in contactGroups {
            readContact(group, of: reference, row: &row, decoder: &decoder, into: &builder)
        }
    }

    private func readContact(
        _ columns: FieldColumns, of pupil: PupilReference, row: inout Row, decoder: inout FieldDecoder,
        into builder: inout RosterBuilder
    ) {
        func value(_ field: CSVField) -> String? { row.value(columns[field], &decoder) }
        // A contact group with nothing in it: a pupil with fewer contacts than the export has room for.
        guard columns.all.contains(where: { !row.record.isBlank(field: $0) }) else { return }

        guard let name = contactName(columns, value: value), !name.family.isEmpty else {
            builder.record(row.error(columns[.familyName] ?? columns[.name], "the contact has no family name"))
            return
        }
        for part in [name.given, name.family].compactMap({ $0 }) where part.utf8.contains(UInt8(ascii: "_")) {
            builder.warn(
                .suspectCharacter,
                "the name \"\(part)\" has \"_\", which Excel writes for a character it could not save",
                at: row.location(columns[.familyName] ?? columns[.name]))
        }
        let reference = value(.contactID).map { ContactReference.id($0, school: pupil.schoolID) }
            ?? builder.positionalReference(for: pupil, name: name)
        let phones = Self.phoneColumns.compactMap { PhoneNormaliser.number(value($0.field), kind: $0.kind) }
        builder.add(
            Contact(
                reference: reference, origin: row.origin, name: name,
                emails: EmailNormaliser.address(value(.email), kind: .primary).map { [$0] } ?? [],
                phones: phones,
                address: address(value: value)))

        let relationshipRaw = value(.relationship)
        var relationship = Relationship.unknown
        if let raw = relationshipRaw {
            if let known = RelationshipNormaliser.normalise(raw) {
                relationship = known
            } else {
                builder.warn(
                    .unknownRelationship, "relationship \"\(raw)\" is not known; kept as written, read as unknown",
                    at: row.location(columns[.relationship]))
            }
        }
        var priority: Int?
        if let raw = value(.priority) {
            priority = ValueParser.priority(raw)
            if priority == nil {
                builder.warn(.unreadableValue, "priority \"\(raw)\" is not a number from 1; read as blank",
                             at: row.location(columns[.priority]))
            }
        }
        builder.add(
            ContactLink(
                pupil: pupil, contact: reference, origin: row.origin,
                relationshipRaw: relationshipRaw, relationship: relationship, priority: priority,
                hasParentalResponsibility: row.flag(columns[.parentalResponsibility], &decoder, &builder),
                hasCourtOrder: row.flag(columns[.courtOrder], &decoder, &builder),
                livesWithPupil: row.flag(columns[.livesWithPupil], &decoder, &builder),
                accessWithdrawn: row.flag(columns[.accessWithdrawn], &decoder, &builder)))
    }

    private static let phoneColumns: [(field: CSVField, kind: ContactPointKind)] = [
        (.mobile, .mobile), (.homePhone, .home), (.workPhone, .work), (.phone, .other),
    ]

    /// Separate title, given and family columns; else one whole-name column, split.
    private func contactName(_ columns: FieldColumns, value: (CSVField) -> String?) -> PersonName? {
        if let family = NameNormaliser.displayForm(value(.familyName)) {
            var given = NameNormaliser.displayForm(value(.givenName))
            var title = value(.title)
            if title == nil, let typed = given {
                let split = NameNormaliser.splitTitle(fromGiven: typed)
                title = split.title
                given = split.given
            }
            return PersonName(title: title, given: given, family: family)
        }
        return NameNormaliser.splitFullName(value(.name))
    }

    private func address(value: (CSVField) -> String?) -> PostalAddress? {
        // Multi-line address cells are common in report exports: one line of text per cell here.
        func oneLine(_ text: String?) -> String? {
            guard let text, text.containsLineBreak else { return text }
            return text.split(whereSeparator: \.isNewline).map { $0.trimmingWhitespace() }.joined(separator: ", ")
        }
        let postcode = value(.postcode)
        let address = PostalAddress(
            lines: [CSVField.addressLine1, .addressLine2, .addressLine3].compactMap { oneLine(value($0)) },
            town: oneLine(value(.town)), county: value(.county), postcode: postcode,
            normalisedPostcode: PostcodeNormaliser.normalise(postcode))
        return address.isEmpty ? nil : address
    }
}

/// One record's values with their locations.
private struct Row {
    let record: CSVRecord
    let file: String

    var origin: SourceLocation { SourceLocation(file: file, line: record.line) }

    func location(_ column: Int?) -> SourceLocation {
        SourceLocation(file: file, line: record.line, column: column.map { $0 + 1 })
    }

    func error(_ column: Int?, _ reason: String) -> RosterError {
        RosterError(.malformed(reason: reason), at: location(column))
    }

    /// The trimmed value, or `nil` when the column is absent or the value blank.
    func value(_ column: Int?, _ decoder: inout FieldDecoder) -> String? {
        guard let column else { return nil }
        return record.trimmedField(column, file: file, decoder: &decoder)
    }

    func flag(_ column: Int?, _ decoder: inout FieldDecoder, _ builder: inout RosterBuilder) -> TriState {
        guard let raw = value(column, &decoder) else { return .unknown }
        guard let flag = ValueParser.triState(raw) else {
            builder.warn(.unreadableValue, "\"\(raw)\" is not yes or no; read as unknown", at: location(column))
            return .unknown
        }
        return flag
    }

    func date(_ column: Int?, _ decoder: inout FieldDecoder, _ builder: inout RosterBuilder) -> CalendarDate? {
        guard let raw = value(column, &decoder) else { return nil }
        guard let date = ValueParser.date(raw) else {
            builder.warn(.unreadableValue, "\"\(raw)\" is not a date (yyyy-mm-dd or dd/mm/yyyy); read as blank",
                         at: location(column))
            return nil
        }
        return date
    }
}
