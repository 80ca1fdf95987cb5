/// Readings of the small values every format holds as text: flags, dates, priorities.
public enum ValueParser {
    /// `Y/N`, `Yes/No`, `True/False`, `T/F`, `1/0` in any case; blank is `.unknown`; anything else `nil`.
    public static func triState(_ raw: String?) -> TriState? {
        guard let text = raw?.trimmingWhitespace(), !text.isEmpty else { return .unknown }
        switch text.lowercased() {
        case "y", "yes", "true", "t", "1": return .yes
        case "n", "no", "false", "f", "0": return .no
        default: return nil
        }
    }

    /// ISO `yyyy-mm-dd` (a time after it is ignored), `yyyymmdd`, or UK `dd/mm/yyyy` (also with `-` or
    /// `.`); never the US month-first order. `nil` when blank or unreadable.
    public static func date(_ raw: String?) -> CalendarDate? {
        guard let raw else { return nil }
        // Up to three runs of digits split by - / or ., read from the bytes: dates are on every row.
        var numbers: [Int] = []
        var widths: [Int] = []
        var current = 0
        var width = 0
        for byte in raw.utf8 {
            if byte >= 0x30 && byte <= 0x39 {
                guard width < 9 else { return nil }
                current = current * 10 + Int(byte - 0x30)
                width += 1
            } else if byte == UInt8(ascii: "-") || byte == UInt8(ascii: "/") || byte == UInt8(ascii: ".") {
                guard width > 0, numbers.count < 2 else { return nil }
                numbers.append(current)
                widths.append(width)
                current = 0
                width = 0
            } else if byte == UInt8(ascii: "T") || byte == 0x20 {
                if width == 0 && numbers.isEmpty { continue }
                break
            } else {
                return nil
            }
        }
        guard width > 0 else { return nil }
        numbers.append(current)
        widths.append(width)
        if numbers.count == 1, widths[0] == 8 {
            return CalendarDate(year: current / 10000, month: current / 100 % 100, day: current % 100)
        }
        guard numbers.count == 3 else { return nil }
        if widths[0] == 4 { return CalendarDate(year: numbers[0], month: numbers[1], day: numbers[2]) }
        guard widths[2] == 4 else { return nil }
        return CalendarDate(year: numbers[2], month: numbers[1], day: numbers[0])
    }

    /// A contact priority: a whole number of at least 1; `nil` when blank or unreadable.
    public static func priority(_ raw: String?) -> Int? {
        guard let text = raw?.trimmingWhitespace(), let value = Int(text), value >= 1 else { return nil }
        return value
    }

    /// True when the value is blank or only white space.
    public static func isBlank(_ raw: String?) -> Bool {
        raw?.trimmingWhitespace().isEmpty ?? true
    }
}

extension StringProtocol where UTF8View: BidirectionalCollection, UTF8View.Index == String.Index, Index == String.Index {
    /// Without leading and trailing white space (including the no-break spaces spreadsheets leave).
    ///
    /// Works on UTF-8 bytes: it runs on every field of every row, and Unicode property look-ups per
    /// character cost more than the rest of reading a row.
    func trimmingWhitespace() -> String {
        let bytes = utf8
        guard let firstByte = bytes.first, let lastByte = bytes.last else { return "" }
        if !Self.isSpaceByte(firstByte), !Self.isSpaceByte(lastByte), lastByte != 0xA0 { return String(self) }
        var start = bytes.startIndex
        var end = bytes.endIndex
        while start < end {
            if Self.isSpaceByte(bytes[start]) {
                start = bytes.index(after: start)
            } else if bytes[start] == 0xC2, bytes.index(after: start) < end, bytes[bytes.index(after: start)] == 0xA0 {
                start = bytes.index(start, offsetBy: 2)
            } else {
                break
            }
        }
        while end > start {
            let last = bytes.index(before: end)
            if Self.isSpaceByte(bytes[last]) {
                end = last
            } else if bytes[last] == 0xA0, last > start, bytes[bytes.index(before: last)] == 0xC2 {
                end = bytes.index(before: last)
            } else {
                break
            }
        }
        return String(self[start..<end])
    }
}

extension StringProtocol {
    @inline(__always)
    static func isSpaceByte(_ byte: UInt8) -> Bool {
        byte == 0x20 || (0x09...0x0D).contains(byte)
    }

    /// True when the text holds a line break (a quoted CSV field that spans lines).
    var containsLineBreak: Bool {
        utf8.contains { $0 == 0x0A || $0 == 0x0D }
    }
}
