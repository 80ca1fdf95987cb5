/// Relationships as sources write them (CBDS codes in a CTF, free text in a report CSV, roles in
/// OneRoster and SDS) mapped to DESIGN.md Part B's list.
public enum RelationshipNormaliser {
    /// The normalised relationship, or `nil` when the raw value is not one the reader knows (the caller
    /// keeps it raw, normalises it to `.unknown` and warns). A blank value is `.unknown`, not `nil`.
    public static func normalise(_ raw: String?) -> Relationship? {
        guard let raw else { return .unknown }
        let key: String
        if raw.utf8.allSatisfy({ $0 < 0x80 }) {
            // ASCII letters lower-cased from the bytes, in a buffer on the stack: this runs on every row.
            key = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: raw.utf8.count) { buffer in
                var count = 0
                for byte in raw.utf8 {
                    if byte >= 0x61 && byte <= 0x7A {
                        buffer[count] = byte
                        count += 1
                    } else if byte >= 0x41 && byte <= 0x5A {
                        buffer[count] = byte + 0x20
                        count += 1
                    }
                }
                return String(decoding: UnsafeBufferPointer(rebasing: buffer[0..<count]), as: UTF8.self)
            }
        } else {
            key = String(raw.lowercased().filter { $0.isLetter })
        }
        if key.isEmpty { return .unknown }
        return known[key]
    }

    /// Keys are lower-case letters only, so `Step-Mother`, `step mother` and `STEPMOTHER` are one key.
    static let known: [String: Relationship] = {
        var table: [String: Relationship] = [:]
        func add(_ relationship: Relationship, _ words: String...) {
            for word in words { table[word] = relationship }
        }
        // CBDS codes first (CTF `Relationship`), then the words report exports use.
        add(.mother, "pam", "mother", "mum", "mam", "mom", "mummy", "birthmother", "naturalmother")
        add(.father, "paf", "father", "dad", "daddy", "birthfather", "naturalfather")
        add(.stepMother, "stm", "stepmother", "stepmum")
        add(.stepFather, "stf", "stepfather", "stepdad")
        add(.grandmother, "grandmother", "grandma", "gran", "granny", "nan", "nana", "nanna")
        add(.grandfather, "grandfather", "grandad", "granddad", "grandpa")
        add(.grandparent, "grandparent", "grandparents")
        add(.aunt, "aunt", "auntie", "aunty")
        add(.uncle, "uncle")
        add(.sibling, "sibling", "brother", "sister", "stepbrother", "stepsister", "halfbrother", "halfsister")
        add(.fosterCarer, "fom", "fof", "fostercarer", "fostermother", "fosterfather", "fosterparent")
        add(.kinshipCarer, "kinshipcarer", "kinship", "specialguardian", "sgo")
        add(.guardian, "guardian", "legalguardian")
        add(.carer, "car", "carer")
        add(
            .other, "oth", "other", "rel", "fam", "relative", "otherrelative", "familymember", "otherfamilymember",
            "chm", "childminder", "doc", "doctor", "swr", "socialworker", "htc", "headteacher", "tch", "teacher",
            "rlg", "religiouscontact", "othercontact", "neighbour", "friend", "familyfriend", "cousin", "aide"
        )
        // OneRoster and SDS say only "parent": which parent is not known, and that is not a warning.
        add(.unknown, "unknown", "notknown", "parent", "par", "contact")
        return table
    }()
}
