import Directory
import Foundation
import Logging
import Reconcile
import Roster

/// Everything a run worked out before writing anything: the plan and what it was made from.
public struct PreparedRun: Sendable {
    public var plan: Plan
    public var snapshot: DirectorySnapshot
    public var sources: SourceSet
    public var state: RunState
    /// The schools held back and why (unreadable, shrunk, columns changed).
    public var unhealthySchools: [String: SourceProblem]
    /// The header of each CSV source as read this run (for the next run's columns check).
    public var sourceHeaders: [String: [String]]
    /// The sources as configured, for their fingerprint.
    var sourceConfigs: [SourceConfig]
    /// The school's policy files (restrictions, overrides, approvals), for the same fingerprint.
    var policyFiles: [String] = []
    /// The restrictions in force this run, as `RunState.activeRestrictions` keeps them.
    var activeRestrictions: [String] = []
    /// Every person identity resolution found, with eligibility's decision per link (what `access` shows
    /// beside the directory).
    public var parents: [Parent] = []
    /// The entries the directory should hold, each with the username of the entry it matched.
    public var desired: [DesiredParent] = []

    /// Computed when asked (saving or checking a plan), not on every run: it reads every source file again
    /// and hashes every managed value.
    public var sourcesFingerprint: String { Fingerprint.sources(sourceConfigs, policyFiles: policyFiles) }
    public var directoryFingerprint: String { Fingerprint.directory(snapshot) }
}

/// One run of ldap-sync: read the sources and the directory, plan, and (for `apply`) write.
public struct SyncRun: Sendable {
    public var config: Config
    /// The time of the run; a parameter so that tests and saved plans agree on "now".
    public var now: Date
    /// `--accept-limits`: release what the limits hold.
    public var acceptLimits = false
    /// The progress line while reading and writing (the command line sets it on a terminal only).
    public var progress: (any RunProgress)?
    /// Set by SIGTERM/SIGINT: stop after the writes in flight (exit 128 + n).
    public var stop = StopRequest()
    /// The waits between reconnect attempts (`directory.retries` of them).
    public var backoff = RetryBackoff()
    /// The moment the whole run must end by (`directory.timeouts.run` after it started); nil: that
    /// long after `apply` is called. Not derived from `now`, which tests set to another day.
    public var deadline: Date?

    public init(config: Config, now: Date = Date(), acceptLimits: Bool = false) {
        self.config = config
        self.now = now
        self.acceptLimits = acceptLimits
    }

