import Roster

/// The names a letter prints for a parent's children and their schools, from the sources as read.
/// A child the sources no longer list keeps its reference: a letter never leaves a child out.
public struct ChildNames: Sendable {
    /// `<school_id>/<pupil_id>` → the name the pupil goes by.
    public var pupils: [String: String] = [:]
    /// School id → `school_name` (the source's config, else the file's own).
    public var schools: [String: String] = [:]

    public init() {}

    public init(_ sources: SourceSet) {
        for source in sources.readable {
            for pupil in source.roster.pupils {
                let reference = pupil.reference
                let given = pupil.preferredGivenName ?? pupil.name.given
                pupils[reference.description] = [given, pupil.name.family].compactMap { $0 }.joined(separator: " ")
                if schools[reference.schoolID] == nil, let name = source.config.schoolName ?? pupil.schoolName {
                    schools[reference.schoolID] = name
                }
            }
        }
    }

    /// The child's name, else its reference.
    public func name(of reference: String) -> String {
        pupils[reference] ?? reference
    }

    /// The school's name, else its id.
    public func school(of reference: String) -> String {
        let id = String(reference.prefix { $0 != "/" })
        return schools[id] ?? id
    }
}
