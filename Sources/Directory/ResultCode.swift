/// An LDAP result code (RFC 4511 §4.1.9), or one of libldap's client-side codes (negative numbers).
///
/// A value type rather than an enum, because servers may send codes this list does not know; those keep
/// their number and read as `code N`.
public struct ResultCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    public static let success = ResultCode(rawValue: 0)
    public static let operationsError = ResultCode(rawValue: 1)
    public static let protocolError = ResultCode(rawValue: 2)
    public static let timeLimitExceeded = ResultCode(rawValue: 3)
    public static let sizeLimitExceeded = ResultCode(rawValue: 4)
    public static let compareFalse = ResultCode(rawValue: 5)
    public static let compareTrue = ResultCode(rawValue: 6)
    public static let authMethodNotSupported = ResultCode(rawValue: 7)
    public static let strongerAuthRequired = ResultCode(rawValue: 8)
    public static let referral = ResultCode(rawValue: 10)
    public static let adminLimitExceeded = ResultCode(rawValue: 11)
    public static let unavailableCriticalExtension = ResultCode(rawValue: 12)
    public static let confidentialityRequired = ResultCode(rawValue: 13)
    public static let saslBindInProgress = ResultCode(rawValue: 14)
    public static let noSuchAttribute = ResultCode(rawValue: 16)
    public static let undefinedAttributeType = ResultCode(rawValue: 17)
    public static let inappropriateMatching = ResultCode(rawValue: 18)
    public static let constraintViolation = ResultCode(rawValue: 19)
    public static let attributeOrValueExists = ResultCode(rawValue: 20)
    public static let invalidAttributeSyntax = ResultCode(rawValue: 21)
    public static let noSuchObject = ResultCode(rawValue: 32)
    public static let aliasProblem = ResultCode(rawValue: 33)
    public static let invalidDNSyntax = ResultCode(rawValue: 34)
    public static let aliasDereferencingProblem = ResultCode(rawValue: 36)
    public static let inappropriateAuthentication = ResultCode(rawValue: 48)
    public static let invalidCredentials = ResultCode(rawValue: 49)
    public static let insufficientAccessRights = ResultCode(rawValue: 50)
    public static let busy = ResultCode(rawValue: 51)
    public static let unavailable = ResultCode(rawValue: 52)
    public static let unwillingToPerform = ResultCode(rawValue: 53)
    public static let loopDetect = ResultCode(rawValue: 54)
    public static let namingViolation = ResultCode(rawValue: 64)
    public static let objectClassViolation = ResultCode(rawValue: 65)
    public static let notAllowedOnNonLeaf = ResultCode(rawValue: 66)
    public static let notAllowedOnRDN = ResultCode(rawValue: 67)
    public static let entryAlreadyExists = ResultCode(rawValue: 68)
    public static let objectClassModsProhibited = ResultCode(rawValue: 69)
    public static let affectsMultipleDSAs = ResultCode(rawValue: 71)
    public static let other = ResultCode(rawValue: 80)
    // RFC 5805 transactions.
    public static let cannotCancel = ResultCode(rawValue: 121)
    // libldap's client-side codes (ldap.h: LDAP_SERVER_DOWN and friends).
    public static let serverDown = ResultCode(rawValue: -1)
    public static let localError = ResultCode(rawValue: -2)
    public static let encodingError = ResultCode(rawValue: -3)
    public static let decodingError = ResultCode(rawValue: -4)
    public static let timeout = ResultCode(rawValue: -5)
    public static let authUnknown = ResultCode(rawValue: -6)
    public static let filterError = ResultCode(rawValue: -7)
    public static let paramError = ResultCode(rawValue: -9)
    public static let noMemory = ResultCode(rawValue: -10)
    public static let connectError = ResultCode(rawValue: -11)
    public static let notSupported = ResultCode(rawValue: -12)

    private static let names: [Int32: String] = [
        0: "success", 1: "operationsError", 2: "protocolError", 3: "timeLimitExceeded",
        4: "sizeLimitExceeded", 5: "compareFalse", 6: "compareTrue", 7: "authMethodNotSupported",
        8: "strongerAuthRequired", 10: "referral", 11: "adminLimitExceeded",
        12: "unavailableCriticalExtension", 13: "confidentialityRequired", 14: "saslBindInProgress",
        16: "noSuchAttribute", 17: "undefinedAttributeType", 18: "inappropriateMatching",
        19: "constraintViolation", 20: "attributeOrValueExists", 21: "invalidAttributeSyntax",
        32: "noSuchObject", 33: "aliasProblem", 34: "invalidDNSyntax", 36: "aliasDereferencingProblem",
        48: "inappropriateAuthentication", 49: "invalidCredentials", 50: "insufficientAccessRights",
        51: "busy", 52: "unavailable", 53: "unwillingToPerform", 54: "loopDetect", 64: "namingViolation",
        65: "objectClassViolation", 66: "notAllowedOnNonLeaf", 67: "notAllowedOnRDN",
        68: "entryAlreadyExists", 69: "objectClassModsProhibited", 71: "affectsMultipleDSAs", 80: "other",
        121: "cannotCancel",
        -1: "serverDown", -2: "localError", -3: "encodingError", -4: "decodingError", -5: "timeout",
        -6: "authUnknown", -7: "filterError", -9: "paramError", -10: "noMemory", -11: "connectError",
        -12: "notSupported",
    ]

    /// The RFC 4511 name (`invalidCredentials`), or libldap's name for a client-side code.
    public var name: String { Self.names[rawValue] ?? "code \(rawValue)" }

    public var description: String { "\(name) (\(rawValue))" }

    /// True for codes that mean the connection is gone, so a retry needs a new connection.
    public var meansConnectionLost: Bool {
        self == .serverDown || self == .connectError || self == .timeout
    }
}
