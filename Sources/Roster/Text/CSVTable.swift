/// A CSV file read by column name (OneRoster, SDS and manifest files): each row's values keyed by
/// header, the header matched ignoring case, spaces and underscores.
struct CSVTable {
    /// One row: its values by header key, and where it is.
    struct Row {
        let file: String
        let line: Int
        fileprivate let values: [String: String]
        fileprivate let columns: [String: Int]

        /// The trimmed value of column `name`, or `nil` when the column is absent or the value blank.
        subscript(_ name: String) -> String? {
            values[CSVField.headerKey(name)]
        }

        /// The first of several spellings of one column that has a value.
        func first(_ names: String...) -> String? {
            names.lazy.compactMap { self[$0] }.first
        }

        var origin: SourceLocation { SourceLocation(file: file, line: line) }

        func location(_ column: String) -> SourceLocation {
            SourceLocation(file: file, line: line, column: columns[CSVField.headerKey(column)].map { $0 + 1 })
        }
    }

    /// Reads `stream` as the file `name`, requiring the columns `required`, and calls `row` for each row.
    static func read(
        _ stream: some ByteStream, name: String, required: [String], into builder: inout RosterBuilder,
        row: (Row, inout RosterBuilder) -> Void
    ) {
        var columns: [String: Int] = [:]
        CSVFileLoop.run(
            stream, name: name, into: &builder,
            accept: { headers, location throws(RosterError) in
                for (index, header) in headers.enumerated() where !header.isEmpty {
                    let key = CSVField.headerKey(header)
                    if columns[key] == nil { columns[key] = index }
                }
                let missing = required.filter { columns[CSVField.headerKey($0)] == nil }
                guard missing.isEmpty else {
                    throw RosterError(.missingColumns(missing: missing, found: headers), at: location)
                }
            },
            row: { record, decoder, builder in
                var values: [String: String] = [:]
                for (key, index) in columns {
                    let text = record.field(index, file: name, decoder: &decoder).trimmingWhitespace()
                    if !text.isEmpty { values[key] = text }
                }
                row(Row(file: name, line: record.line, values: values, columns: columns), &builder)
            })
    }
}
