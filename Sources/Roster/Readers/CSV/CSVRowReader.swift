import Foundation

/// Turns one CSV row into a pupil and its contacts and links, reporting what it cannot read.
struct CSVRowReader {
    let file: String
    let options: ReaderOptions
    private let pupilColumns: FieldColumns
    private let contactGroups: [FieldColumns]
    /// Strings of the columns whose values repeat from row to row, made once each.
    private var repeated = StringInterner()
    /// Relationships already normalised, by raw value: a handful of distinct words fill a whole export.
    private var relationships: [(raw: String, relationship: Relationship?)] = []
    /// The last row's pupil when reading it added nothing but that pupil (no warning, no error), with
    /// the bytes of its pupil columns. A one-row-per-link export repeats the pupil on each of its rows:
    /// a row whose pupil columns hold the same bytes would build the same pupil, which the builder
    /// already has, so it is not built again.
    private var previousPupil: PupilReference?
    private var previousPupilBytes: [UInt8] = []
    private var previousPupilEnds: [Int] = []

    init(layout: CSVLayout, file: String, options: ReaderOptions) {
        self.file = file
        self.options = options
        pupilColumns = FieldColumns(layout.pupilColumns)
        contactGroups = layout.contactGroups.map(FieldColumns.init)
    }

    /// Reads `record` into `builder`. Blank values are absent; unreadable optional values are warnings;
    /// a blank required value is an error naming its column.
    mutating func read<Sink: RosterSink>(_ record: CSVRecord, decoder: inout FieldDecoder, into builder: inout Sink) {
        var row = Row(record: record, file: file)
        if let previousPupil, hasPreviousPupilColumns(record) {
            for group in contactGroups {
                readContact(group, of: previousPupil, row: &row, decoder: &decoder, into: &builder)
            }
            return
        }
        previousPupil = nil
        let warnings = builder.warningCount
        let errors = builder.errorCount
        let pupilColumns = pupilColumns
        func value(_ field: CSVField) -> String? { row.value(pupilColumns[field], &decoder) }
        func repeatedValue(_ field: CSVField) -> String? { row.value(pupilColumns[field], &decoder, interning: &repeated) }
        func name(_ field: CSVField) -> String? { row.name(pupilColumns[field], &decoder) }

        guard let schoolID = repeatedValue(.schoolID) ?? options.schoolID else {
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
            name: PersonName(given: name(.pupilGivenName), family: name(.pupilFamilyName) ?? ""),
            preferredGivenName: name(.preferredGivenName),
            dateOfBirth: row.date(pupilColumns[.dateOfBirth], &decoder, &builder),
            yearGroup: repeatedValue(.yearGroup),
            registrationGroup: repeatedValue(.regGroup),
            schoolName: options.schoolName,
            lookedAfter: row.flag(pupilColumns[.lookedAfter], &decoder, &builder),
            leavingDate: row.date(pupilColumns[.leavingDate], &decoder, &builder))
        builder.add(consume pupil)
        if builder.warningCount == warnings, builder.errorCount == errors {
            remember(reference, from: record)
        }
        for group in contactGroups {
            readContact(group, of: reference, row: &row, decoder: &decoder, into: &builder)
        }
    }

