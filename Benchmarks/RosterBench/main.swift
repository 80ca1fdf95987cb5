// roster-bench: how fast the readers are on exports of a local authority's size.
//
//   swift run -c release roster-bench [rows] [pupils]
//
// Writes a canonical CSV of `rows` links (default 1,000,000, about 150 MB) and a CTF of `pupils`
// pupils (default 100,000) to a temporary folder, reads each, and prints rows per second and the
// process's peak resident memory. Generation is not timed. Issue 3 asks for at most 3 s and 1.5 GB
// for the CSV and 5 s for the CTF on the 2-core development machine.
import Foundation
import Roster

// `roster-bench FOLDER [times]`: every CSV in FOLDER read as a source of its own (a local authority's
// schools, one file each, as `Benchmarks/run.sh` writes them), `times` times over; nothing is written.
if let sourceFolder = CommandLine.arguments.dropFirst().first, Int(sourceFolder) == nil {
    let times = CommandLine.arguments.dropFirst(2).first.flatMap { Int($0) } ?? 1
    let names = try FileManager.default.contentsOfDirectory(atPath: sourceFolder).filter { $0.hasSuffix(".csv") }.sorted()
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    let startCPU = Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
        + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1_000_000
    let start = Date()
    var counts = (pupils: 0, contacts: 0, links: 0, warnings: 0)
    for _ in 0..<times {
        for name in names {
            let roster = try CSVReader(options: ReaderOptions(schoolName: name))
                .read([SourceFile(path: sourceFolder + "/" + name, displayName: "exports/" + name)])
            counts.pupils += roster.pupils.count
            counts.contacts += roster.contacts.count
            counts.links += roster.links.count
            counts.warnings += roster.warnings.count
        }
    }
    getrusage(RUSAGE_SELF.rawValue, &usage)
    let cpu = Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
        + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1_000_000 - startCPU
    print(String(
        format: "%d files x %d: %d pupils, %d contacts, %d links, %d warnings in %.2f s (%.2f s CPU, %.2f s CPU a pass)",
        names.count, times, counts.pupils, counts.contacts, counts.links, counts.warnings,
        Date().timeIntervalSince(start), cpu, cpu / Double(times)))
    exit(0)
}

let arguments = CommandLine.arguments.dropFirst().compactMap { Int($0) }
let rowCount = arguments.first ?? 1_000_000
let pupilCount = arguments.dropFirst().first ?? 100_000

let folder = FileManager.default.temporaryDirectory.appendingPathComponent("roster-bench-\(getpid())")
try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: folder) }

/// Peak resident set size in MB (Linux reports `ru_maxrss` in KB).
func peakMemoryMB() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024
}

/// Writes `lines` to `url` in 4 MB blocks so that generating does not hold the whole file either.
func write(_ url: URL, _ lines: (Int) -> String, count: Int, header: String, footer: String = "") throws {
    // A file that cannot be made fails to open just below, with its path.
    _ = FileManager.default.createFile(atPath: url.path, contents: nil)
    let handle = try FileHandle(forWritingTo: url)
    var block = header
    for index in 0..<count {
        block += lines(index)
        if block.utf8.count > 4 << 20 {
            handle.write(Data(block.utf8))
            block = ""
        }
    }
    handle.write(Data((block + footer).utf8))
    try handle.close()
}

/// User and system CPU seconds so far: on a machine shared with other builds, wall time overstates.
func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1_000_000 }
    return seconds(usage.ru_utime) + seconds(usage.ru_stime)
}

/// CPU seconds of the calling thread alone: with the CSV read on two threads, the calling thread's
/// share is the wall time an idle machine gives, whatever the load on a shared one.
func threadCPUSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1_000_000_000
}

func measure(_ label: String, records: Int, bytes: Int, _ body: () throws -> Roster) rethrows {
    let start = Date()
    let startCPU = cpuSeconds()
    let startThreadCPU = threadCPUSeconds()
    let roster = try body()
    let seconds = Date().timeIntervalSince(start)
    let cpu = cpuSeconds() - startCPU
    let threadCPU = threadCPUSeconds() - startThreadCPU
    print(String(
        format: "%@: %d records, %.0f MB in %.2f s (%.2f s CPU, %.2f s on the calling thread): %.0f records/s; "
            + "%d pupils, %d contacts, %d links; peak memory %.0f MB",
        label, records, Double(bytes) / 1_048_576, seconds, cpu, threadCPU, Double(records) / seconds,
        roster.pupils.count, roster.contacts.count, roster.links.count, peakMemoryMB()))
}

