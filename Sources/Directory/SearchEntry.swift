import CLDAP

/// Decodes search result entries (RFC 4511 §4.5.2) straight into `Entry`'s one buffer.
///
/// libldap's `ldap_get_attribute_ber` allocates an array for every attribute's values, and making Swift
/// values of them a String and an array more for each name and value: some forty allocations an entry,
/// 200,000 entries a run. Here libldap only finds each attribute's element (`ber_skip_element`, which
/// allocates nothing); the names and values are read from the BER where they lie and copied once, into
/// the entry's buffer.
struct SearchEntryDecoder {
    /// Each attribute's contents in the message being decoded; kept between entries for its capacity.
    private var contents: [UnsafeRawBufferPointer] = []
    /// The values of the entry being laid out, one after another, and each attribute's name and number
    /// of values (`layout(ofAttributes:)`); kept between entries for their capacity.
    private var values: [UnsafeRawBufferPointer] = []
    private var names: [UnsafeRawBufferPointer] = []
    private var counts: [Int] = []

    /// The entry in `message` (a `LDAP_RES_SEARCH_ENTRY`). Call on the connection's queue.
    mutating func entry(_ ld: OpaquePointer, _ message: OpaquePointer) -> Entry {
        var ber: OpaquePointer?
        var dnValue = berval(bv_len: 0, bv_val: nil)
        guard ldap_get_dn_ber(ld, message, &ber, &dnValue) == LDAP_SUCCESS else {
            if let ber { ber_free(ber, 0) }
            return Entry(dn: "", attributes: [])
        }
        defer { if let ber { ber_free(ber, 0) } }
        let dn = Self.text(of: dnValue)
        contents.removeAll(keepingCapacity: true)
        // The attribute list's elements, each a SEQUENCE; anything else (or the end) ends the list.
        // libldap finds the first; the others lie one after another behind it, up to the message's end
        // (`LBER_OPT_BER_REMAINING_BYTES` from there), and are framed here: a call into libldap for each
        // was a third of the decoding.
        var first = berval(bv_len: 0, bv_val: nil)
        if ber_skip_element(ber, &first) == LBER_SEQUENCE, let base = first.bv_val {
            contents.append(UnsafeRawBufferPointer(start: base, count: Int(first.bv_len)))
            var remaining: ber_len_t = 0
            if ber_get_option(UnsafeMutableRawPointer(ber), LBER_OPT_BER_REMAINING_BYTES, &remaining) == LBER_OPT_SUCCESS {
                Self.sequences(in: UnsafeRawBufferPointer(start: UnsafeRawPointer(base) + Int(first.bv_len), count: Int(remaining)), into: &contents)
            } else {
                while true {
                    var element = berval(bv_len: 0, bv_val: nil)
                    guard ber_skip_element(ber, &element) == LBER_SEQUENCE, let base = element.bv_val else { break }
                    contents.append(UnsafeRawBufferPointer(start: base, count: Int(element.bv_len)))
                }
            }
        }
        return Entry(dn: dn, storage: layout(ofAttributes: contents))
    }

    /// The contents of the SEQUENCEs one after another at the start of `bytes`, up to the first element
    /// that is not one or does not fit (where `ber_skip_element` would end the list: its framing, lengths
    /// of up to eight bytes included).
    static func sequences(in bytes: UnsafeRawBufferPointer, into contents: inout [UnsafeRawBufferPointer]) {
        var offset = 0
        while let element = element(in: bytes, at: offset, lengthBytes: 8), element.tag == 0x30 {
            contents.append(UnsafeRawBufferPointer(rebasing: bytes[element.contents]))
            offset = element.contents.upperBound
        }
    }

    /// UTF-8 text of a berval that points into a message (not NUL-terminated).
    static func text(of value: berval) -> String {
        guard value.bv_len > 0, let base = value.bv_val else { return "" }
        return EntryLayout.string(UnsafeRawBufferPointer(start: base, count: Int(value.bv_len)))
    }

    /// `EntryLayout`'s bytes for attributes given as the contents of their BER `PartialAttribute`s
    /// (`type` OCTET STRING, `vals` SET OF OCTET STRING). The first one that does not parse ends the list,
    /// as libldap's `ldap_get_attribute_ber` would end it.
    static func layout(ofAttributes contents: [UnsafeRawBufferPointer]) -> [UInt8] {
        var decoder = SearchEntryDecoder()
        return decoder.layout(ofAttributes: contents)
    }

    /// `layout(ofAttributes:)` with this decoder's scratch lists, kept between entries for their capacity.
    mutating func layout(ofAttributes contents: [UnsafeRawBufferPointer]) -> [UInt8] {
        // The BER is read once, each attribute's name and values noted (and their size counted, so the
        // buffer is made at its size), then the noted bytes are copied.
        var size = EntryLayout.Size()
        values.removeAll(keepingCapacity: true)
        names.removeAll(keepingCapacity: true)
        counts.removeAll(keepingCapacity: true)
        list: for content in contents {
            guard let attribute = Self.partialAttribute(content) else { break }
            let first = values.count
            var offset = 0
            var counted = EntryLayout.Size()
            while offset < attribute.values.count {
                guard let value = Self.element(in: attribute.values, at: offset) else {
                    values.removeSubrange(first...)
                    break list
                }
                values.append(UnsafeRawBufferPointer(rebasing: attribute.values[value.contents]))
                counted.value(length: value.contents.count)
                offset = value.contents.upperBound
            }
            size.bytes += counted.bytes
            size.attribute(nameLength: attribute.name.count, values: values.count - first)
            names.append(attribute.name)
            counts.append(values.count - first)
        }
        return EntryLayout.write(size) { writer in
            // Plain arrays and indices: a tuple's or a slice's type is looked up at run time on every use.
            var next = 0
            for index in names.indices {
                writer.startAttribute(named: names[index], values: counts[index])
                for value in next..<next + counts[index] { writer.add(value: values[value]) }
                next += counts[index]
            }
        }
    }

    /// The name's bytes and the contents of the value SET.
    static func partialAttribute(_ content: UnsafeRawBufferPointer) -> (name: UnsafeRawBufferPointer, values: UnsafeRawBufferPointer)? {
        guard let type = element(in: content, at: 0), let set = element(in: content, at: type.contents.upperBound) else { return nil }
        return (UnsafeRawBufferPointer(rebasing: content[type.contents]), UnsafeRawBufferPointer(rebasing: content[set.contents]))
    }

    /// The BER element at `offset`: its tag and where its contents lie. Nil when it runs past `bytes` or
    /// is framed as LDAP never frames one (a multi-byte tag, the indefinite length, a length of more than
    /// `lengthBytes` bytes: four unless told).
    @inline(__always)
    static func element(in bytes: UnsafeRawBufferPointer, at offset: Int, lengthBytes: Int = 4) -> (tag: UInt8, contents: Range<Int>)? {
        guard offset >= 0, bytes.count - offset >= 2 else { return nil }
        let tag = bytes[offset]
        guard tag & 0x1F != 0x1F else { return nil }
        var position = offset + 1
        let first = bytes[position]
        position += 1
        var length = UInt64(first)
        if first >= 0x80 {
            let size = Int(first & 0x7F)
            guard size >= 1, size <= lengthBytes, bytes.count - position >= size else { return nil }
            length = 0
            for _ in 0..<size {
                length = length << 8 | UInt64(bytes[position])
                position += 1
            }
        }
        guard length <= UInt64(bytes.count - position) else { return nil }
        return (tag, position..<position + Int(length))
    }
}