    private mutating func readContact<Sink: RosterSink>(
        _ columns: FieldColumns, of pupil: PupilReference, row: inout Row, decoder: inout FieldDecoder,
        into builder: inout Sink
    ) {
        func value(_ field: CSVField) -> String? { row.value(columns[field], &decoder) }
        func repeatedValue(_ field: CSVField) -> String? { row.value(columns[field], &decoder, interning: &repeated) }
        // A contact group with nothing in it: a pupil with fewer contacts than the export has room for.
        guard columns.all.contains(where: { !row.record.isBlank(field: $0) }) else { return }

        guard let name = contactName(columns, row: &row, decoder: &decoder), !name.family.isEmpty else {
            builder.record(row.error(columns[.familyName] ?? columns[.name], "the contact has no family name"))
            return
        }
        // Checked first without an array to loop over (an allocation a row): the warning is rare.
        if Self.hasUnderscore(name.given) || Self.hasUnderscore(name.family) {
            for case let part? in [name.given, name.family] where Self.hasUnderscore(part) {
                builder.warn(
                    .suspectCharacter,
                    "the name \"\(part)\" has \"_\", which Excel writes for a character it could not save",
                    at: row.location(columns[.familyName] ?? columns[.name]))
            }
        }
        let reference = value(.contactID).map { ContactReference.id($0, school: pupil.schoolID) }
            ?? builder.positionalReference(for: pupil, name: name)
        // Made at their final size: growing the array one phone at a time cost two allocations a row.
        // Four constants, not a tuple: the tuple of optionals was copied three times a row through the
        // runtime's generic tuple witness (≈ 1,500 instructions a row).
        let mobile = PhoneNormaliser.number(trimmed: value(.mobile), kind: .mobile)
        let home = PhoneNormaliser.number(trimmed: value(.homePhone), kind: .home)
        let work = PhoneNormaliser.number(trimmed: value(.workPhone), kind: .work)
        let other = PhoneNormaliser.number(trimmed: value(.phone), kind: .other)
        // Counted by pattern, not `== nil`: that picked `Optional<PhoneNumber>`'s `==`, which copies both
        // sides into a tuple and destroys it through the runtime's generic witnesses.
        var phoneCount = 0
        if case .some = mobile { phoneCount += 1 }
        if case .some = home { phoneCount += 1 }
        if case .some = work { phoneCount += 1 }
        if case .some = other { phoneCount += 1 }
        // Filled in a buffer made at its size: `reserveCapacity` on the empty array went through the
        // array's general regrowth (≈ 300 instructions a contact).
        let phones = phoneCount == 0 ? [] : [PhoneNumber](unsafeUninitializedCapacity: phoneCount) { buffer, count in
            if let mobile { buffer.initializeElement(at: count, to: mobile); count += 1 }
            if let home { buffer.initializeElement(at: count, to: home); count += 1 }
            if let work { buffer.initializeElement(at: count, to: work); count += 1 }
            if let other { buffer.initializeElement(at: count, to: other); count += 1 }
        }
        let contact = Contact(
            reference: reference, origin: row.origin, name: name,
            emails: EmailNormaliser.address(trimmed: value(.email), kind: .primary).map { [$0] } ?? [],
            phones: phones,
            address: address(columns, row: &row, decoder: &decoder))
        builder.add(consume contact)

        let relationshipRaw = repeatedValue(.relationship)
        var relationship = Relationship.unknown
        if let raw = relationshipRaw {
            if let known = normalised(relationship: raw) {
                relationship = known
            } else {
                builder.warn(
                    .unknownRelationship, "relationship \"\(raw)\" is not known; kept as written, read as unknown",
                    at: row.location(columns[.relationship]))
            }
        }
        var priority: Int?
        if let digits = row.smallNumber(columns[.priority]), digits >= 1 {
            // Plain digits, as priorities are: no string needed.
            priority = digits
        } else if let raw = value(.priority) {
            priority = ValueParser.priority(raw)
            if priority == nil {
                builder.warn(.unreadableValue, "priority \"\(raw)\" is not a number from 1; read as blank",
                             at: row.location(columns[.priority]))
            }
        }
        let link = ContactLink(
            pupil: pupil, contact: reference, origin: row.origin,
            relationshipRaw: relationshipRaw, relationship: relationship, priority: priority,
            hasParentalResponsibility: row.flag(columns[.parentalResponsibility], &decoder, &builder),
            hasCourtOrder: row.flag(columns[.courtOrder], &decoder, &builder),
            livesWithPupil: row.flag(columns[.livesWithPupil], &decoder, &builder),
            accessWithdrawn: row.flag(columns[.accessWithdrawn], &decoder, &builder))
        builder.add(consume link)
    }

