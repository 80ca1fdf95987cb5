import Foundation

/// Moodle's REST web service (`/webservice/rest/server.php`): `wstoken`, `wsfunction`,
/// `moodlewsrestformat=json` and the function's parameters form-encoded (`users[0][id]=5`). Moodle
/// answers HTTP 200 with the function's JSON, or with `{"exception", "errorcode", "message"}`.
public struct MoodleClient: Sendable {
    public var endpoint: MoodleEndpoint

    public init(endpoint: MoodleEndpoint) {
        self.endpoint = endpoint
    }

    /// One parameter: a name such as `users[0][suspended]` and its value.
    public typealias Parameter = (name: String, value: String)

    /// Calls `function` and returns its decoded JSON (`NSNull` for functions that return nothing).
    public func call(_ function: String, _ parameters: [Parameter] = []) async throws -> Any {
        var fields: [Parameter] = [("wstoken", String(decoding: endpoint.token.bytes, as: UTF8.self))]
        fields.append(("wsfunction", function))
        fields.append(("moodlewsrestformat", "json"))
        fields += parameters
        let body = fields.map { Self.encode($0.name) + "=" + Self.encode($0.value) }.joined(separator: "&")
        let answer = try await MoodleHTTP.post(endpoint, body: body)
        guard answer.status == 200 else { throw MoodleError.httpStatus(function: function, status: answer.status) }
        let json: Any
        do {
            json = try JSONSerialization.jsonObject(with: answer.body, options: [.fragmentsAllowed])
        } catch {
            let start = String(decoding: answer.body.prefix(80), as: UTF8.self)
            throw MoodleError.badAnswer(function: function, detail: "not JSON (starts \(start.debugDescription))")
        }
        if let object = json as? [String: Any], let exception = object["exception"] as? String {
            let code = object["errorcode"] as? String ?? exception
            if code == "invalidtoken" { throw MoodleError.invalidToken(path: endpoint.tokenFile) }
            throw MoodleError.exception(function: function, errorCode: code, message: object["message"] as? String ?? "")
        }
        return json
    }

    /// application/x-www-form-urlencoded: everything but unreserved characters percent-encoded.
    static func encode(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                out += String(format: "%%%02X", byte)
            }
        }
        return out
    }
}
