// libcurl's options are set through a variadic function, which Swift cannot call: this file is the
// small, typed door to it. Foundation's URLSession on Linux uses the same libcurl but cannot be given a
// CA file, which a school's own Moodle certificate often needs.
#include "ccurl_shim.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static pthread_once_t global_once = PTHREAD_ONCE_INIT;

static void global_init(void) { curl_global_init(CURL_GLOBAL_DEFAULT); }

typedef struct {
    char *data;
    size_t length;
    size_t capacity;
    int too_large;
} buffer;

// Moodle's answers are small JSON documents; more than this is not an answer we can use.
static const size_t max_body = 64 * 1024 * 1024;

static size_t on_data(char *chunk, size_t size, size_t count, void *context) {
    buffer *b = context;
    size_t n = size * count;
    if (b->length + n + 1 > max_body) {
        b->too_large = 1;
        return 0;
    }
    if (b->length + n + 1 > b->capacity) {
        size_t capacity = b->capacity ? b->capacity : 4096;
        while (capacity < b->length + n + 1) capacity *= 2;
        char *grown = realloc(b->data, capacity);
        if (!grown) return 0;
        b->data = grown;
        b->capacity = capacity;
    }
    memcpy(b->data + b->length, chunk, n);
    b->length += n;
    b->data[b->length] = 0;
    return n;
}

void ldapsync_http_post(const char *url, const char *body, size_t body_length, const char *ca_file,
                        long connect_timeout_seconds, long timeout_seconds, ldapsync_http_response *response) {
    pthread_once(&global_once, global_init);
    memset(response, 0, sizeof(*response));
    CURL *curl = curl_easy_init();
    if (!curl) {
        response->curl_code = CURLE_FAILED_INIT;
        strncpy(response->error, "libcurl could not start", sizeof(response->error) - 1);
        return;
    }
    buffer received = {0};
    struct curl_slist *headers = curl_slist_append(NULL, "Content-Type: application/x-www-form-urlencoded");
    headers = curl_slist_append(headers, "Accept: application/json");
    headers = curl_slist_append(headers, "Expect:");

    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_POST, 1L);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)body_length);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_USERAGENT, "ldap-sync");
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
    if (ca_file) curl_easy_setopt(curl, CURLOPT_CAINFO, ca_file);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, connect_timeout_seconds);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, timeout_seconds);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &received);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, response->error);

    CURLcode code = curl_easy_perform(curl);
    response->curl_code = (int)code;
    if (code == CURLE_OK) {
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response->status);
        response->body = received.data;
        response->body_length = received.length;
    } else {
        if (received.too_large) strncpy(response->error, "the answer is larger than 64 MiB", sizeof(response->error) - 1);
        if (!response->error[0]) strncpy(response->error, curl_easy_strerror(code), sizeof(response->error) - 1);
        free(received.data);
    }
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
}

void ldapsync_http_response_free(ldapsync_http_response *response) {
    free(response->body);
    response->body = NULL;
    response->body_length = 0;
}
