import Directory
import Reconcile
import Varint

/// The managed parents' entries as a run holds them: the planner's view of each (`CurrentParent`, whose
/// packed values the run needs anyway) and each entry's shape, from which the entry as read is made again
/// when asked for, byte for byte.
///
/// A run held both every entry as read and the planner's view of it: at 100,000 parents some 55 MB of
/// entry buffers beside the 34 MB of views, through identity resolution's memory peak and the writes.
/// Most of an entry is values the view holds already; the rest (the attribute names as the server spelled
/// them and in its order, `objectClass`, `misRole`, …) is the same for thousands of entries: one `Shape`
/// for all of them.
///
/// An attribute's values come from the view only where the view gives them back exactly: the first
/// attribute of a field's name (the one the view reads), ASCII values, a single-valued field with exactly
/// one value, a list strictly ascending (the order the view keeps them in). Any other attribute is kept in
/// the shape as read, so every entry comes back equal to the one read (`ParentEntriesTests`).
public struct ParentEntries: Sendable {
    /// The planner's view of each entry, in the order read.
    public private(set) var current: [CurrentParent]
    /// Each entry's shape, by position in `shapes`.
    private var shapeOf: [UInt32]
    private var shapes: [Shape]

    /// The entries as read (each made into a view and a shape).
    public init(_ entries: [Entry]) {
        var builder = Builder()
        for entry in entries { builder.append(entry) }
        self = builder.finish()
    }

    fileprivate init(current: [CurrentParent], shapeOf: [UInt32], shapes: [Shape]) {
        self.current = current
        self.shapeOf = shapeOf
        self.shapes = shapes
    }

    public var count: Int { current.count }

    /// How many shapes the entries take (entries written alike share one).
    var shapeCount: Int { shapes.count }

    /// The DN of the entry at `index`, as read.
    public func dn(at index: Int) -> String { current[index].dn }

    /// The entry at `index`, as read.
    public func entry(at index: Int) -> Entry {
        let parent = current[index]
        let attributes = shapes[Int(shapeOf[index])].items.map { item -> Attribute in
            switch item {
            case .literal(let attribute): attribute
            case .field(let name, let field): Attribute(name, values: Self.values(of: field, in: parent))
            }
        }
        return Entry(dn: parent.dn, attributes: attributes)
    }

    /// Every entry, as read, in the order read (each made anew: for commands that read them all).
    public var entries: [Entry] { (0..<count).map(entry(at:)) }

    /// The entries whose DN `isWanted` accepts, made anew: a run that writes to a few hundred entries
    /// makes only those.
    public func entries(where isWanted: (String) -> Bool) -> [Entry] {
        current.indices.filter { isWanted(current[$0].dn) }.map(entry(at:))
    }

    /// A field's values as the view holds them (the bytes read, for the fields `Shape` takes from it).
    private static func values(of field: ParentField, in parent: CurrentParent) -> [[UInt8]] {
        func single(_ value: String?) -> [[UInt8]] { value.map { [Array($0.utf8)] } ?? [] }
        func list(_ values: Set<String>) -> [[UInt8]] { values.sorted().map { Array($0.utf8) } }
        return switch field {
        case .uid: [Array(parent.uid.utf8)]
        case .misParentId: single(parent.misParentId)
        case .misContactRef: list(parent.misContactRef)
        case .misChildRef: list(parent.misChildRef)
        case .misChild: list(parent.misChild)
        case .cn: single(parent.cn)
        case .sn: single(parent.sn)
        case .givenName: single(parent.givenName)
        case .displayName: single(parent.displayName)
        case .mail: single(parent.mail)
        case .mobile: single(parent.mobile)
        case .misStatusReason: single(parent.statusReason)
        case .misStatusSince: single(parent.statusSince)
        // Not held as values by the view: never taken from it (see `Builder.takesFromView`).
        case .misRole, .misAccountStatus, .pwdAccountLockedTime: []
        }
    }

    /// What an entry is but for the values its view holds: its attributes in order, each either as read
    /// or a name whose values the view gives.
    struct Shape: Sendable {
        enum Item: Sendable {
            case literal(Attribute)
            case field(name: String, ParentField)
        }
        var items: [Item]
    }

