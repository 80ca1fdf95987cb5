import Varint

/// One managed parent entry as read from the directory: an entry under `parents_base` that carries
/// `misParent`. Only the attributes the sync owns.
///
/// All values but the DN and the uid are packed into one buffer (`PackedParentValues`): a run holds
/// 100,000 of these through identity resolution's memory peak. The properties below read them as Strings
/// and Sets when asked (and setting one rewrites the buffer); the planner's hot paths read the bytes in place.
public struct CurrentParent: Sendable, Hashable {
    /// The entry's DN as read.
    public var dn: String
    /// Its username, which never changes.
    public var uid: String
    /// The other values (see `PackedParentValues`).
    private(set) var packed: PackedParentValues
    /// Whether `misRole: Parent` is present.
    public var hasParentRole: Bool
    /// nil when the entry has no `misAccountStatus`, or one the sync does not know.
    public var status: AccountStatus?
    /// Whether the entry holds the disable lock (`pwdAccountLockedTime: 000001010000Z` for ppolicy).
    /// A temporary lockout after failed binds is not this lock, and the sync never touches it.
    public var isLocked: Bool

    /// The id given at creation; nil on an entry that lost it (the planner restores it).
    public var misParentId: String? {
        get { packed.string(.misParentId) }
        set { packed.set(.misParentId, single: newValue) }
    }
    /// The source records of the person (`<school_id>/<contact_id>` or positional).
    public var misContactRef: Set<String> {
        get { Set(packed.strings(.misContactRef)) }
        set { packed.set(.misContactRef, list: newValue) }
    }
    /// The pupils the parent may see (`<school_id>/<pupil_id>`).
    public var misChildRef: Set<String> {
        get { Set(packed.strings(.misChildRef)) }
        set { packed.set(.misChildRef, list: newValue) }
    }
    /// DNs of the pupils' own entries.
    public var misChild: Set<String> {
        get { Set(packed.strings(.misChild)) }
        set { packed.set(.misChild, list: newValue) }
    }
    /// The single-valued attributes of the person's details, nil when absent.
    public var cn: String? {
        get { packed.string(.cn) }
        set { packed.set(.cn, single: newValue) }
    }
    public var sn: String? {
        get { packed.string(.sn) }
        set { packed.set(.sn, single: newValue) }
    }
    public var givenName: String? {
        get { packed.string(.givenName) }
        set { packed.set(.givenName, single: newValue) }
    }
    public var displayName: String? {
        get { packed.string(.displayName) }
        set { packed.set(.displayName, single: newValue) }
    }
    public var mail: String? {
        get { packed.string(.mail) }
        set { packed.set(.mail, single: newValue) }
    }
    public var mobile: String? {
        get { packed.string(.mobile) }
        set { packed.set(.mobile, single: newValue) }
    }
    /// `misStatusReason`: the reason codes of the change that set the status.
    public var statusReason: String? {
        get { packed.string(.statusReason) }
        set { packed.set(.statusReason, single: newValue) }
    }
    /// `misStatusSince` as stored (LDAP GeneralizedTime).
    public var statusSince: String? {
        get { packed.string(.statusSince) }
        set { packed.set(.statusSince, single: newValue) }
    }

    public init(
        dn: String, uid: String, misParentId: String?, misContactRef: Set<String>,
        misChildRef: Set<String> = [], misChild: Set<String> = [], cn: String?, sn: String?,
        givenName: String?, displayName: String?, mail: String? = nil, mobile: String? = nil,
        hasParentRole: Bool = true, status: AccountStatus?, statusReason: String? = nil,
        statusSince: String? = nil, isLocked: Bool
    ) {
        self.dn = dn
        self.uid = uid
        // In `PackedParentValues.Field` order.
        self.packed = PackedParentValues(
            singles: [misParentId, cn, sn, givenName, displayName, mail, mobile, statusReason, statusSince],
            lists: [Array(misContactRef), Array(misChildRef), Array(misChild)])
        self.hasParentRole = hasParentRole
        self.status = status
        self.isLocked = isLocked
    }

    /// An entry whose values `packer` packed as they were read (`packer` is left empty for the next).
    public init(dn: String, uid: String, packer: inout Packer, hasParentRole: Bool, status: AccountStatus?, isLocked: Bool) {
        self.dn = dn
        self.uid = uid
        self.packed = packer.finish()
        self.hasParentRole = hasParentRole
        self.status = status
        self.isLocked = isLocked
    }

    /// Reads the packed values in place (valid only inside `body`). Through a pointer, read `packed` first
    /// and call this on it: called on the pointee, the whole entry is copied for the call.
    func withValues<Result>(_ body: (PackedParentValues.Reader) throws -> Result) rethrows -> Result {
        try packed.withReader(body)
    }

    /// The keys fallback matching compares with a person's (see `IdentityKeys`).
    var identityKeys: IdentityKeys {
        IdentityKeys(givenName: givenName, familyName: sn, emails: [mail], mobiles: [mobile])
    }

