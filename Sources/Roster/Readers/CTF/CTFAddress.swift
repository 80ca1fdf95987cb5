/// A CTF `<Address>` block as it is read: BS7666 parts or plain lines, then county and postcode, or
/// only `AddressAsPupil`.
struct CTFAddress {
    var asPupil = false
    // Fixed slots, one per element kept: a dictionary per address cost a hash per element.
    private var saon, paon, street, locality, town, postTown, administrativeArea: String?
    private var line1, line2, line3, line4, line5, county, postCode: String?

    /// Takes the text of element `tag` inside `<Address>`; `false` when the element is not one this
    /// reader keeps. A later value of an element replaces an earlier one.
    mutating func set(_ tag: CTFTag, _ text: String) -> Bool {
        if tag == .addressAsPupil {
            asPupil = ValueParser.triState(text) == .yes
            return true
        }
        let value: String? = text.isEmpty ? nil : text
        func keep(_ slot: inout String?) {
            if let value { slot = value }
        }
        switch tag {
        case .saon: keep(&saon)
        case .paon: keep(&paon)
        case .street: keep(&street)
        case .locality: keep(&locality)
        case .town: keep(&town)
        case .postTown: keep(&postTown)
        case .administrativeArea: keep(&administrativeArea)
        case .addressLine1: keep(&line1)
        case .addressLine2: keep(&line2)
        case .addressLine3: keep(&line3)
        case .addressLine4: keep(&line4)
        case .addressLine5: keep(&line5)
        case .county: keep(&county)
        case .postCode: keep(&postCode)
        default: return false
        }
        return true
    }

    /// The model's address, or `nil` when nothing but "as pupil" was said.
    var postalAddress: PostalAddress? {
        let bs7666 = [saon, paon, street, locality].compactMap { $0 }
        let lines = [line1, line2, line3, line4].compactMap { $0 }
        let address = PostalAddress(
            lines: bs7666.isEmpty ? lines : bs7666,
            town: town ?? postTown ?? line5, county: county ?? administrativeArea, postcode: postCode,
            normalisedPostcode: PostcodeNormaliser.normalise(postCode))
        return address.isEmpty ? nil : address
    }
}