// Two contacts per pupil, siblings sharing the first one every tenth pupil, as in a real export.
let csvURL = folder.appendingPathComponent("contacts.csv")
let relationships = ["Mother", "Father", "Step-Father", "Grandmother", "Carer"]
try write(csvURL, { index in
    let pupil = index / 2
    let contact = index % 2 == 0 && pupil % 10 == 1 ? (pupil - 1) * 2 : index
    return "5301234,P\(pupil),A\(100_000_000_000 + pupil),Pupilname\(pupil),Familyname\(pupil % 5000),\(pupil % 7 + 1),"
        + "\(pupil % 7 + 1)B,C\(contact),Mrs,Parentname\(contact),Familyname\(contact / 2 % 5000),\(relationships[index % 5]),"
        + "\(index % 2 + 1),Y,N,Y,parent\(contact)@example.com,07700 \(900_000 + contact % 100_000),0113 496 0000,,"
        + "\"\(contact % 300) High Street\",Flat \(contact % 9),,Leeds,West Yorkshire,LS\(contact % 28) \(contact % 9)AB,"
        + "2015-04-\(String(format: "%02d", pupil % 28 + 1)),N,,\r\n"
}, count: rowCount, header: "school_id,pupil_id,upn,pupil_given_name,pupil_family_name,year_group,reg_group,contact_id,"
    + "title,given_name,family_name,relationship,priority,parental_responsibility,court_order,lives_with_pupil,email,"
    + "mobile,home_phone,work_phone,address_line1,address_line2,address_line3,town,county,postcode,date_of_birth,"
    + "looked_after,access_withdrawn,leaving_date\r\n")
let csvBytes = (try FileManager.default.attributesOfItem(atPath: csvURL.path)[.size] as? Int) ?? 0
try measure("canonical CSV", records: rowCount, bytes: csvBytes) {
    try CSVReader().read([SourceFile(path: csvURL.path, displayName: "contacts.csv")])
}

// The floor under the reader: the same file tokenized and every field decoded, no model built.
do {
    let start = Date()
    let startCPU = cpuSeconds()
    var tokenizer = CSVTokenizer(try DecodedByteStream(FileByteStream(path: csvURL.path, displayName: "contacts.csv")))
    var record = CSVRecord()
    var decoder = FieldDecoder()
    var fields = 0
    while try tokenizer.next(into: &record) {
        for index in 0..<record.count where record.trimmedField(index, file: "contacts.csv", decoder: &decoder) != nil {
            fields += 1
        }
    }
    print(String(
        format: "canonical CSV, tokenized and decoded only: %d fields in %.2f s (%.2f s CPU)",
        fields, Date().timeIntervalSince(start), cpuSeconds() - startCPU))
}

let ctfURL = folder.appendingPathComponent("ctf.xml")
func contactXML(_ order: Int, _ pupil: Int) -> String {
    "<Contact><Order>\(order)</Order><Title>Mrs</Title><Surname>FAMILY\(pupil % 5000)</Surname>"
        + "<Forename>Parent\(pupil)x\(order)</Forename><Relationship>\(order == 1 ? "PAM" : "PAF")</Relationship>"
        + "<Responsibility>true</Responsibility><Address><AddressAsPupil>true</AddressAsPupil></Address>"
        + "<Phones><Phone><TelephoneType>M</TelephoneType><PhoneNo>07700 \(900_000 + pupil % 100_000)</PhoneNo></Phone></Phones>"
        + "<Email>parent\(pupil)x\(order)@example.com</Email></Contact>\n"
}
try write(ctfURL, { pupil in
    "<Pupil><UPN>A\(100_000_000_000 + pupil)</UPN><Surname>FAMILY\(pupil % 5000)</Surname><Forename>PUPIL\(pupil)</Forename>"
        + "<DOB>2015-04-01</DOB><Sex>F</Sex><BasicDetails><NCyearActual>5</NCyearActual></BasicDetails>"
        + "<Address><BS7666Address><PAON>\(pupil % 300)</PAON><Street>High Street</Street><Town>Leeds</Town></BS7666Address>"
        + "<PostCode>LS1 1AA</PostCode></Address><Contacts>\n" + contactXML(1, pupil) + contactXML(2, pupil)
        + "</Contacts></Pupil>\n"
}, count: pupilCount, header: "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<CTfile><Header><SourceSchool><LEA>530</LEA>"
    + "<Estab>1234</Estab></SourceSchool></Header><CTFpupilData>\n", footer: "</CTFpupilData></CTfile>\n")
let ctfBytes = (try FileManager.default.attributesOfItem(atPath: ctfURL.path)[.size] as? Int) ?? 0
try measure("CTF", records: pupilCount, bytes: ctfBytes) {
    try CTFReader().read([SourceFile(path: ctfURL.path, displayName: "ctf.xml")])
}