    /// True when `part` holds "_". From the contiguous bytes: the generic search over a string's
    /// UTF-8 view cost ~500 instructions a name.
    private static func hasUnderscore(_ part: String?) -> Bool {
        guard let part else { return false }
        return part.utf8.withContiguousStorageIfAvailable({ $0.contains(UInt8(ascii: "_")) })
            ?? part.utf8.contains(UInt8(ascii: "_"))
    }

    /// Keeps the bytes of `record`'s pupil columns, whose pupil is `reference`. Into buffers kept from
    /// row to row, each column copied with one `memcpy`: appending column by column cost 1,700
    /// instructions a pupil.
    private mutating func remember(_ reference: PupilReference, from record: CSVRecord) {
        previousPupil = reference
        let columns = pupilColumns.all
        var total = 0
        for column in columns { total += record.bounds(column).count }
        if previousPupilBytes.count < total {
            previousPupilBytes.append(contentsOf: repeatElement(0, count: total - previousPupilBytes.count))
        }
        if previousPupilEnds.count != columns.count { previousPupilEnds = Array(repeating: 0, count: columns.count) }
        record.bytes.withUnsafeBufferPointer { current in
            previousPupilBytes.withUnsafeMutableBufferPointer { kept in
                previousPupilEnds.withUnsafeMutableBufferPointer { ends in
                    var end = 0
                    for position in columns.indices {
                        let bounds = record.bounds(columns[position])
                        if !bounds.isEmpty {
                            memcpy(kept.baseAddress! + end, current.baseAddress! + bounds.lowerBound, bounds.count)
                        }
                        end += bounds.count
                        ends[position] = end
                    }
                }
            }
        }
    }

    /// True when `record`'s pupil columns hold the bytes `remember` kept.
    private func hasPreviousPupilColumns(_ record: CSVRecord) -> Bool {
        let columns = pupilColumns.all
        guard previousPupilEnds.count == columns.count else { return false }
        return record.bytes.withUnsafeBufferPointer { current in
            previousPupilBytes.withUnsafeBufferPointer { kept in
                previousPupilEnds.withUnsafeBufferPointer { ends in
                    var start = 0
                    for position in columns.indices {
                        let bounds = record.bounds(columns[position])
                        let end = ends[position]
                        guard bounds.count == end - start else { return false }
                        if !bounds.isEmpty,
                            memcmp(current.baseAddress! + bounds.lowerBound, kept.baseAddress! + start, bounds.count) != 0
                        {
                            return false
                        }
                        start = end
                    }
                    return true
                }
            }
        }
    }

    /// The normalised relationship of a raw value, from `relationships` when seen before.
    private mutating func normalised(relationship raw: String) -> Relationship? {
        if let known = relationships.first(where: { $0.raw == raw }) { return known.relationship }
        let relationship = RelationshipNormaliser.normalise(raw)
        if relationships.count < 64 { relationships.append((raw, relationship)) }
        return relationship
    }

    /// Separate title, given and family columns; else one whole-name column, split.
    private mutating func contactName(_ columns: FieldColumns, row: inout Row, decoder: inout FieldDecoder)
        -> PersonName?
    {
        if let family = row.name(columns[.familyName], &decoder) {
            var given = row.name(columns[.givenName], &decoder)
            var title = row.value(columns[.title], &decoder, interning: &repeated)
            if title == nil, let typed = given {
                let split = NameNormaliser.splitTitle(fromGiven: typed)
                title = split.title
                given = split.given
            }
            return PersonName(title: title, given: given, family: family)
        }
        return NameNormaliser.splitFullName(row.value(columns[.name], &decoder))
    }

