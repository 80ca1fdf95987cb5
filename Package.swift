// swift-tools-version:6.1
import PackageDescription

// Module layout and their one job each: see ../shared/DESIGN.md Part A.
let package = Package(
    name: "ldap-sync",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "ldap-sync", targets: ["ldap-sync"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.19"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
    ],
    targets: [
        // libldap and liblber, found through pkg-config `ldap`.
        .systemLibrary(
            name: "CLDAP",
            path: "Sources/CLDAP",
            pkgConfig: "ldap",
            providers: [.apt(["libldap-dev"])]
        ),
        // libxcrypt's crypt_r, for {CRYPT} SHA-512 first passwords that slapd verifies itself.
        .systemLibrary(name: "CCrypt", path: "Sources/CCrypt", providers: [.apt(["libcrypt-dev"])]),
        // LEB128 varints, the lengths inside the packed byte forms of Directory, Reconcile and Sync.
        .target(name: "Varint"),
        .target(name: "Directory", dependencies: ["CLDAP", "Varint"]),
        // libxml2, found through pkg-config `libxml-2.0`: the CTF reader drives its SAX2 push parser
        // directly (Foundation's XMLParser made a string per callback and cost as much as the parse).
        .systemLibrary(
            name: "CLibXML2",
            path: "Sources/CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]
        ),
        // libcurl (pkg-config `libcurl`, Debian libcurl4-openssl-dev) behind a typed C door: the Moodle
        // connector's HTTPS client, which must accept a school's own CA file.
        .target(name: "CCurlShim", linkerSettings: [.linkedLibrary("curl")]),
        .target(
            name: "Roster",
            dependencies: ["CLibXML2", .product(name: "ZIPFoundation", package: "ZIPFoundation")]
        ),
        .target(name: "Reconcile", dependencies: ["Roster", "Varint"]),
        .target(
            name: "Sync",
            dependencies: [
                "Directory", "Roster", "Reconcile", "Varint", "CCurlShim",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Mustache", package: "swift-mustache"),
                "CCrypt",
            ]
        ),
        .executableTarget(
            name: "ldap-sync",
            dependencies: [
                "Sync",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // A real slapd for the test suites (and the benchmarks): started on a free loopback port,
        // stopped afterwards. Not a mock: every test that touches a directory talks to this.
        .target(name: "SlapdHarness", dependencies: ["Directory"], path: "Tests/SlapdHarness"),

        // A Moodle REST web-service server for the tests (plain POSIX sockets): the five functions the
        // connector calls, Moodle's exception JSON, and a record of every call.
        .target(name: "MoodleStub", path: "Tests/MoodleStub"),

        // The suites' seeded random sequence (SplitMix64): one generator, so that a seed means the same
        // inputs in every suite.
        .target(name: "TestRandom", path: "Tests/TestRandom"),

        .testTarget(name: "VarintTests", dependencies: ["Varint"]),
        .testTarget(name: "DirectoryTests", dependencies: ["Directory", "CLDAP", "SlapdHarness", "TestRandom"]),
        // FuzzRegressions holds the fuzzers' crash inputs, replayed by FuzzRegressionTests: data, not sources.
        .testTarget(name: "RosterTests", dependencies: ["Roster", "TestRandom"], exclude: ["FuzzRegressions"]),
        .testTarget(
            name: "ReconcileTests",
            dependencies: [
                "Reconcile", "Roster", "TestRandom",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
        .testTarget(
            name: "SyncTests",
            dependencies: [
                "Sync", "Directory", "SlapdHarness", "MoodleStub", "TestRandom",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),

        .executableTarget(
            name: "directory-bench",
            dependencies: ["Directory", "SlapdHarness"],
            path: "Benchmarks/DirectoryBench"
        ),
        .executableTarget(name: "roster-bench", dependencies: ["Roster"], path: "Benchmarks/RosterBench"),
    ],
    swiftLanguageModes: [.v6]
)

// Identity-resolution benchmarks (issue 4): the synthetic local-authority generator, reusable by later
// benchmarks, and the dedupe quality/speed bench.
package.targets += [
    .target(name: "SyntheticAuthority", dependencies: ["Roster"], path: "Benchmarks/Generator"),
    .executableTarget(
        name: "dedupe-bench",
        dependencies: ["SyntheticAuthority", "Reconcile", "Roster"],
        path: "Benchmarks/DedupeBench"
    ),
]

// Issue 11: the synthetic authority as files ldap-sync reads (CSV exports, pupils' LDIF, a config), for
// Benchmarks/run.sh.
package.targets += [
    .executableTarget(
        name: "bench-authority",
        dependencies: ["SyntheticAuthority", "Roster"],
        path: "Benchmarks/AuthorityFiles"
    ),
]

// Fuzzing (issue 10): the roster readers under libFuzzer. `Benchmarks/fuzz.sh` builds this with
// `-sanitize=fuzzer -D FUZZING`; a plain build makes the replayer of the kept crash inputs, which the
// RosterTests run (Tests/RosterTests/FuzzRegressions).
package.targets += [
    .executableTarget(name: "roster-fuzz", dependencies: ["Roster"], path: "Tests/Fuzz/RosterFuzz"),
]