    /// Makes the views and the shapes entry by entry, as a read brings them; one shape for all the
    /// entries alike.
    struct Builder {
        private var current: [CurrentParent] = []
        private var shapeOf: [UInt32] = []
        private var shapes: [Shape] = []
        /// Each shape's key (`key`): only while reading.
        private var known: [[UInt8]: UInt32] = [:]
        /// The key of the entry being added, kept for its capacity.
        private var key: [UInt8] = []
        /// The key of the entry added last (its shape is the last of `shapeOf`).
        private var lastKey: [UInt8] = []
        /// The scratch buffer each view is packed in, kept for the next.
        private var packer = CurrentParent.Packer()
        /// The names of the entry added last, found in `ParentField.names`.
        private var lookup = AttributeNameLookup(ParentField.names)

        init() {}

        var count: Int { current.count }

        mutating func append(_ entry: Entry) {
            // Out of `self` while the view's pass over the entry fills it.
            var building: [UInt8] = []
            swap(&building, &key)
            building.removeAll(keepingCapacity: true)
            var nonASCIIName = false
            // One pass: the view, and the key of the entry's shape from the same names found.
            let parent = CurrentParent(entry, packer: &packer, lookup: &lookup) { attribute, found, field in
                if !found.isASCII { nonASCIIName = true }
                if let field, Self.takesFromView(field, attribute.values) {
                    building.append(1)
                    building.append(UInt8(field.rawValue))
                    // The name as the schema spells it (nearly always) is known by the field alone.
                    if found.isSpelledAsListed {
                        building.append(1)
                    } else {
                        building.append(0)
                        Self.appendBytes(attribute.name, to: &building)
                    }
                } else {
                    building.append(0)
                    Self.appendBytes(attribute.name, to: &building)
                    Varint.append(attribute.values.count, to: &building)
                    for value in attribute.values { Self.appendBytes(value, to: &building) }
                }
            }
            current.append(parent)
            swap(&building, &key)
            // Entries read one after another are nearly always alike: the last shape is tried before the table.
            if !nonASCIIName, let last = shapeOf.last, key == lastKey {
                shapeOf.append(last)
                return
            }
            swap(&key, &lastKey)
            if let known = known[lastKey], !nonASCIIName {
                shapeOf.append(known)
                return
            }
            // A name that is not ASCII (never in practice: RFC 4512 names are) would not come back through
            // a String as read: the whole entry is its own shape of literal bytes.
            let shape = nonASCIIName ? Shape(items: entry.attributes.map(Shape.Item.literal)) : Self.shape(of: entry, key: lastKey)
            let position = UInt32(shapes.count)
            shapes.append(shape)
            if !nonASCIIName { known[lastKey] = position }
            shapeOf.append(position)
        }

        /// The shape `key` describes for `entry`.
        private static func shape(of entry: Entry, key: [UInt8]) -> Shape {
            var items: [Shape.Item] = []
            var position = 0
            for attribute in entry.attributes {
                let fromView = key[position] == 1
                if fromView {
                    items.append(.field(name: attribute.name, ParentField(rawValue: Int(key[position + 1]))!))
                } else {
                    items.append(.literal(attribute))
                }
                // Past this attribute's part of the key.
                if fromView {
                    position += 3
                    if key[position - 1] == 0 { position = skipBytes(key, position) }
                } else {
                    position = skipBytes(key, position + 1)
                    let count = Varint.read(key, at: &position)
                    for _ in 0..<count { position = skipBytes(key, position) }
                }
            }
            return Shape(items: items)
        }

        /// Whether `field`'s values can be taken from the view and come back as read.
        static func takesFromView(_ field: ParentField, _ values: Entry.Values) -> Bool {
            guard values.allSatisfy({ value in value.allSatisfy { $0 < 0x80 } }) else { return false }
            switch field {
            case .misRole, .misAccountStatus, .pwdAccountLockedTime:
                return false
            case .misContactRef, .misChildRef, .misChild:
                // The view keeps a list distinct and sorted.
                var last: UnsafeRawBufferPointer?
                for value in values {
                    if let last, !last.lexicographicallyPrecedes(value) { return false }
                    last = value
                }
                return true
            default:
                return values.count == 1
            }
        }

        func finish() -> ParentEntries {
            ParentEntries(current: current, shapeOf: shapeOf, shapes: shapes)
        }

        private static func appendBytes(_ bytes: UnsafeRawBufferPointer, to key: inout [UInt8]) {
            Varint.append(bytes.count, to: &key)
            key.append(contentsOf: bytes)
        }


        private static func skipBytes(_ key: [UInt8], _ position: Int) -> Int {
            var position = position
            let length = Varint.read(key, at: &position)
            return position + length
        }
    }
}
