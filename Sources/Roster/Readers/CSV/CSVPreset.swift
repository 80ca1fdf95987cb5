/// The header names of the common UK report exports, for `sources[].preset`.
///
/// Each field lists the headers that mean it, tried in order; a header is used by one field only, and
/// pupil fields claim theirs first, so an export with `Forename` twice (pupil's, then contact's) maps
/// both. The vendor header names follow the field names in the vendors' documentation
/// (research/mis-formats.md §3); a school whose report differs adds a `columns:` map.
public struct CSVPreset: Sendable, Hashable {
    /// The name `sources[].preset` gives.
    public var name: String
    /// Headers for each field, in the order they are tried.
    public var headers: [CSVField: [String]]
    /// Header prefixes of repeated contact groups (`PARENT_1_NAME`, `PARENT_2_NAME`): a row then holds
    /// a pupil and up to n contacts, none with an id.
    public var contactGroupPrefixes: [String]

    /// Every preset by name: `canonical`, `sims`, `arbor`, `bromcom`, `flat`.
    public static let all: [String: CSVPreset] = Dictionary(
        uniqueKeysWithValues: [canonical, sims, arbor, bromcom, flat].map { ($0.name, $0) })

    /// The canonical columns of DESIGN.md Part B, by their own names.
    public static let canonical = CSVPreset(
        name: "canonical",
        headers: Dictionary(uniqueKeysWithValues: CSVField.allCases.map { ($0, [$0.rawValue]) }),
        contactGroupPrefixes: [])

    /// SIMS contact reports (Reporting Engine / "Student contacts" export).
    public static let sims = CSVPreset(
        name: "sims",
        headers: [
            .schoolID: ["LAEstab", "DfE Number", "School ID"],
            .pupilID: ["Adno", "Admission Number", "Pupil ID", "Student ID", "Person ID"],
            .upn: ["UPN"],
            .pupilGivenName: ["Legal Forename", "Pupil Forename", "Forename"],
            .pupilFamilyName: ["Legal Surname", "Pupil Surname", "Surname"],
            .preferredGivenName: ["Preferred Forename"],
            .yearGroup: ["Year", "Year Group", "NC Year Actual"],
            .regGroup: ["Reg", "Reg Group", "Registration Group"],
            .dateOfBirth: ["DOB", "Date of Birth"],
            .lookedAfter: ["In Care", "Looked After"],
            .leavingDate: ["Leaving Date", "Date of Leaving"],
            .contactID: ["Contact ID", "Contact Person ID", "Parent ID"],
            .title: ["Contact Title", "Title"],
            .givenName: ["Contact Forename", "Forename"],
            .familyName: ["Contact Surname", "Surname"],
            .relationship: ["Relationship", "Contact Relationship", "Relationship to Pupil"],
            .priority: ["Priority", "Contact Priority"],
            .parentalResponsibility: ["Parental Responsibility", "Parental Resp"],
            .courtOrder: ["Court Order", "Court Order Restriction"],
            .livesWithPupil: ["Lives With Pupil", "Lives With"],
            .email: ["Contact Email", "Primary Email", "Home Email", "Email"],
            .mobile: ["Contact Mobile", "Mobile", "Mobile Number"],
            .homePhone: ["Home Telephone", "Main Telephone", "Home Phone"],
            .workPhone: ["Work Telephone", "Work Phone"],
            .addressLine1: ["Address Line 1", "House Name/Number"],
            .addressLine2: ["Address Line 2", "Street"],
            .addressLine3: ["Address Line 3", "Locality"],
            .town: ["Town"],
            .county: ["County"],
            .postcode: ["Postcode", "Post Code"],
        ],
        contactGroupPrefixes: [])

    /// Arbor guardian exports: "Legal Guardian" is parental responsibility.
    public static let arbor = CSVPreset(
        name: "arbor",
        headers: [
            .schoolID: ["School ID", "LAEstab"],
            .pupilID: ["Student ID", "Arbor Student ID", "MIS ID"],
            .upn: ["UPN"],
            .pupilGivenName: ["Student Legal First Name", "Student First Name", "Student Forename"],
            .pupilFamilyName: ["Student Legal Last Name", "Student Last Name", "Student Surname"],
            .preferredGivenName: ["Student Preferred First Name"],
            .yearGroup: ["Year Group", "Year"],
            .regGroup: ["Registration Form", "Reg Form", "Form"],
            .dateOfBirth: ["Student Date of Birth", "Date of Birth"],
            .lookedAfter: ["Looked After", "In Care"],
            .leavingDate: ["Leaving Date", "End Date"],
            .contactID: ["Guardian ID", "Contact ID"],
            .title: ["Guardian Title", "Title"],
            .givenName: ["Guardian First Name", "Guardian Forename"],
            .familyName: ["Guardian Last Name", "Guardian Surname"],
            .relationship: ["Relationship", "Guardian Relationship"],
            .priority: ["Contact Priority", "Priority"],
            .parentalResponsibility: ["Legal Guardian", "Parental Responsibility"],
            .courtOrder: ["Court Order", "Court Order Restriction"],
            .livesWithPupil: ["Lives With Student", "Lives With"],
            .email: ["Guardian Email", "Email Address", "Email"],
            .mobile: ["Guardian Mobile", "Mobile Number", "Mobile"],
            .homePhone: ["Home Phone", "Home Telephone"],
            .workPhone: ["Work Phone", "Work Telephone"],
            .addressLine1: ["Address Line 1"],
            .addressLine2: ["Address Line 2"],
            .addressLine3: ["Address Line 3"],
            .town: ["Town", "Town/City"],
            .county: ["County"],
            .postcode: ["Postcode"],
        ],
        contactGroupPrefixes: [])

