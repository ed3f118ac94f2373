#define _POSIX_C_SOURCE 200809L
#include "result_diagnosis.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diagnose.h"
#include "file_read.h"
#include "logparse.h"

/* Copy an array of integers (ids) or of objects with an "id" member. */
static json_t *ids_of(const json_t *arr)
{
    json_t *out = json_array();
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v)
    {
        if (json_is_integer(v)) {
            json_array_append(out, v);
        } else if (json_is_object(v) && json_is_integer(json_object_get(v, "id"))) {
            json_array_append(out, json_object_get(v, "id"));
        }
    }
    return out;
}

json_t *server_view_for_diagnosis(const json_t *view)
{
    if (!json_is_object(view)) {
        return NULL;
    }
    json_t *d = json_object();
    const json_t *ch = json_object_get(view, "clienthello");
    if (json_is_object(ch)) {
        json_t *c = json_object();
        const json_t *sni = json_object_get(ch, "sni");
        if (!sni) {
            sni = json_object_get(ch, "server_name");
        }
        json_object_set_new(c, "sni", json_is_string(sni) ? json_copy((json_t *)sni) : json_null());
        json_object_set_new(c, "suites",
                            ids_of(json_object_get(ch, "cipher_suites")
                                       ? json_object_get(ch, "cipher_suites")
                                       : json_object_get(ch, "suites")));
        json_object_set_new(c, "extensions", ids_of(json_object_get(ch, "extensions")));
        json_object_set_new(c, "groups",
                            ids_of(json_object_get(ch, "supported_groups")
                                       ? json_object_get(ch, "supported_groups")
                                       : json_object_get(ch, "groups")));
        json_object_set_new(d, "clienthello", c);
    }
    const json_t *dec = json_object_get(view, "decision");
    const char *reaction = json_string_value(json_object_get(dec, "reaction"));
    if (reaction && strcmp(reaction, "continue") != 0) {
        json_t *r = json_object();
        json_object_set(r, "reaction", json_object_get(dec, "reaction"));
        json_object_set(r, "reason", json_object_get(dec, "reason"));
        if (json_object_get(dec, "alert")) {
            json_object_set(r, "alert", json_object_get(dec, "alert"));
        }
        json_object_set_new(d, "refusal", r);
    }
    const json_t *hs = json_object_get(view, "handshake");
    if (json_is_object(hs)) {
        json_t *n = json_object();
        json_object_set(n, "version", json_object_get(hs, "version"));
        json_object_set(n, "suite", json_object_get(hs, "suite"));
        json_object_set_new(d, "negotiated", n);
    }
    if (json_is_integer(json_object_get(view, "alert_sent"))) {
        json_object_set(d, "alert_sent", json_object_get(view, "alert_sent"));
    }
    if (json_is_integer(json_object_get(view, "alert_received"))) {
        json_object_set(d, "alert_received", json_object_get(view, "alert_received"));
    }
    return d;
}

int result_add_diagnosis(json_t *result, const char *log_path)
{
    size_t len = 0;
    char *text = file_read_all(log_path, 64u << 20, &len);
    logparse_result_t *log = text ? logparse_text(text, len) : NULL;
    json_t *sv = server_view_for_diagnosis(json_object_get(result, "server"));

    diagnose_input_t in;
    memset(&in, 0, sizeof in);
    in.log = log;
    in.server_view = sv;
    json_t *ret = json_object_get(result, "mbedtls_ret");
    in.has_ret = json_is_integer(ret);
    in.mbedtls_ret = (int)json_integer_value(ret);
    in.mbedtls_version =
        json_string_value(json_object_get(json_object_get(result, "agent"), "mbedtls_version"));
    const json_t *time_set = json_object_get(result, "client_time");
    if (time_set) {
        in.time_known = true;
        in.time_set = json_is_integer(time_set);
        in.time_value = json_integer_value(time_set);
    }
    const json_t *link = json_object_get(result, "link");
    in.link_error = json_integer_value(json_object_get(link, "crc_errors")) > 0 ||
                    json_integer_value(json_object_get(link, "resyncs")) > 0 ||
                    json_object_get(result, "infra_error") != NULL;
    diagnosis_t d;
    int rc = diagnose(&in, &d);
    if (rc == 0) {
        json_t *dj = diagnosis_to_json(&d);
        json_object_update(result, dj);
        json_decref(dj);
    }
    json_decref(sv);
    logparse_free(log);
    free(text);
    return rc;
}
