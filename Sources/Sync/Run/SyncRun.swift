import Directory
import Foundation
import Logging
import Reconcile
import Roster

/// Everything a run worked out before writing anything: the plan and what it was made from.
public struct PreparedRun: Sendable {
    public var plan: Plan
    public var snapshot: DirectorySnapshot
    /// The sources as read. Empty rosters when prepared for `apply`, which keeps only `sourceSummary`
    /// (the model of 100,000 parents' sources is a few hundred MB that the writes do not need).
    public var sources: SourceSet
    /// What the rest of a run needs of the sources: errors, records per school, leaver notes, children's names.
    public var sourceSummary: SourceSummary
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
    /// beside the directory). Empty when prepared for `apply`.
    public var parents: [Parent] = []
    /// The entries the directory should hold, each with the username of the entry it matched. Empty
    /// when prepared for `apply`.
    public var desired: [DesiredParent] = []
    /// The resolution memo being encoded for the next `apply` (`ResolutionMemo.encode`), when this run
    /// resolved; `apply` writes it after its writes.
    var memoEncoded: Task<ResolutionMemo.Encoded?, Never>?
    /// Whether the people came from the resolution memo (the inputs were those of the last apply).
    var resolutionReused = false

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
    /// Set by the command line, whose process ends when the run does: the directory's entries read for
    /// the run are not freed one by one at its end (see `RunValuesKeptUntilExit`). Tests and other callers
    /// leave it off.
    public var keepsRunValuesUntilExit = false
    /// Whether `apply` takes the people from the last apply's resolution when its inputs are all the same,
    /// and keeps its own for the next (`ResolutionMemo`). Tests turn it off to compare.
    public var reusesResolution = true

    public init(config: Config, now: Date = Date(), acceptLimits: Bool = false) {
        self.config = config
        self.now = now
        self.acceptLimits = acceptLimits
    }

