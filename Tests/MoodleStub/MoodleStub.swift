import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A Moodle site as its REST web service (`/webservice/rest/server.php`) answers, for the tests: the
/// five functions the connector calls, form-encoded parameters (`users[0][id]`), `wstoken`,
/// `wsfunction`, `moodlewsrestformat=json`, and Moodle's exception JSON
/// (`{"exception", "errorcode", "message"}`) for errors. It records every call it is asked to make.
///
/// Plain POSIX sockets on a free loopback port, one thread accepting, one request per connection
/// (`Connection: close`), so no web framework is needed.
public final class MoodleStub: @unchecked Sendable {
    /// A Moodle user as the stub keeps it.
    public struct User: Sendable, Equatable {
        public var id: Int
        public var username: String
        public var idnumber: String
        public var suspended: Bool

        public init(id: Int, username: String, idnumber: String = "", suspended: Bool = false) {
            self.id = id
            self.username = username
            self.idnumber = idnumber
            self.suspended = suspended
        }
    }

    /// A role assignment in a user context: `roleid` for `userid` in the context of user `instanceid`.
    public struct Assignment: Sendable, Hashable {
        public var roleID: Int
        public var userID: Int
        public var instanceID: Int

        public init(roleID: Int, userID: Int, instanceID: Int) {
            self.roleID = roleID
            self.userID = userID
            self.instanceID = instanceID
        }
    }

    /// One request as received: the function and its parameters (without the token).
    public struct Call: Sendable, Equatable {
        public var function: String
        public var parameters: [String: String]
    }

    /// The five functions the connector needs, all enabled for the token by default.
    public static let allFunctions = [
        "core_user_get_users_by_field", "core_user_update_users", "core_role_assign_roles", "core_role_unassign_roles",
        "core_webservice_get_site_info",
    ]

    public let token: String
    public private(set) var port: UInt16 = 0
    public var url: String { "http://127.0.0.1:\(port)" }

    private let lock = NSLock()
    private var listener: Int32 = -1
    private var thread: Thread?
    private var users: [User] = []
    private var assignments = Set<Assignment>()
    private var calls: [Call] = []
    private var functions: Set<String>
    private var userContextRoles: Set<Int>
    private var unavailable = false
    private var nextID = 100
    /// The web-service user's own id (site info's `userid`).
    public let serviceUserID = 2

    /// Starts listening. `userContextRoles`: the role ids that may be assigned in a user context.
    public init(token: String = "moodle-test-token", userContextRoles: Set<Int> = [9], functions: [String] = MoodleStub.allFunctions) throws {
        self.token = token
        self.userContextRoles = userContextRoles
        self.functions = Set(functions)
        users.append(User(id: serviceUserID, username: "ldapsync"))
        try listen()
    }

    deinit { stop() }

    // MARK: The site's data

    /// Adds a user (a parent after their first LDAP login, a pupil); returns its id.
    @discardableResult
    public func addUser(username: String, idnumber: String = "", suspended: Bool = false) -> Int {
        locked {
            nextID += 1
            users.append(User(id: nextID, username: username.lowercased(), idnumber: idnumber, suspended: suspended))
            return nextID
        }
    }

    public func user(_ username: String) -> User? { locked { users.first { $0.username == username.lowercased() } } }
    public var roleAssignments: Set<Assignment> { locked { assignments } }
    public var recordedCalls: [Call] { locked { calls } }
    /// The calls that change something (every function but the look-ups and site info).
    public var writes: [Call] {
        recordedCalls.filter { $0.function != "core_user_get_users_by_field" && $0.function != "core_webservice_get_site_info" }
    }
    public func forgetCalls() { locked { calls.removeAll() } }
    /// While true, every request gets HTTP 503 (a site in maintenance or a proxy without its backend).
    public func setUnavailable(_ value: Bool) { locked { unavailable = value } }

    // MARK: Serving

    public func stop() {
        let fd = locked { () -> Int32 in
            let fd = listener
            listener = -1
            return fd
        }
        if fd >= 0 {
            shutdown(fd, Int32(SHUT_RDWR))
            close(fd)
        }
    }

