/* Events and the decoded ClientHello as JSON (for reports and `tlsrig explain --json`). */
#include "logparse_internal.h"

#include <stdio.h>

static const char *const type_names[LP_EV__COUNT] = {
    "version",      "state",          "suite_offered",  "suite_count",
    "ext_offered",  "group_offered",  "sigalg_offered", "sni",
    "max_version",  "client_time",    "server_version", "server_suite",
    "server_group", "server_sigalg",  "protocol",       "cert_field",
    "verify_flags", "alert_received", "alert_sent",     "return",
    "final_error",  "handshake_done", "record_in",      "record_out",
    "hs_message",   "hexdump",        "note",
};

const char *logparse_event_type_name(logparse_event_type_t t)
{
    return (unsigned)t < LP_EV__COUNT ? type_names[t] : "unknown";
}

static json_t *u16_array(const uint16_t *v, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++)
        json_array_append_new(a, json_integer(v[i]));
    return a;
}

json_t *logparse_clienthello_to_json(const logparse_clienthello_t *ch)
{
    if (!ch || !ch->present)
        return json_null();
    json_t *o = json_object();
    if (!o)
        return NULL;
    if (ch->has_suites) {
        char v[8];
        snprintf(v, sizeof v, "0x%04x", ch->version);
        json_object_set_new(o, "legacy_version", json_string(v));
        json_object_set_new(o, "suites", u16_array(ch->suites, ch->n_suites));
    }
    json_object_set_new(o, "extensions", u16_array(ch->extensions, ch->n_extensions));
    json_t *names = json_array();
    for (size_t i = 0; names && i < ch->n_extensions; i++)
        json_array_append_new(names, json_string(logparse_extension_name(ch->extensions[i])));
    json_object_set_new(o, "extension_names", names);
    json_object_set_new(o, "groups", u16_array(ch->groups, ch->n_groups));
    json_object_set_new(o, "sigalgs", u16_array(ch->sigalgs, ch->n_sigalgs));
    json_object_set_new(o, "sni", ch->has_sni ? json_string(ch->sni) : json_null());
    json_object_set_new(o, "line", json_integer((json_int_t)ch->source_line));
    return o;
}

json_t *logparse_to_json(const logparse_result_t *r)
{
    if (!r)
        return json_null();
    json_t *o = json_object();
    json_t *evs = json_array();
    if (!o || !evs) {
        json_decref(o);
        json_decref(evs);
        return NULL;
    }
    const char *ver = logparse_version(r);
    json_object_set_new(o, "version", ver ? json_string(ver) : json_null());
    json_object_set_new(o, "max_level", json_integer(r->max_level));
    json_object_set_new(o, "stack", json_string(logparse_stack_name(r->stack)));
    json_object_set_new(o, "lines", json_integer((json_int_t)r->n_lines));
    for (size_t i = 0; i < r->n_events; i++) {
        const logparse_event_t *e = &r->events[i];
        json_t *j = json_object();
        if (!j)
            continue;
        json_object_set_new(j, "type", json_string(logparse_event_type_name(e->type)));
        json_object_set_new(j, "line", json_integer((json_int_t)e->line));
        if (e->level >= 0)
            json_object_set_new(j, "level", json_integer(e->level));
        if (e->time_ms >= 0)
            json_object_set_new(j, "time_ms", json_integer(e->time_ms));
        json_object_set_new(j, "num", json_integer(e->num));
        if (e->num2)
            json_object_set_new(j, "num2", json_integer(e->num2));
        if (e->str)
            json_object_set_new(j, "str", json_string(e->str));
        if (e->str2)
            json_object_set_new(j, "str2", json_string(e->str2));
        if (e->type == LP_EV_HEXDUMP)
            json_object_set_new(j, "bytes", json_integer((json_int_t)e->data_len));
        json_object_set_new(j, "text", json_string(e->text));
        json_array_append_new(evs, j);
    }
    json_object_set_new(o, "events", evs);
    json_object_set_new(o, "clienthello", logparse_clienthello_to_json(&r->ch));
    return o;
}
