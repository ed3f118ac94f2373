/* Rules on the server's view (its parsed ClientHello, refusal, negotiated parameters) and on
 * the agent's own result fields (link errors, hw/sw divergence, return code without a log). */
#include "diagnose_internal.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

/* Refusal reason keywords -> verdict (first match wins, so order matters). */
static const struct {
    const char *word;
    const char *id;
} reason_words[] = {
    {"supported_groups", "missing-supported-groups"},
    {"groups", "missing-supported-groups"},
    {"curve", "missing-supported-groups"},
    {"suite", "no-shared-ciphersuite"},
    {"cipher", "no-shared-ciphersuite"},
    {"sni", "sni-rejected"},
    {"server_name", "sni-rejected"},
    {"host name", "sni-rejected"},
    {"version", "protocol-version"},
    {"client cert", "client-cert-required"},
};

static bool contains_ci(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (; *hay; hay++) {
        size_t i = 0;
        while (i < n && hay[i] && tolower((unsigned char)hay[i]) == needle[i])
            i++;
        if (i == n)
            return true;
    }
    return false;
}

static bool array_has(const json_t *arr, json_int_t v)
{
    size_t i;
    const json_t *x;
    if (!json_is_array(arr))
        return false;
    json_array_foreach(arr, i, x)
    {
        if (json_is_integer(x) && json_integer_value(x) == v)
            return true;
    }
    return false;
}

static void rule_refusal(const json_t *sv, dg_cands_t *c)
{
    const json_t *ref = json_object_get(sv, "refusal");
    const json_t *ch = json_object_get(sv, "clienthello");
    if (!json_is_object(ref))
        return;
    const char *reason = json_string_value(json_object_get(ref, "reason"));
    const char *reaction = json_string_value(json_object_get(ref, "reaction"));
    json_int_t alert = json_integer_value(json_object_get(ref, "alert"));
    const json_t *sni = json_object_get(ch, "sni");
    bool no_sni = json_is_object(ch) && (!json_is_string(sni) || json_string_length(sni) == 0);
    const char *id = NULL;
    for (size_t k = 0; reason && !id && k < sizeof reason_words / sizeof reason_words[0]; k++) {
        if (contains_ci(reason, reason_words[k].word))
            id = reason_words[k].id;
    }
    if (id && strcmp(id, "sni-rejected") == 0 && no_sni)
        id = "sni-required";
    if (!id && json_is_object(ch) && !array_has(json_object_get(ch, "extensions"), 10))
        id = "missing-supported-groups";
    if (id) {
        /* A reset, close or silence was only the server's way of refusing. */
        dg_cap(c, "connection-reset", 0.5);
        dg_cap(c, "peer-closed", 0.5);
        dg_cap(c, "timeout", 0.5);
    }
    if (id)
        dg_add(c, id, 0.95, "server refusal: %s (reaction %s%s%d)", reason ? reason : "?",
               reaction ? reaction : "?", alert ? ", alert " : "", alert ? (int)alert : 0);
    else
        dg_add(c, "no-shared-ciphersuite", 0.3, "server refusal: %s", reason ? reason : "?");
    if (json_is_object(ch) && !array_has(json_object_get(ch, "extensions"), 10))
        dg_add(c, "missing-supported-groups", id ? 0.5 : 0.7,
               "server saw a ClientHello without supported_groups (10)");
}

void dg_rules_server(const diagnose_input_t *in, const dg_facts_t *f, dg_cands_t *c)
{
    const json_t *sv = in->server_view;
    if (!json_is_object(sv))
        return;
    rule_refusal(sv, c);
    const json_t *neg = json_object_get(sv, "negotiated");
    if (json_is_object(neg) && !json_object_get(sv, "alert_received") && f->final_code == 0 &&
        !(in->has_ret && in->mbedtls_ret != 0)) {
        const char *ver = json_string_value(json_object_get(neg, "version"));
        dg_add(c, "handshake-ok", f->have_log ? 0.8 : 0.9, "server negotiated %s %s",
               ver ? ver : "",
               json_string_value(json_object_get(neg, "suite"))
                   ? json_string_value(json_object_get(neg, "suite"))
                   : "");
    }
    /* The server received an alert from our client: the client's complaint about the server. */
    json_int_t got = json_integer_value(json_object_get(sv, "alert_received"));
    if (got == 48)
        dg_add(c, "unknown-ca", 0.75, "server received alert 48 unknown_ca from the client");
    else if (got == 45)
        dg_add(c, "cert-expired", 0.6, "server received alert 45 certificate_expired");
    else if (got == 70)
        dg_add(c, "protocol-version", 0.6, "server received alert 70 protocol_version");
    json_int_t sent = json_integer_value(json_object_get(sv, "alert_sent"));
    if (sent == 112)
        dg_add(c, "sni-rejected", 0.85, "server sent alert 112 unrecognized_name");
    else if (sent == 116)
        dg_add(c, "client-cert-required", 0.85, "server sent alert 116 certificate_required");
    else if (sent == 70)
        dg_add(c, "protocol-version", 0.85, "server sent alert 70 protocol_version");
}

void dg_rules_agent(const diagnose_input_t *in, const dg_facts_t *f, dg_cands_t *c)
{
    if (in->link_error)
        dg_add(c, "link-error", 0.95, "the rig's link reported errors during this run");
    if (in->hw_sw_divergence)
        dg_add(c, "hw-crypto-divergence", 0.95, "hw/sw divergence: %s",
               in->divergence_detail ? in->divergence_detail : "reported by the agent");
    if (in->has_ret && in->mbedtls_ret == 0 && !f->final_code)
        dg_add(c, "handshake-ok", 0.9, "agent result: mbedtls_ssl_handshake returned 0");
}
