/// A CTF `<Address>` block as it is read: BS7666 parts or plain lines, then county and postcode, or
/// only `AddressAsPupil`.
struct CTFAddress {
    var asPupil = false
    var parts: [String: String] = [:]

    /// The elements inside `<Address>` this reader keeps.
    static let elements: Set<String> = [
        "AddressAsPupil", "SAON", "PAON", "Street", "Locality", "Town", "PostTown", "AdministrativeArea",
        "AddressLine1", "AddressLine2", "AddressLine3", "AddressLine4", "AddressLine5", "County", "PostCode",
    ]

    mutating func set(_ element: String, _ text: String) {
        if element == "AddressAsPupil" {
            asPupil = ValueParser.triState(text) == .yes
        } else if !text.isEmpty {
            parts[element] = text
        }
    }

    /// The model's address, or `nil` when nothing but "as pupil" was said.
    var postalAddress: PostalAddress? {
        let bs7666 = ["SAON", "PAON", "Street", "Locality"].compactMap { parts[$0] }
        let lines = ["AddressLine1", "AddressLine2", "AddressLine3", "AddressLine4"].compactMap { parts[$0] }
        let town = parts["Town"] ?? parts["PostTown"] ?? parts["AddressLine5"]
        let address = PostalAddress(
            lines: bs7666.isEmpty ? lines : bs7666,
            town: town, county: parts["County"] ?? parts["AdministrativeArea"], postcode: parts["PostCode"],
            normalisedPostcode: PostcodeNormaliser.normalise(parts["PostCode"]))
        return address.isEmpty ? nil : address
    }
}