    /// Bromcom contact exports: the linked-student tab's names.
    public static let bromcom = CSVPreset(
        name: "bromcom",
        headers: [
            .schoolID: ["School ID", "DfE Number"],
            .pupilID: ["Student ID", "Student Id", "Admission No"],
            .upn: ["UPN"],
            .pupilGivenName: ["Student Legal Forename", "Student Forename", "Student First Name"],
            .pupilFamilyName: ["Student Legal Surname", "Student Surname", "Student Last Name"],
            .preferredGivenName: ["Student Preferred Forename"],
            .yearGroup: ["Year Group", "Year"],
            .regGroup: ["Tutor Group", "Form Group", "Reg Group"],
            .dateOfBirth: ["Student Date of Birth", "Date of Birth", "DOB"],
            .lookedAfter: ["In Care", "Looked After"],
            .leavingDate: ["Leaving Date", "Date of Leaving"],
            .contactID: ["Contact ID", "Contact Id"],
            .title: ["Contact Title", "Title"],
            .givenName: ["Contact Forename", "Contact First Name"],
            .familyName: ["Contact Surname", "Contact Last Name"],
            .relationship: ["Relationship", "Contact Relationship"],
            .priority: ["Contact Priority", "Priority"],
            .parentalResponsibility: ["Parental Responsibility"],
            .courtOrder: ["Court Order Restricted Access", "Court Order"],
            .livesWithPupil: ["Lives With Student", "Lives With"],
            .email: ["Contact Email", "Email"],
            .mobile: ["Contact Mobile", "Mobile Phone", "Mobile"],
            .homePhone: ["Home Phone", "Home Telephone"],
            .workPhone: ["Work Phone", "Work Telephone"],
            .addressLine1: ["Address Line 1"],
            .addressLine2: ["Address Line 2"],
            .addressLine3: ["Address Line 3"],
            .town: ["Town"],
            .county: ["County"],
            .postcode: ["Postcode", "Post Code"],
        ],
        contactGroupPrefixes: [])

    /// One row per pupil with `PARENT_1_*`, `PARENT_2_*` … column groups and no contact ids (class-list
    /// exports for third parties). The pupil id is the first of the id columns found.
    public static let flat = CSVPreset(
        name: "flat",
        headers: [
            .schoolID: ["CHILD_SCHOOL_URN", "CHILD_SCHOOL_ID", "SCHOOL_URN", "SCHOOL_ID"],
            .pupilID: ["CHILD_ID", "CHILD_MIS_ID", "CHILD_UPN", "CHILD_NHS_NUMBER", "PUPIL_ID"],
            .upn: ["CHILD_UPN", "UPN"],
            .pupilGivenName: ["CHILD_FIRST_NAME", "CHILD_GIVEN_NAME"],
            .pupilFamilyName: ["CHILD_LAST_NAME", "CHILD_FAMILY_NAME"],
            .preferredGivenName: ["CHILD_PREFERRED_FIRST_NAME", "CHILD_PREFERRED_GIVEN_NAME"],
            .yearGroup: ["CHILD_YEAR_GROUP"],
            .regGroup: ["CHILD_REGISTRATION", "CHILD_REG_GROUP"],
            .dateOfBirth: ["CHILD_DATE_OF_BIRTH"],
            .lookedAfter: ["CHILD_LOOKED_AFTER"],
            .leavingDate: ["CHILD_LEAVING_DATE"],
            // Inside each group, after the prefix and number.
            .contactID: ["ID"],
            .title: ["TITLE"],
            .givenName: ["FIRST_NAME", "GIVEN_NAME", "FORENAME"],
            .familyName: ["LAST_NAME", "FAMILY_NAME", "SURNAME"],
            .name: ["NAME", "FULL_NAME"],
            .relationship: ["RELATIONSHIP"],
            .priority: ["PRIORITY"],
            .parentalResponsibility: ["PARENTAL_RESPONSIBILITY", "PR"],
            .courtOrder: ["COURT_ORDER"],
            .livesWithPupil: ["LIVES_WITH_PUPIL", "LIVES_WITH_CHILD"],
            .accessWithdrawn: ["ACCESS_WITHDRAWN"],
            .email: ["EMAIL"],
            .mobile: ["MOBILE"],
            .homePhone: ["HOME_PHONE"],
            .workPhone: ["WORK_PHONE"],
            .phone: ["PHONE", "TELEPHONE"],
            .addressLine1: ["ADDRESS_LINE_1"],
            .addressLine2: ["ADDRESS_LINE_2"],
            .addressLine3: ["ADDRESS_LINE_3"],
            .town: ["TOWN"],
            .county: ["COUNTY"],
            .postcode: ["POSTCODE"],
        ],
        contactGroupPrefixes: ["PARENT", "CONTACT", "GUARDIAN"])
}
