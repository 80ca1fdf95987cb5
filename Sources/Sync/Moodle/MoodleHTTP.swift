import CCurlShim
import Foundation

/// One HTTPS POST through libcurl (the `CCurlShim` target), off the caller's thread: libcurl blocks.
enum MoodleHTTP {
    struct Answer: Sendable {
        var status: Int
        var body: Data
    }

    /// Throws `MoodleError.unreachable` for anything below HTTP (DNS, refused, TLS, time-out).
    /// `body` is form-encoded, so ASCII.
    static func post(_ endpoint: MoodleEndpoint, body: String) async throws -> Answer {
        let url = endpoint.serverURL
        let caFile = endpoint.caFile
        let connectTimeout = endpoint.connectTimeout
        let timeout = endpoint.timeout
        return try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                var response = ldapsync_http_response()
                ldapsync_http_post(url, body, body.utf8.count, caFile, connectTimeout, timeout, &response)
                defer { ldapsync_http_response_free(&response) }
                guard response.curl_code == 0 else {
                    let message = withUnsafeBytes(of: response.error) { raw in
                        String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
                    }
                    continuation.resume(throwing: MoodleError.unreachable(url: endpoint.siteURL, reason: message))
                    return
                }
                let data = response.body.map { Data(bytes: $0, count: response.body_length) } ?? Data()
                continuation.resume(returning: Answer(status: response.status, body: data))
            }
        }
    }
}
