extension Dictionary where Value == Int32 {
    /// The number filed under `key`, filing `new` there first when there is none, in one look-up: the
    /// `default` subscript finds the key's place once and files the default there. A look-up, then a
    /// store, hashed each new key twice (most e-mail addresses, mobiles and pupil references are new).
    mutating func number(for key: Key, filing new: Int32) -> Int32 {
        Self.held(&self[key, default: new])
    }

    /// The value the `default` subscript's accessor holds, read while it is held.
    private static func held(_ value: inout Int32) -> Int32 { value }
}
