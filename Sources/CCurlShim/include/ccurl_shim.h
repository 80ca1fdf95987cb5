#ifndef LDAPSYNC_CCURL_SHIM_H
#define LDAPSYNC_CCURL_SHIM_H

#include <stddef.h>

/// The answer to one HTTP POST: the status and the body (malloc'd, free with ldapsync_http_response_free),
/// or on a transport failure a non-zero curl code and its message.
typedef struct {
    int curl_code;
    long status;
    char *body;
    size_t body_length;
    char error[256];
} ldapsync_http_response;

/// POSTs `body` (application/x-www-form-urlencoded) to `url` and waits for the answer.
/// Certificates and host names are always verified; `ca_file` (may be NULL) replaces the system's CA
/// bundle. Redirects are not followed (a redirect could carry the token to another host or to plain http).
/// Only http and https are allowed. Safe to call from several threads at once (one easy handle per call).
void ldapsync_http_post(const char *url, const char *body, size_t body_length, const char *ca_file,
                        long connect_timeout_seconds, long timeout_seconds, ldapsync_http_response *response);

void ldapsync_http_response_free(ldapsync_http_response *response);

#endif