    /// Reads sources and directory and plans. Writes nothing.
    public func prepare(_ connection: LDAPConnection) async throws -> PreparedRun {
        let logger = Logger.run(runID)
        // The school's policy files first: a bad one stops the run before anything is read or written.
        let policy = try config.eligibilityPolicy()
        var configured = DirectoryReader(config)
        configured.progress = progress
        let reader = configured
        // The directory is read while the sources are read: the searches wait on slapd (and decode on the
        // connection's own queue) while this task parses, so a run costs about the longer of the two.
        async let directoryRead = readDirectory(reader, connection)
        let sources = SourceSet.read(config.sources, progress: progress)
        for source in sources.readable {
            logger.info("source read", metadata: [
                "file": .string(source.config.pathAsWritten), "schools": .string(source.roster.schoolIDs.sorted().joined(separator: ",")),
                "links": .stringConvertible(source.roster.links.count),
            ])
        }
        for errors in sources.errors { logger.error("\(errors.description)") }
        var snapshot = try await directoryRead
        logger.info("directory read", metadata: [
            "managed": .stringConvertible(snapshot.managedParents.count), "pupils": .stringConvertible(snapshot.pupilDNs.count),
        ])
        // Resolution needs the directory: restrictions and approvals may name a parent by username.
        let current = CurrentDirectory(snapshot)
        let state = try RunState.load(stateDirectory: config.stateDir)
        let overrides = try DedupeOverridesFile.load(config.dedupe.overrides)
        let today = CalendarDate.todayUTC(now: now)
        let resolution = ParentResolver.resolve(
            sources.rosterSources, policy: policy, overrides: overrides, on: today, usernames: current.usernamesByRecord)
        let template = try UsernameTemplate(config.accounts.username)
        // Checked on every run, whether or not anyone needs a username this time.
        _ = try UsernameAllocator(template: template, maxLength: config.accounts.maxLength, unavailable: [String]())
        var matched = DesiredState.match(parents: resolution.parents, current: current, pupilMatchValues: sources.pupilMatchValues)
        if !matched.needingUsernames.isEmpty {
            var allocator = try UsernameAllocator(
                template: template, maxLength: config.accounts.maxLength,
                unavailable: snapshot.takenUsernames.union(snapshot.unmanagedUsernames).union(state.issuedUsernames))
            matched.allocateUsernames(current: current, allocator: &allocator)
        }
        let desired = matched.desired

        let headers = SourceColumns.headers(config.sources)
        let yearGroups = Set(config.safety.leavingYearGroups.map(SchoolYear.normalised))
        var present: [String: Pupil] = [:]
        for source in sources.readable {
            for pupil in source.roster.pupils { present[pupil.reference.description] = pupil }
        }
        let leavers = SchoolYear.expectedLeavers(notes: state.lastGoodLeavers, present: present, leavingYearGroups: yearGroups, on: today)
        let unhealthy = unhealthySchools(
            sources, current: current, state: state, headers: headers,
            expectedLoss: SchoolYear.expectedLoss(leavers, notes: state.lastGoodLeavers, present: present))
        let context = PlanContext(
            now: now, parentsBase: config.directory.parentsBase,
            limits: SafetyLimits(config.safety, deleteAfterDays: config.accounts.deleteAfterDays),
            unhealthySchools: unhealthy, acceptLimits: acceptLimits,
            activation: config.accounts.activation == .onHandover ? .onHandover : .onCreate,
            expectedLeavers: leavers,
            // Exit 2's promise: nothing is written but revocations from the sources that could be read.
            holdAllButRevocations: !sources.errors.isEmpty)
        var plan = Planner.plan(desired: desired, current: current, context: context, matched: matched.matching)
        let eligible = resolution.parents.filter(\.isEligible)
        plan.warnings += StorableValues.warnings(eligible)
        var contacts: [ContactReference: Contact] = [:]
        for source in sources.readable {
            for contact in source.roster.contacts { contacts[contact.reference] = contact }
        }
        plan.warnings += StorableValues.unreadableMobiles(eligible, contacts: contacts)
        plan.warnings += ReviewQueue.filterWarnings(resolution.parents)
        plan.review = ReviewQueue.items(resolution.parents)
        let active = RestrictionLog.keys(policy.rules.restrictions.active(on: today))
        plan.warnings += RestrictionLog.lifted(since: state.activeRestrictions, now: active).map {
            PlanWarning(code: .restrictionLifted, message: "restriction lifted since the last run: \($0)")
        }
        for warning in plan.warnings { logger.warning("\(warning.message)", metadata: ["code": .string(warning.code.rawValue)]) }
        for (school, problem) in unhealthy.sorted(by: { $0.key < $1.key }) {
            logger.warning("school held back", metadata: ["school": .string(school), "problem": .string("\(problem)")])
        }
        logger.debug("planned", metadata: [
            "changes": .stringConvertible(plan.changes.count), "held": .stringConvertible(plan.held.count),
            "unchanged": .stringConvertible(plan.summary.unchanged),
        ])
        var prepared = PreparedRun(
            plan: plan, snapshot: snapshot, sources: sources, state: state, unhealthySchools: unhealthy,
            sourceHeaders: headers, sourceConfigs: config.sources, policyFiles: config.policyFilePaths,
            activeRestrictions: active)
        prepared.parents = resolution.parents
        prepared.desired = desired
        return prepared
    }

    /// Every uid in the username scope with the parents, the pupils and the group
    /// (`DirectoryReader.readForRun`: one search when the scope holds the parents, else the uids first):
    /// a parent entry that lands while the directory is read (a hung server resuming the writes of a run
    /// that gave up on it) is seen as a parent, or else its username is free and our create of it collides
    /// with it (a failed write, matched next run) — never shown as new with its username taken, which gave
    /// a parent a second account.
    private func readDirectory(_ reader: DirectoryReader, _ connection: LDAPConnection) async throws -> DirectorySnapshot {
        do {
            return try await reader.readForRun(from: connection)
        } catch let error as LDAPError where error.code.meansConnectionLost {
            throw DirectoryUnavailable(underlying: error, explanation: DirectoryFault.explain(error, config.directory, during: .run))
        }
    }

    /// Schools whose sources cannot be trusted this run: unreadable, or shrunk below `min_source_ratio`.
    func unhealthySchools(
        _ sources: SourceSet, current: CurrentDirectory, state: RunState, headers: [String: [String]],
        expectedLoss: [String: Int] = [:]
    ) -> [String: SourceProblem] {
        var unhealthy: [String: SourceProblem] = [:]
        for school in state.shrunkSchools(sources.recordsPerSchool, ratio: config.safety.minSourceRatio, expectedLoss: expectedLoss) {
            unhealthy[school] = .shrunk
        }
        // Worse than shrunk: a wrongly mapped column can rewrite every value, so the planner holds more.
        for source in sources.readable {
            guard let before = state.lastGoodColumns[source.config.pathAsWritten], let now = headers[source.config.pathAsWritten],
                before != now
            else { continue }
            for school in source.roster.schoolIDs { unhealthy[school] = .columnsChanged }
        }
        var unreadable = sources.unreadableSchools
        if sources.unreadableSchoolsUnknown {
            // An unreadable source that does not name its school could be any school the readable
            // sources do not list: hold them all rather than lock one out.
            let known = Set(current.parents.flatMap { $0.misContactRef.compactMap { $0.split(separator: "/").first.map(String.init) } })
            unreadable.formUnion(known.subtracting(sources.schools))
        }
        for school in unreadable { unhealthy[school] = .unreadable }
        return unhealthy
    }
}