    private mutating func address(_ columns: FieldColumns, row: inout Row, decoder: inout FieldDecoder)
        -> PostalAddress?
    {
        func value(_ field: CSVField) -> String? { row.value(columns[field], &decoder) }
        // Towns and counties repeat across an export.
        func repeatedValue(_ field: CSVField) -> String? { row.value(columns[field], &decoder, interning: &repeated) }
        // Multi-line address cells are common in report exports: one line of text per cell here.
        func oneLine(_ text: String?) -> String? {
            guard let text, text.containsLineBreak else { return text }
            return text.split(whereSeparator: \.isNewline).map { $0.trimmingWhitespace() }.joined(separator: ", ")
        }
        let postcode = value(.postcode)
        // Made at their final size, as the phones are.
        let line1 = oneLine(value(.addressLine1))
        let line2 = oneLine(value(.addressLine2))
        let line3 = oneLine(value(.addressLine3))
        let lineCount = (line1 == nil ? 0 : 1) + (line2 == nil ? 0 : 1) + (line3 == nil ? 0 : 1)
        // Filled in a buffer made at its size, as the phones are.
        let lines = lineCount == 0 ? [] : [String](unsafeUninitializedCapacity: lineCount) { buffer, count in
            if let line1 { buffer.initializeElement(at: count, to: line1); count += 1 }
            if let line2 { buffer.initializeElement(at: count, to: line2); count += 1 }
            if let line3 { buffer.initializeElement(at: count, to: line3); count += 1 }
        }
        let address = PostalAddress(
            lines: lines, town: oneLine(repeatedValue(.town)), county: repeatedValue(.county), postcode: postcode,
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

    /// The trimmed value as `value` gives it, made once per distinct ASCII value by `interner`.
    func value(_ column: Int?, _ decoder: inout FieldDecoder, interning interner: inout StringInterner) -> String? {
        guard let column else { return nil }
        switch record.content(column) {
        case .blank: return nil
        case .ascii(let range): return record.withBytes(range) { interner.string($0) }
        case .text: return value(column, &decoder)
        }
    }

    /// The value in a name's display form (`NameNormaliser.displayForm`), decoded once.
    func name(_ column: Int?, _ decoder: inout FieldDecoder) -> String? {
        guard let column else { return nil }
        if case .ascii(let range) = record.content(column),
            let name = record.withBytes(range, NameNormaliser.displayForm(plainASCII:))
        {
            return name
        }
        return NameNormaliser.displayForm(value(column, &decoder))
    }

    /// The value when it is up to nine ASCII digits (trimmed), read from the bytes; else `nil`.
    func smallNumber(_ column: Int?) -> Int? {
        guard let column, case .ascii(let range) = record.content(column), range.count <= 9 else { return nil }
        return record.withBytes(range) { bytes in
            var number = 0
            for byte in bytes {
                guard byte >= 0x30, byte <= 0x39 else { return nil }
                number = number * 10 + Int(byte - 0x30)
            }
            return number
        }
    }

    func flag<Sink: RosterSink>(_ column: Int?, _ decoder: inout FieldDecoder, _ builder: inout Sink) -> TriState {
        guard let column else { return .unknown }
        // ASCII flags are read from the bytes; the string is made only for a warning.
        switch record.content(column) {
        case .blank: return .unknown
        case .ascii(let range):
            if let flag = record.withBytes(range, { ValueParser.triState(utf8: $0) }) { return flag }
        case .text: break
        }
        guard let raw = value(column, &decoder) else { return .unknown }
        guard let flag = ValueParser.triState(raw) else {
            builder.warn(.unreadableValue, "\"\(raw)\" is not yes or no; read as unknown", at: location(column))
            return .unknown
        }
        return flag
    }

    func date<Sink: RosterSink>(_ column: Int?, _ decoder: inout FieldDecoder, _ builder: inout Sink) -> CalendarDate? {
        guard let column else { return nil }
        // ASCII dates are read from the bytes; the string is made only for a warning.
        switch record.content(column) {
        case .blank: return nil
        case .ascii(let range):
            if let date = record.withBytes(range, { ValueParser.date(utf8: $0) }) { return date }
        case .text: break
        }
        guard let raw = value(column, &decoder) else { return nil }
        guard let date = ValueParser.date(raw) else {
            builder.warn(.unreadableValue, "\"\(raw)\" is not a date (yyyy-mm-dd or dd/mm/yyyy); read as blank",
                         at: location(column))
            return nil
        }
        return date
    }
}
