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
        pupils.reserveCapacity(sources.readable.reduce(0) { $0 + $1.roster.pupils.count })
        for source in sources.readable {
            // Read in place (a `for` over the array copied every pupil, a dozen strings each), the name
            // joined without an array: every run's summary names every pupil.
            source.roster.pupils.withUnsafeBufferPointer { all in
                for pupil in all.indices {
                    let reference = all[pupil].reference
                    pupils[reference.description] = Self.displayName(all[pupil])
                    if schools[reference.schoolID] == nil, let name = source.config.schoolName ?? all[pupil].schoolName {
                        schools[reference.schoolID] = name
                    }
                }
            }
        }
    }

    /// The preferred (or given) name and the family name, joined by a space.
    static func displayName(_ pupil: Pupil) -> String {
        guard let given = pupil.preferredGivenName ?? pupil.name.given else { return pupil.name.family }
        return given + " " + pupil.name.family
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