    /// Reads sources and directory and plans. Writes nothing.
    ///
    /// `forApply`: keep only what the writes need. The sources' model, the people and the desired state
    /// are let go as soon as the plan no longer needs them (the rosters before planning), so that they
    /// are never all held at once with the plan and the directory's entries: what bounds a large run's memory.
    public func prepare(_ connection: LDAPConnection, forApply: Bool = false) async throws -> PreparedRun {
        let logger = Logger.run(runID)
        // Before the threads below first contend for the allocator (see `FreePages.limitArenas`).
        FreePages.limitArenas(to: 2)
        // The school's policy files first: a bad one stops the run before anything is read or written.
        let policy = try config.eligibilityPolicy()
        var configured = DirectoryReader(config)
        configured.progress = progress
        configured.passwordlessLater = forApply
        configured.cache = entryCache(writes: forApply)
        let reader = configured
        // The directory is read while the sources are read: the searches wait on slapd (and decode on the
        // connection's own queue) while this task parses, so a run costs about the longer of the two.
        async let directoryRead = readDirectory(reader, connection)
        let today = CalendarDate.todayUTC(now: now)
        // Resolution waits for the directory only when a rule names a parent by username (it then reads the
        // directory's uids too); otherwise it runs while the directory is read (below).
        let resolvesWhileReading = !policy.rules.active(on: today).namesAnyUsername
        // The last apply's resolution, when this run's inputs are all the same (`ResolutionMemo`): its
        // inputs taken before the sources are read (a file changed while they are read is then seen).
        let memoInputs = forApply && reusesResolution && resolvesWhileReading
            ? ResolutionMemo.Inputs(config: config, today: today) : nil
        var sources = SourceSet.read(config.sources, progress: progress)
        // Started once the sources are read, not before: the cooperative pool's other thread is replaying
        // the directory's cache meanwhile, which this would delay.
        let memoRead = memoInputs.map { inputs in
            Task { () -> (memo: ResolutionMemo, people: People?) in
                let memo = ResolutionMemo(inputs)
                return (memo, memo.load())
            }
        }
        for source in sources.readable {
            logger.info("source read", metadata: [
                "file": .string(source.config.pathAsWritten), "schools": .string(source.roster.schoolIDs.sorted().joined(separator: ",")),
                "links": .stringConvertible(source.roster.links.count),
            ])
        }
        for errors in sources.errors { logger.error("\(errors.description)") }
        // What the rest of the run keeps of the sources needs nothing of the directory: it is worked out
        // while the directory's search is still being read and decoded (the longer of the two reads).
        // (The task alone holds its copy of the sources, so that nothing holds them past it: for `apply` the
        // rosters are dropped once the people are resolved and the warnings about them made.)
        let summaryWhileReading = Self.summarising(sources, leavingYearGroups: config.safety.leavingYearGroups)
        let state = try RunState.load(stateDirectory: config.stateDir)
        let overrides = try DedupeOverridesFile.load(config.dedupe.overrides)

        // Everything else the run needs of the rosters needs nothing of the directory either: taken now,
        // while the directory's search is still arriving, so that for `apply` the rosters can go before
        // the directory's entries are all held (the rosters, the directory's entries, the people and the
        // plan were otherwise all held at once).
        var pupilMatchValues = sources.pupilMatchValues
        let headers = SourceColumns.headers(config.sources)
        let yearGroups = Set(config.safety.leavingYearGroups.map(SchoolYear.normalised))
        // Each pupil listed now, with their leaving date if any (not the whole pupil: 100,000 of them).
        var present: [String: CalendarDate?] = [:]
        for source in sources.readable {
            for pupil in source.roster.pupils { present[pupil.reference.description] = pupil.leavingDate }
        }
        let leavers = SchoolYear.expectedLeavers(notes: state.lastGoodLeavers, present: present, leavingYearGroups: yearGroups, on: today)
        var unhealthy = unhealthySchools(
            sources, state: state, headers: headers,
            expectedLoss: SchoolYear.expectedLoss(leavers, notes: state.lastGoodLeavers, present: present))
        present = [:]
        // An unreadable source that names no school: the schools the readable sources list, against those
        // the directory knows (`unreadableUnknownSchools`, once it is read).
        let listedSchools = sources.unreadableSchoolsUnknown ? sources.schools : []

        // Resolution needs the directory only when a policy file names a parent by username (the entry's
        // uid is how such a row finds the person's records). Otherwise it runs now, while the directory's
        // search is still arriving: at a local authority's size both take seconds, and this way the run
        // costs about the longer of them rather than their sum. The people's entries as the sources
        // describe them follow, and (for `apply`) the rosters and the people go before the directory's
        // entries are all in.
        var fromPeople: People?
        var memoToStore: ResolutionMemo?
        var memoEncoded: Task<ResolutionMemo.Encoded?, Never>?
        var resolutionReused = false
        if resolvesWhileReading {
            if let read = await memoRead?.value, let reused = read.people {
                fromPeople = await Self.reused(reused, sources: &sources, summary: summaryWhileReading)
                resolutionReused = true
                logger.info("people resolved", metadata: [
                    "people": .stringConvertible(reused.desired.count),
                    "resolution": .string("reused (the exports, policy files, config and date are those of the memo in the state folder)"),
                ])
            } else {
                let parents = Self.parents(ParentResolver.resolve(sources.rosterSources, policy: policy, overrides: overrides, on: today))
                fromPeople = await Self.people(consume parents, sources: &sources, summary: summaryWhileReading, forApply: forApply)
                memoToStore = await memoRead?.value.memo
                if memoToStore != nil {
                    logger.info("people resolved", metadata: [
                        "people": .stringConvertible(fromPeople!.desired.count),
                        "resolution": .string("resolved (the state folder holds no memo of these exports, policy files, config and date)"),
                    ])
                }
            }
        }
        let snapshot = try await directoryRead
        // What reading both left freed (file buffers, decoding) goes back before resolution's peak, or, when
        // resolution ran while the directory was read, on the second core as the planner's view of the
        // entries is made (below: a few hundredths of a second this task need not wait for).
        if forApply, !resolvesWhileReading { FreePages.release() }
        var readMetadata: Logger.Metadata = [
            "managed": .stringConvertible(snapshot.parents.count), "pupils": .stringConvertible(snapshot.pupilDNs.count),
        ]
        if let kind = snapshot.readKind { readMetadata["entries"] = .string(kind.description) }
        logger.info("directory read", metadata: readMetadata)
        // Resolution after the read only when a rule in force names a parent by username (see above).
        if fromPeople == nil {
            let parents = Self.parents(ParentResolver.resolve(
                sources.rosterSources, policy: policy, overrides: overrides, on: today, usernames: snapshot.usernamesByRecord))
            fromPeople = await Self.people(consume parents, sources: &sources, summary: summaryWhileReading, forApply: forApply)
        }
        var people = fromPeople!
        fromPeople = nil
        for school in unreadableUnknownSchools(sources, listed: listedSchools, snapshot: snapshot) { unhealthy[school] = .unreadable }
        let summary = await summaryWhileReading.value
        let template = try UsernameTemplate(config.accounts.username)
        // Checked on every run, whether or not anyone needs a username this time.
        _ = try UsernameAllocator(template: template, maxLength: config.accounts.maxLength, unavailable: [String]())

        // The planner's view of the managed entries, made by the reader as they arrived. The snapshot keeps
        // it through the writes: it is how the snapshot holds the entries (`ParentEntries`). It, and the
        // entries' references as matching looks them up, are made on the second core (which the
        // directory's read has left idle) while this task finds each link's pupil entry: neither needs
        // the other, and both are a tenth of a second of a local authority's run.
        let directoryView = Task {
            if forApply, resolvesWhileReading { FreePages.release() }
            let current = CurrentDirectory(snapshot)
            return (current, ParentMatcher.EntryReferences(current.parents))
        }
        DesiredState.findPupils(&people.desired, pupilMatchValues: pupilMatchValues, pupilDNs: snapshot.pupilDNs)
        pupilMatchValues = [:]
        let (current, references) = await directoryView.value
        var desired = people.desired
        people.desired = []
        var matched = DesiredState.match(consume desired, current: current, references: references)
        if !matched.needingUsernames.isEmpty {
            var allocator = try UsernameAllocator(
                template: template, maxLength: config.accounts.maxLength,
                unavailable: snapshot.takenUsernames.union(snapshot.unmanagedUsernames).union(state.issuedUsernames))
            matched.allocateUsernames(current: current, allocator: &allocator)
        }
        desired = matched.desired
        matched.desired = []
        let context = PlanContext(
            now: now, parentsBase: config.directory.parentsBase,
            limits: SafetyLimits(config.safety, deleteAfterDays: config.accounts.deleteAfterDays),
            unhealthySchools: unhealthy, acceptLimits: acceptLimits,
            activation: config.accounts.activation == .onHandover ? .onHandover : .onCreate,
            expectedLeavers: leavers,
            // Exit 2's promise: nothing is written but revocations from the sources that could be read.
            holdAllButRevocations: !sources.errors.isEmpty)
        var plan = Planner.plan(desired: desired, current: current, context: context, matched: matched.matching)
        // The planner's view of the entries, and for `apply` the people's entries, are not needed past the
        // plan: freed on another thread (100,000 of each take a few tenths of a second to free, which the
        // writes need not wait for; the directory's read has left the other core idle).
        if forApply {
            // The resolution, kept for the next apply (`ResolutionMemo`): encoded on the other core as this run
            // starts its writes, from the people as planned (less their usernames and pupils' entries, which
            // come from the directory), and written after the writes. The people go when it is encoded.
            if let memo = memoToStore {
                let planned = People(desired: desired, warnings: people.warnings, review: people.review, parents: [])
                memoEncoded = Task { memo.encode(planned) }
            }
            // A run that writes little (a no-op, a day's changes) allocates little more before the command
            // line's process exits: the two are then kept until it does (`RunValuesKeptUntilExit`), not freed
            // one by one. A run that writes much (a first apply) lets them go before its writes.
            if keepsRunValuesUntilExit, plan.changes.count <= desired.count / 8 {
                RunValuesKeptUntilExit.keep((consume current, consume desired))
            } else {
                FreedElsewhere.free((consume current, consume desired))
            }
            desired = []
        } else {
            FreedElsewhere.free(consume current)
        }
        plan.warnings += people.warnings
        plan.review = people.review
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
            plan: plan, snapshot: snapshot, sources: sources, sourceSummary: summary, state: state, unhealthySchools: unhealthy,
            sourceHeaders: headers, sourceConfigs: config.sources, policyFiles: config.policyFilePaths,
            activeRestrictions: active)
        prepared.parents = people.parents
        prepared.desired = desired
        prepared.memoEncoded = memoEncoded
        prepared.resolutionReused = resolutionReused
        return prepared
    }

    /// What the run takes of the people identity resolution found: the entries they should have (but for
    /// what the directory tells), and the warnings and review items about them.
    struct People: Sendable {
        var desired: [DesiredParent]
        var warnings: [PlanWarning]
        var review: [ReviewItem]
        /// Every person, for `PreparedRun.parents`: empty when prepared for `apply`.
        var parents: [Parent]
    }

    /// `People` of a resolution. The warnings need the rosters (a record's mobile as written); for
    /// `apply` the rosters then go (once the summary has what it needs of them), before the people's
    /// entries are built, and the people after: the rosters, the people and their entries are never all
    /// held at once.
    private static func people(
        _ parents: consuming [Parent], sources: inout SourceSet, summary: Task<SourceSummary, Never>, forApply: Bool
    ) async -> People {
        // The warnings that need the people and the rosters, added to the plan's own after planning. The
        // eligible people are looked at in place (`warnings(eligibleIn:)`); the unreadable mobiles look
        // at the people only when a record has one (most runs have none).
        var warnings = StorableValues.warnings(eligibleIn: parents)
        warnings += StorableValues.unreadableMobiles(parents.lazy.filter(\.isEligible), in: sources)
        warnings += ReviewQueue.filterWarnings(parents)
        let review = ReviewQueue.items(parents)
        guard forApply else {
            return People(desired: DesiredState.people(parents), warnings: warnings, review: review, parents: parents)
        }
        // The summary task holds its own copy of the sources until it ends.
        _ = await summary.value
        // The rosters go here, before the people's entries are built (freed on another thread meanwhile,
        // the run's peak resident size rose by 20–50 MB); the people after them, on another thread (a
        // tenth of a second of one core, which the rest of the run need not wait for).
        sources.dropRosters()
        FreePages.release()
        let desired = DesiredState.people(parents)
        FreedElsewhere.free(consume parents)
        return People(desired: desired, warnings: warnings, review: review, parents: [])
    }

    /// `People` from the resolution memo: what `people` does for `apply` with them but build them.
    private static func reused(_ people: People, sources: inout SourceSet, summary: Task<SourceSummary, Never>) async -> People {
        _ = await summary.value
        sources.dropRosters()
        FreePages.release()
        return people
    }

    /// The people of a resolution; the rest of it (dedupe's warnings and near misses, which `plan` and
    /// `apply` do not report) is freed on another thread.
    private static func parents(_ resolution: consuming ParentResolution) -> [Parent] {
        let parents = resolution.parents
        resolution.parents = []
        FreedElsewhere.free(consume resolution)
        return parents
    }

    /// `SourceSummary` of `sources`, worked out in a task of its own.
    private static func summarising(_ sources: SourceSet, leavingYearGroups: [String]) -> Task<SourceSummary, Never> {
        Task { SourceSummary(sources, leavingYearGroups: leavingYearGroups) }
    }

    /// Every uid in the username scope with the parents, the pupils and the group
    /// (`DirectoryReader.readForRun`: one search when the scope holds the parents, else the uids first):
    /// a parent entry that lands while the directory is read (a hung server resuming the writes of a run
    /// that gave up on it) is seen as a parent, or else its username is free and our create of it collides
    /// with it (a failed write, matched next run) — never shown as new with its username taken, which gave
    /// a parent a second account.
    private func readDirectory(_ reader: DirectoryReader, _ connection: LDAPConnection) async throws -> DirectorySnapshot {
        try await DirectoryUnavailable.whileReading(config.directory) { try await reader.readForRun(from: connection) }
    }

    /// The copy of the last read in `state_dir` (`directory.incremental_read`); written by `apply` only.
    func entryCache(writes: Bool) -> EntryCacheSettings? {
        guard config.directory.incrementalRead else { return nil }
        return EntryCacheSettings(
            path: (config.stateDir as NSString).appendingPathComponent(EntryCacheFile.name), reader: config.directory.bindDN ?? "",
            writes: writes)
    }

    /// Schools whose sources cannot be trusted this run: unreadable, or shrunk below `min_source_ratio`.
    /// (Without those of an unreadable source that names no school: see `unreadableUnknownSchools`.)
    func unhealthySchools(
        _ sources: SourceSet, state: RunState, headers: [String: [String]], expectedLoss: [String: Int] = [:]
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
        for school in sources.unreadableSchools { unhealthy[school] = .unreadable }
        return unhealthy
    }

    /// An unreadable source that does not name its school could be any school the readable sources do
    /// not list (`listed`, `SourceSet.schools`): those the directory knows are all held rather than one
    /// locked out. Unreadable outranks the other problems.
    func unreadableUnknownSchools(_ sources: SourceSet, listed: Set<String>, snapshot: DirectorySnapshot) -> Set<String> {
        guard sources.unreadableSchoolsUnknown else { return [] }
        // The planner's view holds each entry's misContactRef values (distinct: the same schools).
        let known = Set(snapshot.currentParents.flatMap {
            $0.misContactRef.compactMap { $0.split(separator: "/").first.map(String.init) }
        })
        return known.subtracting(listed)
    }
}
