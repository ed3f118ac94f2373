/* Rules on the server's typed view: the decision rule maps to a verdict
 * through one table (never through the free-text reason, which carries client
 * data such as the SNI), the alerts the server saw on the wire, and how its
 * handshake ended. */
#include "diagnose_internal.h"

#include <stdio.h>
#include <string.h>

/* The server's decision rule -> the verdict it proves. NULL: no verdict from
 * the rule alone (accepted hello, or nothing decided). */
static const struct {
    server_rule_t rule;
    const char *id;
} rule_verdicts[] = {
    {SERVER_RULE_VERSION, "protocol-version"},
    {SERVER_RULE_MISSING_EXTENSION, "missing-required-extension"},
    {SERVER_RULE_SNI_MISSING, "sni-required"},
    {SERVER_RULE_SNI_UNLISTED, "sni-rejected"},
    {SERVER_RULE_ECDHE_WITHOUT_GROUPS, "missing-supported-groups"},
    {SERVER_RULE_NO_SHARED_GROUP, "no-shared-group"},
    {SERVER_RULE_NO_SHARED_SUITE, "no-shared-ciphersuite"},
    {SERVER_RULE_LIVE_TLS13, "protocol-version"},
    {SERVER_RULE_MALFORMED_HELLO, "malformed-clienthello"},
    {SERVER_RULE_NO_KEY_SHARE, "tls13-no-key-share-group"},
    {SERVER_RULE_PSK_MODE_MISMATCH, "tls13-psk-mode-mismatch"},
};

const char *dg_rule_verdict(server_rule_t rule)
{
    for (size_t i = 0; i < sizeof rule_verdicts / sizeof rule_verdicts[0]; i++) {
        if (rule_verdicts[i].rule == rule)
            return rule_verdicts[i].id;
    }
    return NULL;
}

static const char *reaction_words(const server_view_t *sv, char *buf, size_t cap)
{
    switch (sv->reaction) {
    case REACT_ALERT:
        snprintf(buf, cap, "fatal alert %d (%s)", sv->refusal_alert,
                 logparse_alert_name(sv->refusal_alert));
        break;
    case REACT_RESET:
        snprintf(buf, cap, "TCP reset");
        break;
    case REACT_CLOSE:
        snprintf(buf, cap, "close without alert");
        break;
    case REACT_SILENCE:
        snprintf(buf, cap, "silence");
        break;
    case REACT_CONTINUE:
        snprintf(buf, cap, "handshake continued");
        break;
    }
    return buf;
}

static bool has_ext(const server_view_t *sv, uint16_t id)
{
    for (size_t i = 0; i < sv->n_extensions; i++) {
        if (sv->extensions[i] == id)
            return true;
    }
    return false;
}

static void rule_decision(const server_view_t *sv, dg_cands_t *c)
{
    const char *id = dg_rule_verdict(sv->rule);
    if (!id)
        return;
    char how[96];
    reaction_words(sv, how, sizeof how);
    /* A reset, close or silence was only the server's way of refusing. */
    dg_cap(c, "connection-reset", 0.5);
    dg_cap(c, "peer-closed", 0.5);
    dg_cap(c, "timeout", 0.5);
    dg_add(c, id, 0.95, "server decision: rule %s, reaction %s", server_rule_name(sv->rule), how);
    /* What the server's own parse of the hello shows, for the rules that read it. */
    if (!sv->has_clienthello)
        return;
    switch (sv->rule) {
    case SERVER_RULE_SNI_UNLISTED:
        dg_add(c, id, 0.95, "server's ClientHello parse: server_name \"%.120s\"", sv->sni);
        break;
    case SERVER_RULE_SNI_MISSING:
        dg_add(c, id, 0.95, "server's ClientHello parse: no server_name");
        break;
    case SERVER_RULE_NO_SHARED_GROUP:
        dg_add(c, id, 0.95, "server's ClientHello parse: supported_groups with %zu group%s",
               sv->n_groups, sv->n_groups == 1 ? "" : "s");
        /* The extension was there: the missing-extension reading is ruled out. */
        dg_cap(c, "missing-supported-groups", 0.05);
        break;
    case SERVER_RULE_ECDHE_WITHOUT_GROUPS:
        dg_add(c, id, 0.95, "server's ClientHello parse: no supported_groups (10)");
        break;
    case SERVER_RULE_NO_SHARED_SUITE:
        dg_add(c, id, 0.95, "server's ClientHello parse: %zu cipher suite%s offered", sv->n_suites,
               sv->n_suites == 1 ? "" : "s");
        break;
    default:
        break;
    }
}

/* Alerts the server saw on its connection (capture). */
static void rule_wire_alerts(const server_view_t *sv, dg_cands_t *c)
{
    int got = sv->alert_received;
    if (got == 48)
        dg_add(c, "unknown-ca", 0.75,
               "server capture: received alert 48 unknown_ca from the client");
    else if (got == 45)
        dg_add(c, "cert-expired", 0.6,
               "server capture: received alert 45 certificate_expired from the client");
    else if (got == 70)
        dg_add(c, "protocol-version", 0.6,
               "server capture: received alert 70 protocol_version from the client");
    if (sv->rule != SERVER_RULE_OK)
        return; /* a refusal's own alert is covered by the decision rule */
    int sent = sv->alert_sent;
    if (sent == 112)
        dg_add(c, "sni-rejected", 0.85, "server capture: sent alert 112 unrecognized_name");
    else if (sent == 116)
        dg_add(c, "client-cert-required", 0.85,
               "server capture: sent alert 116 certificate_required");
    else if (sent == 70)
        dg_add(c, "protocol-version", 0.85, "server capture: sent alert 70 protocol_version");
}

void dg_rules_server(const diagnose_input_t *in, const dg_facts_t *f, dg_cands_t *c)
{
    const server_view_t *sv = in->server;
    if (!sv)
        return;
    rule_decision(sv, c);
    rule_wire_alerts(sv, c);
    if (sv->has_clienthello && !has_ext(sv, 10) && sv->rule != SERVER_RULE_ECDHE_WITHOUT_GROUPS &&
        dg_rule_verdict(sv->rule))
        dg_add(c, "missing-supported-groups", 0.3,
               "server's ClientHello parse: no supported_groups (10)");
    bool client_failed = f->final_code != 0 || (in->has_ret && in->mbedtls_ret != 0);
    if (sv->handshake_ran && sv->handshake_ret == 0 && sv->alert_received < 0 && !client_failed)
        dg_add(c, "handshake-ok", f->have_log ? 0.8 : 0.9, "server handshake: completed, %s %s",
               sv->version, sv->suite);
}
