import CLDAP
import Foundation

/// Owns C memory handed to libldap for one request: attribute names, bervals and LDAPMod arrays.
///
/// Everything here is allocated with malloc/strdup and freed in `deinit` with `free`. libldap BER-encodes a
/// request before `ldap_*_ext` returns, so the owner may go as soon as the call has returned. Never hand
/// these to `ldap_mods_free`: that frees through liblber's allocator, not ours.
final class CAllocations {
    private var blocks: [UnsafeMutableRawPointer] = []

    deinit { blocks.forEach { free($0) } }

    /// A NUL-terminated copy of `string`.
    func cString(_ string: String) -> UnsafeMutablePointer<CChar> {
        let pointer = strdup(string)!
        blocks.append(pointer)
        return pointer
    }

    /// A berval over a copy of `bytes` (length-delimited: NULs inside are kept).
    func berval(_ bytes: [UInt8]) -> UnsafeMutablePointer<CLDAP.berval> {
        let value = allocate(CChar.self, count: max(bytes.count, 1))
        bytes.withUnsafeBufferPointer { source in
            if let base = source.baseAddress { memcpy(value, base, bytes.count) }
        }
        let pointer = allocate(CLDAP.berval.self, count: 1)
        pointer.initialize(to: CLDAP.berval(bv_len: ber_len_t(bytes.count), bv_val: value))
        return pointer
    }

    /// A NULL-terminated array of berval pointers.
    func bervalArray(_ values: [[UInt8]]) -> UnsafeMutablePointer<UnsafeMutablePointer<CLDAP.berval>?> {
        let array = allocate(UnsafeMutablePointer<CLDAP.berval>?.self, count: values.count + 1)
        for (index, value) in values.enumerated() { array[index] = berval(value) }
        array[values.count] = nil
        return array
    }

    /// A NULL-terminated array of LDAPMod pointers, each `LDAP_MOD_BVALUES` so values are length-delimited.
    /// An empty value list becomes a NULL value array (delete the whole attribute, or replace with nothing).
    func modArray(_ mods: [(operation: Int32, attribute: String, values: [[UInt8]])])
        -> UnsafeMutablePointer<UnsafeMutablePointer<LDAPMod>?>
    {
        let array = allocate(UnsafeMutablePointer<LDAPMod>?.self, count: mods.count + 1)
        for (index, mod) in mods.enumerated() {
            let pointer = allocate(LDAPMod.self, count: 1)
            let values = mod.values.isEmpty ? nil : bervalArray(mod.values)
            pointer.initialize(
                to: LDAPMod(
                    mod_op: mod.operation | LDAP_MOD_BVALUES,
                    mod_type: cString(mod.attribute),
                    mod_vals: mod_vals_u(modv_bvals: values)
                )
            )
            array[index] = pointer
        }
        array[mods.count] = nil
        return array
    }

    /// A NULL-terminated array of C strings (attribute lists), or nil for an empty list.
    func cStringArray(_ strings: [String]) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? {
        guard !strings.isEmpty else { return nil }
        let array = allocate(UnsafeMutablePointer<CChar>?.self, count: strings.count + 1)
        for (index, string) in strings.enumerated() { array[index] = cString(string) }
        array[strings.count] = nil
        return array
    }

    private func allocate<T>(_ type: T.Type, count: Int) -> UnsafeMutablePointer<T> {
        let raw = malloc(MemoryLayout<T>.stride * count)!
        blocks.append(raw)
        return raw.bindMemory(to: T.self, capacity: count)
    }
}

/// Copies a berval's bytes by its length (values may be binary or hold NULs).
func bytes(of value: UnsafeMutablePointer<CLDAP.berval>) -> [UInt8] {
    let length = Int(value.pointee.bv_len)
    guard length > 0, let base = value.pointee.bv_val else { return [] }
    return base.withMemoryRebound(to: UInt8.self, capacity: length) { Array(UnsafeBufferPointer(start: $0, count: length)) }
}
