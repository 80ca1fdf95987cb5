/// The names of the attributes the sync owns on a parent entry (DESIGN.md Part A, "The directory
/// layout we write").
public enum ParentAttribute {
    public static let objectClass = "objectClass"
    public static let uid = "uid"
    public static let cn = "cn"
    public static let sn = "sn"
    public static let givenName = "givenName"
    public static let displayName = "displayName"
    public static let mail = "mail"
    public static let mobile = "mobile"
    public static let misParentId = "misParentId"
    public static let misContactRef = "misContactRef"
    public static let misChildRef = "misChildRef"
    public static let misChild = "misChild"
    public static let misRole = "misRole"
    public static let misAccountStatus = "misAccountStatus"
    public static let misStatusReason = "misStatusReason"
    public static let misStatusSince = "misStatusSince"
    /// The ppolicy lock; the only `disable_method` the sync accepts until the others are tested.
    public static let pwdAccountLockedTime = "pwdAccountLockedTime"

    /// The object classes of a new parent entry.
    public static let objectClasses = ["inetOrgPerson", "misParent"]
    /// The value of `misRole`.
    public static let parentRole = "Parent"
    /// The ppolicy value that locks an account until an administrator removes it (not a lockout that
    /// expires after `pwdLockoutDuration`).
    public static let permanentLock = "000001010000Z"
    /// The `member` attribute of the role group.
    public static let member = "member"
}

/// The school id of a reference (`<school_id>/<pupil_id>`, `<school_id>/<contact_id>`, or
/// `<school_id>/<pupil_id>/<n>`): everything before the first slash.
func schoolOf(_ reference: String) -> String {
    reference.firstIndex(of: "/").map { String(reference[..<$0]) } ?? reference
}
