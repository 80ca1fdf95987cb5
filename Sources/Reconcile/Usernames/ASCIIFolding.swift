import Foundation

/// Folds a name to plain lower-case ASCII for a username: accents dropped (é→e), letters without a
/// decomposition written out (ø→o, ß→ss, ł→l, æ→ae), anything else that is not a letter or digit
/// dropped. The directory keeps the real spelling in `cn`, `sn` and `givenName`; only `uid` is folded,
/// because VLEs and login forms still choke on non-ASCII usernames.
public enum ASCIIFolding {
    /// `text` folded to lower-case ASCII letters and digits; separators (space, hyphen, apostrophe, dot)
    /// are dropped too, so "O'Brien-Smith" becomes "obriensmith".
    public static func fold(_ text: String) -> String {
        // Most names are plain ASCII already; Foundation's decomposition costs microseconds a call.
        if text.utf8.allSatisfy({ $0 < 0x80 }) {
            // Written straight into the string: most names fit a small string, with no heap buffer.
            return String(unsafeUninitializedCapacity: text.utf8.count) { out in
                var count = 0
                for byte in text.utf8 {
                    switch byte {
                    case 0x41...0x5A: out[count] = byte + 0x20
                    case 0x61...0x7A, 0x30...0x39: out[count] = byte
                    default: continue
                    }
                    count += 1
                }
                return count
            }
        }
        var out = String.UnicodeScalarView()
        for scalar in text.lowercased().decomposedStringWithCanonicalMapping.unicodeScalars {
            if scalar.isASCII {
                if ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) { out.append(scalar) }
            } else if let spelled = spelledOut[scalar] {
                out.append(contentsOf: spelled.unicodeScalars)
            }
            // Combining marks (the accents split off by decomposition) and other scripts are dropped.
        }
        return String(out)
    }

    /// Letters that canonical decomposition leaves whole, with their usual ASCII spelling.
    static let spelledOut: [Unicode.Scalar: String] = [
        "ß": "ss", "ẞ": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th",
        "ı": "i", "ŀ": "l", "ħ": "h", "ŧ": "t", "ŋ": "n", "ĸ": "k", "ſ": "s",
        // Typographic apostrophes and dashes vanish like their ASCII forms.
        "\u{2019}": "", "\u{2018}": "", "\u{2010}": "", "\u{2013}": "",
    ]
}
