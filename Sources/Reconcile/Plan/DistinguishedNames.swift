/// The little DN handling the planner needs. `Reconcile` may not import `Directory`, whose
/// `DistinguishedName` is the full grammar; this only builds a parent's DN and compares DNs.
public enum DistinguishedNames {
    /// `uid=<username>,<base>`, the username escaped as an RFC 4514 attribute value.
    static func parent(username: String, base: String) -> String {
        "uid=\(escapeValue(username)),\(base)"
    }

    /// RFC 4514 §2.4: `, + " \ < > ;` anywhere, `#` or a space first, a space last, and NUL.
    static func escapeValue(_ value: String) -> String {
        var escaped = ""
        let characters = Array(value)
        for (index, character) in characters.enumerated() {
            switch character {
            case ",", "+", "\"", "\\", "<", ">", ";", "=":
                escaped += "\\" + String(character)
            case "#" where index == 0, " " where index == 0 || index == characters.count - 1:
                escaped += "\\" + String(character)
            case "\0":
                escaped += "\\00"
            default:
                escaped.append(character)
            }
        }
        return escaped
    }

    /// A form for comparing DNs the directory may return in another case or spacing
    /// (`uid=a, ou=Parents` and `UID=a,ou=parents` name one entry). Values here are usernames and
    /// configured bases, where case never tells two entries apart.
    static func comparable(_ dn: String) -> String {
        // Nearly every DN is ASCII: folded byte by byte into one buffer, without a lower-case copy or
        // Character iteration (a no-op run of 100,000 parents makes a few hundred thousand of these).
        let utf8 = dn.utf8
        if utf8.allSatisfy({ $0 < 0x80 }) {
            return String(unsafeUninitializedCapacity: utf8.count) { buffer in
                var count = 0
                var pendingSpace = false
                for byte in utf8 {
                    if byte == 0x20 {
                        pendingSpace = true
                        continue
                    }
                    let folded = byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
                    if pendingSpace, count > 0, buffer[count - 1] != 0x2C, buffer[count - 1] != 0x3D, folded != 0x2C, folded != 0x3D {
                        buffer[count] = 0x20
                        count += 1
                    }
                    pendingSpace = false
                    buffer[count] = folded
                    count += 1
                }
                return count
            }
        }
        return comparableByCharacter(dn)
    }

    /// Whether `comparable(dn) == key`, without building `dn`'s form when it is ASCII: the bytes are
    /// folded as `comparable` folds them and compared as they come, so a DN that differs early (every
    /// parent against the role group's own DN) costs a few bytes. Anything else goes through `comparable`.
    static func comparable(_ dn: String, equals key: String) -> Bool {
        var expected = key.utf8.makeIterator()
        var last: UInt8?
        var pendingSpace = false
        for byte in dn.utf8 {
            guard byte < 0x80 else { return comparable(dn) == key }
            if byte == 0x20 {
                pendingSpace = true
                continue
            }
            let folded = byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
            if pendingSpace, let last, last != 0x2C, last != 0x3D, folded != 0x2C, folded != 0x3D {
                guard expected.next() == 0x20 else { return false }
            }
            pendingSpace = false
            guard expected.next() == folded else { return false }
            last = folded
        }
        return expected.next() == nil
    }

    /// `comparable` for any text: lower-cased by Unicode's rules, walked by Character.
    static func comparableByCharacter(_ dn: String) -> String {
        var result = ""
        var pendingSpace = false
        for character in dn.lowercased() {
            if character == " " {
                pendingSpace = true
                continue
            }
            if pendingSpace, let last = result.last, last != ",", last != "=", character != ",", character != "=" {
                result.append(" ")
            }
            pendingSpace = false
            result.append(character)
        }
        return result
    }

    /// The `cn` of a group DN such as `cn=Parents,ou=Groups,dc=example,dc=org`, for creating it; nil
    /// when the first RDN is not a plain `cn=` value.
    public static func commonName(ofGroup dn: String) -> String? {
        guard let comma = dn.firstIndex(of: ",") else { return nil }
        let rdn = dn[..<comma]
        guard rdn.lowercased().hasPrefix("cn="), !rdn.contains("\\"), !rdn.contains("+") else { return nil }
        return String(rdn.dropFirst(3))
    }
}