    /// A loopback port nothing listens on right now (for a server the test starts itself).
    public static func freeLoopbackPort() throws -> UInt16 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw StubError("no free port: \(errno)") }
        return UInt16(bigEndian: address.sin_port)
    }

    private func listen() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw StubError("socket: \(errno)") }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, Glibc.listen(fd, 16) == 0 else {
            close(fd)
            throw StubError("bind/listen: \(errno)")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        port = UInt16(bigEndian: address.sin_port)
        listener = fd
        let thread = Thread { [weak self] in self?.acceptLoop(fd) }
        thread.start()
        self.thread = thread
    }

    private func acceptLoop(_ fd: Int32) {
        while true {
            let client = accept(fd, nil, nil)
            if client < 0 {
                if errno == EINTR { continue }
                return
            }
            handle(client)
            close(client)
        }
    }

    private func handle(_ client: Int32) {
        var data = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 65_536)
        var headerEnd: Int?
        var contentLength = 0
        while true {
            let n = read(client, &buffer, buffer.count)
            if n <= 0 { return }
            data.append(contentsOf: buffer[0..<n])
            if headerEnd == nil, let end = Self.find([13, 10, 13, 10], in: data) {
                headerEnd = end + 4
                let head = String(decoding: data[0..<end], as: UTF8.self)
                for line in head.split(separator: "\r\n") where line.lowercased().hasPrefix("content-length:") {
                    contentLength = Int(line.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) ?? 0
                }
            }
            if let headerEnd, data.count >= headerEnd + contentLength { break }
        }
        let end = headerEnd!
        let requestLine = String(decoding: data[0..<end], as: UTF8.self).split(separator: "\r\n").first.map(String.init) ?? ""
        let body = String(decoding: data[end..<(end + contentLength)], as: UTF8.self)
        let (status, answer) = respond(requestLine: requestLine, body: body)
        let head = "HTTP/1.1 \(status)\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: \(answer.utf8.count)\r\nConnection: close\r\n\r\n"
        let bytes = Array((head + answer).utf8)
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { write(client, $0.baseAddress, $0.count) }
            if n <= 0 { return }
            sent += n
        }
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for index in 0...(haystack.count - needle.count) where Array(haystack[index..<(index + needle.count)]) == needle {
            return index
        }
        return nil
    }

    /// Decodes `a=1&b%5B0%5D=x` into a dictionary (the stub never sees repeated keys).
    static func form(_ body: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in body.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ text: Substring) -> String {
                text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(text)
            }
            fields[decode(parts[0])] = parts.count > 1 ? decode(parts[1]) : ""
        }
        return fields
    }

    private func respond(requestLine: String, body: String) -> (String, String) {
        locked {
            if unavailable { return ("503 Service Unavailable", "{\"error\":\"maintenance\"}") }
            let parts = requestLine.split(separator: " ")
            guard parts.count >= 2, parts[0] == "POST", parts[1].hasPrefix("/webservice/rest/server.php") else {
                return ("404 Not Found", "{}")
            }
            var fields = Self.form(body)
            let function = fields["wsfunction"] ?? ""
            let givenToken = fields.removeValue(forKey: "wstoken")
            fields.removeValue(forKey: "wsfunction")
            let format = fields.removeValue(forKey: "moodlewsrestformat")
            guard givenToken == token else {
                return ("200 OK", Self.exception("moodle_exception", "invalidtoken", "Invalid token - token not found"))
            }
            guard format == "json" else { return ("200 OK", "<?xml version=\"1.0\"?><RESPONSE/>") }
            guard functions.contains(function) else {
                return ("200 OK", Self.exception("webservice_access_exception", "accessexception", "Access control exception"))
            }
            calls.append(Call(function: function, parameters: fields))
            return ("200 OK", perform(function, fields))
        }
    }

    private func perform(_ function: String, _ fields: [String: String]) -> String {
        switch function {
        case "core_webservice_get_site_info":
            let names = functions.sorted().map { "{\"name\":\"\($0)\",\"version\":\"2023100900\"}" }.joined(separator: ",")
            return "{\"sitename\":\"Test school\",\"username\":\"ldapsync\",\"userid\":\(serviceUserID),\"siteurl\":\"\(url)\",\"release\":\"4.3 (Build: 20231009)\",\"version\":\"2023100900\",\"functions\":[\(names)]}"
        case "core_user_get_users_by_field":
            let field = fields["field"] ?? ""
            let values = Set(Self.list(fields, "values").map { $0[""] ?? "" })
            let found = users.filter { user in
                switch field {
                case "username": values.contains(user.username)
                case "idnumber": values.contains(user.idnumber)
                case "id": values.contains(String(user.id))
                default: false
                }
            }
            let json = found.map { "{\"id\":\($0.id),\"username\":\"\($0.username)\",\"idnumber\":\"\($0.idnumber)\",\"suspended\":\($0.suspended)}" }
            return "[" + json.joined(separator: ",") + "]"
        case "core_user_update_users":
            let items = Self.list(fields, "users")
            // Moodle checks every user before it changes any (one transaction).
            for item in items where !users.contains(where: { String($0.id) == item["[id]"] }) {
                return Self.exception("invalid_parameter_exception", "invalidparameter", "Invalid parameter value detected (user \(item["[id]"] ?? "?"))")
            }
            for item in items {
                guard let index = users.firstIndex(where: { String($0.id) == item["[id]"] }) else { continue }
                if let suspended = item["[suspended]"] { users[index].suspended = suspended == "1" }
            }
            return "{\"warnings\":[]}"
        case "core_role_assign_roles", "core_role_unassign_roles":
            let assign = function == "core_role_assign_roles"
            let items = Self.list(fields, assign ? "assignments" : "unassignments")
            var changes: [(Assignment, Bool)] = []
            for item in items {
                guard let role = item["[roleid]"].flatMap(Int.init), let user = item["[userid]"].flatMap(Int.init),
                    item["[contextlevel]"] == "user", let instance = item["[instanceid]"].flatMap(Int.init)
                else { return Self.exception("invalid_parameter_exception", "invalidparameter", "Invalid parameter value detected") }
                guard users.contains(where: { $0.id == user }), users.contains(where: { $0.id == instance }) else {
                    return Self.exception("dml_missing_record_exception", "invalidrecord", "Can't find data record in database table user.")
                }
                guard userContextRoles.contains(role) else {
                    return Self.exception(
                        "moodle_exception", "wsusercannotassign",
                        "You don't have the permissions to assign this role (\(role)) to this user (\(user)) in this context (\(instance)).")
                }
                changes.append((Assignment(roleID: role, userID: user, instanceID: instance), assign))
            }
            for (assignment, add) in changes {
                if add { assignments.insert(assignment) } else { assignments.remove(assignment) }
            }
            return "null"
        default:
            return Self.exception("dml_missing_record_exception", "invalidrecord", "Can't find data record in database table external_functions.")
        }
    }

    /// The items of a list parameter: `users[0][id]=5&users[0][suspended]=1` → `[["[id]": "5", "[suspended]": "1"]]`;
    /// `values[0]=a` → `[["": "a"]]`.
    static func list(_ fields: [String: String], _ name: String) -> [[String: String]] {
        var items: [Int: [String: String]] = [:]
        for (key, value) in fields where key.hasPrefix(name + "[") {
            let rest = key.dropFirst(name.count + 1)
            guard let close = rest.firstIndex(of: "]"), let index = Int(rest[..<close]) else { continue }
            items[index, default: [:]][String(rest[rest.index(after: close)...])] = value
        }
        return items.keys.sorted().map { items[$0]! }
    }

    static func exception(_ type: String, _ code: String, _ message: String) -> String {
        "{\"exception\":\"\(type)\",\"errorcode\":\"\(code)\",\"message\":\"\(message)\"}"
    }

    private func locked<T>(_ body: () -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body()
    }
}

struct StubError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
