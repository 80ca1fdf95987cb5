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
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.19"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
    ],
    targets: [
        // libldap and liblber, found through pkg-config `ldap`.
        .systemLibrary(
            name: "CLDAP",
            path: "Sources/CLDAP",
            pkgConfig: "ldap",
            providers: [.apt(["libldap-dev"])]
        ),
        .target(name: "Directory", dependencies: ["CLDAP"]),
        .target(
            name: "Roster",
            dependencies: [.product(name: "ZIPFoundation", package: "ZIPFoundation")]
        ),
        .target(name: "Reconcile", dependencies: ["Roster"]),
        .target(
            name: "Sync",
            dependencies: [
                "Directory", "Roster", "Reconcile",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
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

        .testTarget(name: "DirectoryTests", dependencies: ["Directory", "CLDAP", "SlapdHarness"]),
        // FuzzRegressions holds the fuzzers' crash inputs, replayed by FuzzRegressionTests: data, not sources.
        .testTarget(name: "RosterTests", dependencies: ["Roster"], exclude: ["FuzzRegressions"]),
        .testTarget(
            name: "ReconcileTests",
            dependencies: [
                "Reconcile", "Roster",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
        .testTarget(
            name: "SyncTests",
            dependencies: ["Sync", "Directory", "SlapdHarness", .product(name: "PropertyBased", package: "swift-property-based")]
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

// Fuzzing (issue 10): the roster readers under libFuzzer. `Benchmarks/fuzz.sh` builds this with
// `-sanitize=fuzzer -D FUZZING`; a plain build makes the replayer of the kept crash inputs, which the
// RosterTests run (Tests/RosterTests/FuzzRegressions).
package.targets += [
    .executableTarget(name: "roster-fuzz", dependencies: ["Roster"], path: "Tests/Fuzz/RosterFuzz"),
]
