/// Which header column holds which field, worked out once from the header row.
struct CSVLayout {
    /// The header as read, for error messages.
    var headers: [String]
    /// Pupil fields and their column indexes.
    var pupilColumns: [CSVField: Int]
    /// One entry per contact a row can hold: one for one-row-per-link exports, n for `PARENT_n_*`.
    var contactGroups: [[CSVField: Int]]

    /// Matches `headers` against `preset`, with `columnMap` (field → header) taking precedence.
    /// Throws `.missingColumns` naming every required field not found and the header as read.
    static func resolve(
        headers: [String], preset: CSVPreset, columnMap: [CSVField: String], schoolIDGiven: Bool,
        location: SourceLocation
    ) throws(RosterError) -> CSVLayout {
        let keys = headers.map(CSVField.headerKey)
        var used = Set<Int>()
        var missing: [String] = []
        var pupilColumns: [CSVField: Int] = [:]
        var singleGroup: [CSVField: Int] = [:]

        // The config's own names first: they are what the school says its columns are.
        for (field, header) in columnMap.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            let key = CSVField.headerKey(header)
            guard let index = keys.indices.first(where: { keys[$0] == key && !used.contains($0) }) else {
                missing.append("\(field.rawValue) (columns: says \"\(header)\")")
                continue
            }
            used.insert(index)
            if field.isPupilField { pupilColumns[field] = index } else { singleGroup[field] = index }
        }

        let groups = preset.contactGroupPrefixes.isEmpty
            ? nil : contactGroups(keys: keys, preset: preset, used: &used)

        // Pupil fields claim their columns before contact fields, so that a repeated `Forename` is
        // the pupil's first and the contact's second.
        let order = CSVField.allCases.filter(\.isPupilField) + CSVField.allCases.filter { !$0.isPupilField }
        for field in order where pupilColumns[field] == nil && singleGroup[field] == nil {
            if groups != nil, !field.isPupilField { continue }
            for alias in preset.headers[field] ?? [] {
                let key = CSVField.headerKey(alias)
                if let index = keys.indices.first(where: { keys[$0] == key && !used.contains($0) }) {
                    used.insert(index)
                    if field.isPupilField { pupilColumns[field] = index } else { singleGroup[field] = index }
                    break
                }
            }
        }

        if groups != nil, let field = singleGroup.keys.first {
            // The preset's contacts are numbered groups: one column cannot stand for all of them.
            throw RosterError(
                .unsupported(reason: "columns: names \(field.rawValue), a contact field, but preset \(preset.name) "
                    + "reads contacts from numbered column groups"),
                at: location)
        }
        let contactGroups = groups ?? [singleGroup]
        func describe(_ field: CSVField) -> String {
            let aliases = preset.headers[field] ?? []
            guard preset.name != "canonical", !aliases.isEmpty else { return field.rawValue }
            return "\(field.rawValue) (one of: \(aliases.joined(separator: ", ")))"
        }
        if pupilColumns[.pupilID] == nil, !columnMap.keys.contains(.pupilID) { missing.append(describe(.pupilID)) }
        if !schoolIDGiven, pupilColumns[.schoolID] == nil, !columnMap.keys.contains(.schoolID) {
            missing.append(describe(.schoolID))
        }
        let named = contactGroups.allSatisfy { $0[.familyName] != nil || $0[.name] != nil }
        if contactGroups.isEmpty || !named, !columnMap.keys.contains(.familyName) {
            missing.append(describe(.familyName))
        }
        guard missing.isEmpty else {
            throw RosterError(.missingColumns(missing: missing, found: headers), at: location)
        }
        return CSVLayout(headers: headers, pupilColumns: pupilColumns, contactGroups: contactGroups)
    }

    /// `PARENT_1_NAME`, `parent 2 email`, … grouped by their number, each suffix matched against the
    /// preset's contact field names.
    private static func contactGroups(keys: [String], preset: CSVPreset, used: inout Set<Int>) -> [[CSVField: Int]] {
        var suffixes: [String: CSVField] = [:]
        for (field, aliases) in preset.headers where !field.isPupilField {
            for alias in aliases { suffixes[CSVField.headerKey(alias)] = field }
        }
        var groups: [Int: [CSVField: Int]] = [:]
        for (index, key) in keys.enumerated() where !used.contains(index) {
            for prefix in preset.contactGroupPrefixes.map(CSVField.headerKey) where key.hasPrefix(prefix) {
                let rest = key.dropFirst(prefix.count)
                let digits = rest.prefix { $0.isASCII && $0.isNumber }
                guard let number = Int(digits), let field = suffixes[String(rest.dropFirst(digits.count))] else {
                    continue
                }
                if groups[number, default: [:]][field] == nil {
                    groups[number, default: [:]][field] = index
                    used.insert(index)
                }
                break
            }
        }
        return groups.keys.sorted().map { groups[$0]! }
    }
}