    /// The schools the entry has records or children at.
    var schools: Set<String> {
        Set(misContactRef.map(schoolOf) + misChildRef.map(schoolOf))
    }

    /// The values of an entry as they are read, attribute by attribute in any order, packed at the end in
    /// `PackedParentValues`' order: not a String or a Set of each value. A reader keeps one for all its
    /// entries, so that its scratch buffer is allocated once (`finish` leaves it empty for the next).
    public struct Packer {
        /// The fields' encodings as they arrived (a list's without its count).
        private var scratch: [UInt8] = []
        /// Each field's bytes in `scratch`; nil when the entry has no such attribute.
        private var pieces: [Range<Int>?] = Array(repeating: nil, count: PackedParentValues.Field.allCases.count)
        /// Each list field's number of values.
        private var counts: [Int] = Array(repeating: 0, count: PackedParentValues.Field.allCases.count)
        /// The list being appended to: its field, where its values start, where the last one starts, and
        /// whether they have all been ASCII, each above the one before (else `endList` sorts them).
        private var list: (field: PackedParentValues.Field, start: Int, last: Int, inOrder: Bool)?

        public init() {
            scratch.reserveCapacity(512)
        }

        /// A single-valued field from its value's bytes (the attribute's first value).
        public mutating func set(_ field: PackedParentValues.Field, single value: UnsafeRawBufferPointer?) {
            let start = scratch.count
            var writer = PackedParentValues.Writer()
            swap(&writer.bytes, &scratch)
            writer.appendSingle(bytes: value)
            swap(&writer.bytes, &scratch)
            pieces[field.rawValue] = start..<scratch.count
        }

        /// Starts a list field: its values follow (`append`), then `endList`.
        public mutating func beginList(_ field: PackedParentValues.Field) {
            list = (field, scratch.count, -1, true)
            counts[field.rawValue] = 0
        }

        /// One value of the list begun.
        public mutating func append(_ value: UnsafeRawBufferPointer) {
            guard var current = list else { return }
            let start = scratch.count
            if current.inOrder {
                current.inOrder = PackedParentValues.isASCII(value)
                    && (current.last < 0 || Self.precedes(lastIn: scratch, at: current.last, value))
            }
            var writer = PackedParentValues.Writer()
            swap(&writer.bytes, &scratch)
            writer.appendVarint(value.count)
            writer.bytes.append(contentsOf: value)
            swap(&writer.bytes, &scratch)
            current.last = start
            list = current
            counts[current.field.rawValue] += 1
        }

        /// Ends the list begun: values not already ASCII and ascending are put in `Set(values).sorted()`'s order.
        public mutating func endList() {
            guard let current = list else { return }
            list = nil
            if !current.inOrder {
                let values = scratch.withUnsafeBytes { raw in
                    PackedParentValues.Values(
                        raw: UnsafeRawBufferPointer(rebasing: raw[current.start...]), count: counts[current.field.rawValue]
                    ).map { String(decoding: $0, as: UTF8.self) }
                }
                scratch.removeSubrange(current.start...)
                var writer = PackedParentValues.Writer()
                writer.appendList(values)
                // The writer's count first, then the values.
                writer.bytes.withUnsafeBytes { raw in
                    var position = 0
                    counts[current.field.rawValue] = Varint.read(raw, at: &position)
                    scratch.append(contentsOf: raw[position...])
                }
            }
            pieces[current.field.rawValue] = current.start..<scratch.count
        }

        /// Whether the value at `offset` in `scratch` (length, then bytes) sorts strictly before `value`.
        private static func precedes(lastIn scratch: [UInt8], at offset: Int, _ value: UnsafeRawBufferPointer) -> Bool {
            scratch.withUnsafeBytes { raw in
                var position = offset
                let length = Varint.read(raw, at: &position)
                let last = UnsafeRawBufferPointer(rebasing: raw[position..<position + length])
                return last.lexicographicallyPrecedes(value)
            }
        }

        /// The values packed, and the packer emptied for the next entry.
        mutating func finish() -> PackedParentValues {
            var size = 0
            for piece in pieces { size += (piece?.count ?? 0) + 2 }
            var writer = PackedParentValues.Writer(capacity: size)
            for field in PackedParentValues.Field.allCases {
                // An attribute the entry lacks: an absent single value, an empty list (both a 0).
                guard let piece = pieces[field.rawValue] else {
                    writer.appendVarint(0)
                    continue
                }
                if field.isList { writer.appendVarint(counts[field.rawValue]) }
                writer.bytes.append(contentsOf: scratch[piece])
            }
            scratch.removeAll(keepingCapacity: true)
            for index in pieces.indices { pieces[index] = nil }
            return PackedParentValues(bytes: writer.bytes)
        }
    }
}

/// `misAccountStatus`.
public enum AccountStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// May log in and is in the role group.
    case active
    /// Locked, no child links, out of the role group.
    case disabled
    /// New, credentials not handed over yet: locked like a disabled account, but with its child links,
    /// and not counted as a disable by the safety gates.
    case pending
}
