/// Readings of the small values every format holds as text: flags, dates, priorities.
public enum ValueParser {
    /// `Y/N`, `Yes/No`, `True/False`, `T/F`, `1/0` in any case; blank is `.unknown`; anything else `nil`.
    public static func triState(_ raw: String?) -> TriState? {
        guard let raw else { return .unknown }
        return triState(utf8: raw.utf8)
    }

    /// `triState` on UTF-8 bytes, so that a CSV reader need not make a string of every flag.
    static func triState<Bytes: Sequence<UInt8>>(utf8 raw: Bytes) -> TriState? {
        // Compared as lower-cased ASCII bytes, trimmed: flags are on every row, several times.
        var word: UInt64 = 0
        var length = 0
        var ended = false
        for byte in raw {
            if byte == 0x20 || byte == 0x09 {
                ended = length > 0
                continue
            }
            guard !ended, length < 5, byte < 0x80 else { return nil }
            let lower = byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte
            word = word << 8 | UInt64(lower)
            length += 1
        }
        switch word {
        case 0: return .unknown
        case Self.packed("y"), Self.packed("yes"), Self.packed("true"), Self.packed("t"), Self.packed("1"): return .yes
        case Self.packed("n"), Self.packed("no"), Self.packed("false"), Self.packed("f"), Self.packed("0"): return .no
        default: return nil
        }
    }

    /// An ASCII word of up to eight letters as one number, for `triState`'s switch.
    private static func packed(_ word: StaticString) -> UInt64 {
        var value: UInt64 = 0
        word.withUTF8Buffer { for byte in $0 { value = value << 8 | UInt64(byte) } }
        return value
    }

    /// ISO `yyyy-mm-dd` (a time after it is ignored), `yyyymmdd`, or UK `dd/mm/yyyy` (also with `-` or
    /// `.`); never the US month-first order. `nil` when blank or unreadable.
    public static func date(_ raw: String?) -> CalendarDate? {
        guard let raw else { return nil }
        return date(utf8: raw.utf8)
    }

    /// `date` on UTF-8 bytes, so that a CSV reader need not make a string of every date.
    static func date<Bytes: Sequence<UInt8>>(utf8 raw: Bytes) -> CalendarDate? {
        // Up to three runs of digits split by - / or ., read from the bytes: dates are on every row.
        var numbers = (0, 0, 0)
        var widths = (0, 0, 0)
        var count = 0
        var current = 0
        var width = 0
        func push() {
            switch count {
            case 0: (numbers.0, widths.0) = (current, width)
            case 1: (numbers.1, widths.1) = (current, width)
            default: (numbers.2, widths.2) = (current, width)
            }
            count += 1
        }
        for byte in raw {
            if byte >= 0x30 && byte <= 0x39 {
                guard width < 9 else { return nil }
                current = current * 10 + Int(byte - 0x30)
                width += 1
            } else if byte == UInt8(ascii: "-") || byte == UInt8(ascii: "/") || byte == UInt8(ascii: ".") {
                guard width > 0, count < 2 else { return nil }
                push()
                current = 0
                width = 0
            } else if byte == UInt8(ascii: "T") || byte == 0x20 {
                if width == 0 && count == 0 { continue }
                break
            } else {
                return nil
            }
        }
        guard width > 0 else { return nil }
        push()
        if count == 1, widths.0 == 8 {
            return CalendarDate(year: current / 10000, month: current / 100 % 100, day: current % 100)
        }
        guard count == 3 else { return nil }
        if widths.0 == 4 { return CalendarDate(year: numbers.0, month: numbers.1, day: numbers.2) }
        guard widths.2 == 4 else { return nil }
        return CalendarDate(year: numbers.2, month: numbers.1, day: numbers.0)
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
        // From the contiguous bytes when there are some: it runs on every address line of every row.
        if let found = utf8.withContiguousStorageIfAvailable({ $0.contains { $0 == 0x0A || $0 == 0x0D } }) {
            return found
        }
        return utf8.contains { $0 == 0x0A || $0 == 0x0D }
    }
}
