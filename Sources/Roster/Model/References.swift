/// The reference of a pupil in every report and in `misChildRef`: `<school_id>/<pupil_id>` (DESIGN.md Part B).
public struct PupilReference: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// The school's id: the config's `school_id`, the file's column, or a CTF's LEA and Estab joined.
    public var schoolID: String
    /// The pupil's id in that school's MIS (a CTF pupil's UPN, else its ApplicationReference).
    public var pupilID: String

    public init(schoolID: String, pupilID: String) {
        self.schoolID = schoolID
        self.pupilID = pupilID
    }

    /// `<school_id>/<pupil_id>`.
    // Joined by hand: interpolation reserves a heap buffer even when the result fits a small string.
    public var description: String { schoolID + "/" + pupilID }

    /// By school, then pupil id.
    public static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.schoolID, lhs.pupilID) < (rhs.schoolID, rhs.pupilID)
    }
}

/// The reference of one contact record (`misContactRef`, dedupe's `records`).
///
/// `<school_id>/<contact_id>` when the source gives contact ids. Sources without them (CTF, flat
/// `PARENT_n_*` CSVs) give `<school_id>/<pupil_id>/<n>`, `n` being the contact's position (1, 2, …) among
/// that pupil's contacts in the file: such a reference shifts when the MIS reorders contacts, so policy
/// files refuse it (`isPositional`).
public struct ContactReference: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// How the contact is identified inside its school.
    public enum Key: Sendable, Hashable, Codable {
        /// The MIS's own contact id.
        case contactID(String)
        /// The contact's position (1-based) among one pupil's contacts, for sources without ids.
        case position(pupilID: String, index: Int)
    }

    /// The school's id.
    public var schoolID: String
    /// The contact id, or the pupil and position.
    public var key: Key

    public init(schoolID: String, key: Key) {
        self.schoolID = schoolID
        self.key = key
    }

    /// A reference by the MIS's contact id.
    public static func id(_ contactID: String, school schoolID: String) -> Self {
        Self(schoolID: schoolID, key: .contactID(contactID))
    }

    /// A reference by position among a pupil's contacts.
    public static func position(_ index: Int, of pupil: PupilReference) -> Self {
        Self(schoolID: pupil.schoolID, key: .position(pupilID: pupil.pupilID, index: index))
    }

    /// True for `<school_id>/<pupil_id>/<n>` references, which shift when the MIS reorders contacts.
    public var isPositional: Bool {
        if case .position = key { return true }
        return false
    }

    /// `<school_id>/<contact_id>` or `<school_id>/<pupil_id>/<n>`.
    public var description: String {
        switch key {
        // Joined by hand: interpolation reserves a heap buffer even when the result fits a small string.
        case .contactID(let id): schoolID + "/" + id
        case .position(let pupilID, let index): schoolID + "/" + pupilID + "/" + String(index)
        }
    }

    /// Ordered by their text, so that "the lowest record reference" (dedupe's stable id) is well defined.
    public static func < (lhs: Self, rhs: Self) -> Bool {
        lhs.description < rhs.description
    }
}
