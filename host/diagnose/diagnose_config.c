/* issue 17 cfgfile: the diagnosis against the client's own mbedTLS configuration.
 * - The fix of each verdict names its configuration macros as data (k_fix_macros), so a
 *   fix is checked by looking the macros up in the preprocessed configuration
 *   (config_macros.h), never by reading the fix's text.
 * - sni-not-sent: the scenario gave the client a server name and none left it (the server's
 *   parsed ClientHello), with the image's HELLO features or the configuration saying why. */
#include "diagnose_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define SNI_MACRO "MBEDTLS_SSL_SERVER_NAME_INDICATION"

static const fix_macro_t k_fix_macros[] = {
    {"sni-not-sent", SNI_MACRO, FIX_MACRO_DEFINED, 0, 0, NULL},
    {"sni-required", SNI_MACRO, FIX_MACRO_DEFINED, 0, 0, NULL},
    {"sha1-not-supported", "MBEDTLS_SHA1_C", FIX_MACRO_DEFINED, 0, 0, NULL},
    {"mpi-too-small", "MBEDTLS_MPI_MAX_SIZE", FIX_MACRO_AT_LEAST, 512, 0, NULL},
    {"record-too-large", "MBEDTLS_SSL_IN_CONTENT_LEN", FIX_MACRO_AT_LEAST, 16384, 0, NULL},
    {"missing-supported-groups", "MBEDTLS_ECP_C", FIX_MACRO_DEFINED, 0, 0, NULL},
    {"missing-supported-groups", "MBEDTLS_ECP_DP_SECP256R1_ENABLED", FIX_MACRO_DEFINED, 0, 1, NULL},
    {"missing-supported-groups", "MBEDTLS_ECP_DP_CURVE25519_ENABLED", FIX_MACRO_DEFINED, 0, 1,
     NULL},
    {"no-shared-group", "MBEDTLS_ECP_DP_SECP256R1_ENABLED", FIX_MACRO_DEFINED, 0, 1, NULL},
    {"no-shared-group", "MBEDTLS_ECP_DP_CURVE25519_ENABLED", FIX_MACRO_DEFINED, 0, 1, NULL},
    {"curve-not-supported", "MBEDTLS_ECP_DP_SECP256R1_ENABLED", FIX_MACRO_DEFINED, 0, 0, NULL},
    {"curve-not-supported", "MBEDTLS_ECP_DP_SECP384R1_ENABLED", FIX_MACRO_DEFINED, 0, 0, NULL},
    {"curve-not-supported", "MBEDTLS_ECP_DP_CURVE25519_ENABLED", FIX_MACRO_DEFINED, 0, 0, NULL},
    {"no-shared-ciphersuite", "MBEDTLS_KEY_EXCHANGE_ECDHE_RSA_ENABLED", FIX_MACRO_DEFINED, 0, 0,
     NULL},
    {"no-shared-ciphersuite", "MBEDTLS_GCM_C", FIX_MACRO_DEFINED, 0, 0, NULL},
    {"missing-required-extension", "MBEDTLS_SSL_EXTENDED_MASTER_SECRET", FIX_MACRO_DEFINED, 0, 0,
     NULL},
    {"protocol-version", "MBEDTLS_SSL_PROTO_TLS1_2", FIX_MACRO_DEFINED, 0, 1, NULL},
    {"protocol-version", "MBEDTLS_SSL_PROTO_TLS1_3", FIX_MACRO_DEFINED, 0, 1, "mbedtls-3.6"},
    {"signature-algorithm-mismatch", "MBEDTLS_PKCS1_V21", FIX_MACRO_DEFINED, 0, 0, NULL},
    {"signature-algorithm-mismatch", "MBEDTLS_X509_RSASSA_PSS_SUPPORT", FIX_MACRO_DEFINED, 0, 0,
     NULL},
    {"signature-algorithm-mismatch", "MBEDTLS_SHA512_C", FIX_MACRO_DEFINED, 0, 0, NULL},
    {"tls13-psk-mode-mismatch", "MBEDTLS_SSL_TLS1_3_KEY_EXCHANGE_MODE_PSK_EPHEMERAL_ENABLED",
     FIX_MACRO_DEFINED, 0, 0, "mbedtls-3.6"},
};

size_t diagnose_fix_macros(const char *id, const char *stack, const fix_macro_t **out, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; id && i < sizeof k_fix_macros / sizeof k_fix_macros[0]; i++) {
        const fix_macro_t *m = &k_fix_macros[i];
        if (strcmp(m->verdict, id) != 0 || (m->stack && stack && strcmp(m->stack, stack) != 0))
            continue;
        if (n < cap)
            out[n] = m;
        n++;
    }
    return n < cap ? n : cap;
}

void dg_rules_config(const diagnose_input_t *in, dg_cands_t *c)
{
    const server_view_t *sv = in->server;
    if (!in->requested_sni || !sv || !sv->has_clienthello || sv->sni_sent)
        return;
    bool config_lacks = in->config && !config_macros_defined(in->config, SNI_MACRO);
    double score = in->agent_sni == 0 || config_lacks ? 0.97 : 0.85;
    dg_add(c, "sni-not-sent", score,
           "scenario: the client was given server name \"%.120s\" "
           "(mbedtls_ssl_set_hostname())",
           in->requested_sni);
    dg_add(c, "sni-not-sent", score, "server's ClientHello parse: no server_name extension");
    if (in->agent_sni == 0)
        dg_add(c, "sni-not-sent", score,
               "agent HELLO: the image's features lack \"sni\" (built without " SNI_MACRO ")");
    /* The name never left the client: a refusal for a missing name, or a completed handshake
     * that did not do what the scenario asked, both come from this. */
    dg_cap(c, "sni-required", 0.6);
    dg_cap(c, "handshake-ok", 0.5);
}

/* Bounded text assembly: these texts are cut at their buffers on purpose. */
static void put(char *dst, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void put(char *dst, size_t cap, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(dst, cap, fmt, ap);
    va_end(ap);
}

static bool check_one(const config_macros_t *cfg, const fix_macro_t *m, diagnosis_config_check_t *k)
{
    memset(k, 0, sizeof *k);
    k->macro = m->macro;
    if (m->kind == FIX_MACRO_DEFINED) {
        snprintf(k->wanted, sizeof k->wanted, "defined");
        k->met = config_macros_defined(cfg, m->macro);
        snprintf(k->found, sizeof k->found, "%s", k->met ? "defined" : "not defined");
        return k->met;
    }
    snprintf(k->wanted, sizeof k->wanted, ">= %lld", m->min);
    long long v = 0;
    int rc = config_macros_int(cfg, m->macro, &v);
    if (rc == 0) {
        snprintf(k->found, sizeof k->found, "%lld", v);
        k->met = v >= m->min;
    } else {
        snprintf(k->found, sizeof k->found, "%s", rc == -1 ? "not defined" : "not a number");
    }
    return k->met;
}

/* "MBEDTLS_X is not defined", "MBEDTLS_Y is 256 (needs >= 512)" for the unmet checks. */
static size_t describe_unmet(const diagnosis_t *out, char *buf, size_t cap)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < out->n_config_checks && used < cap; i++) {
        const diagnosis_config_check_t *k = &out->config_checks[i];
        if (k->met)
            continue;
        if (strcmp(k->wanted, "defined") == 0)
            used += (size_t)snprintf(buf + used, cap - used, "%sdoes not define %s",
                                     used ? ", " : "", k->macro);
        else
            used += (size_t)snprintf(buf + used, cap - used, "%ssets %s to %s (the fix needs %s)",
                                     used ? ", " : "", k->macro, k->found, k->wanted);
    }
    return used;
}

void dg_config_check(const diagnose_input_t *in, diagnosis_t *out, const char *id, bool decided)
{
    const fix_macro_t *ms[DIAG_MAX_CONFIG_CHECKS];
    size_t n = id ? diagnose_fix_macros(id, in->config_stack, ms, DIAG_MAX_CONFIG_CHECKS) : 0;
    if (n == 0)
        return;
    out->config_checked = true;
    /* Unmet: a needed-alone macro is missing, or no macro of an any-of group is there. */
    bool unmet = false;
    unsigned group_seen = 0, group_met = 0; /* bit per group 1..31 */
    for (size_t i = 0; i < n; i++) {
        bool met = check_one(in->config, ms[i], &out->config_checks[out->n_config_checks++]);
        if (ms[i]->any_of == 0) {
            unmet |= !met;
        } else if (ms[i]->any_of < 32) {
            group_seen |= 1u << ms[i]->any_of;
            group_met |= met ? 1u << ms[i]->any_of : 0u;
        }
    }
    unmet |= group_seen != group_met;
    out->config_fix_applies = unmet;
    const char *label = in->config_label ? in->config_label : "the client's configuration";
    char what[600], text[DIAG_TEXT + 900], ev[256];
    if (unmet) {
        describe_unmet(out, what, sizeof what);
        if (!what[0]) /* every group member missing: name the first */
            snprintf(what, sizeof what, "defines none of the macros the fix names");
        if (decided)
            put(text, sizeof text, "Your configuration (%s) %s: that is what to change. %s", label,
                what, out->fix);
        else
            put(text, sizeof text,
                "If it is %s: your configuration (%s) %s: that is what to "
                "change. %s",
                id, label, what, diagnose_verdict_fix(id));
        put(ev, sizeof ev, "configuration %.160s: %.80s", label, what);
    } else {
        size_t used = 0;
        what[0] = '\0';
        for (size_t i = 0; i < out->n_config_checks && used < sizeof what; i++)
            used += (size_t)snprintf(
                what + used, sizeof what - used, "%s%s%s%s", used ? ", " : "",
                out->config_checks[i].macro,
                strcmp(out->config_checks[i].wanted, "defined") ? " = " : "",
                strcmp(out->config_checks[i].wanted, "defined") ? out->config_checks[i].found : "");
        if (decided)
            put(text, sizeof text,
                "Your configuration (%s) already has %s, so the cause lies elsewhere. %s", label,
                what, out->fix);
        else
            put(text, sizeof text,
                "If it is %s: your configuration (%s) already has %s, so the cause lies "
                "elsewhere. %s",
                id, label, what, diagnose_verdict_fix(id));
        put(ev, sizeof ev, "configuration %.160s: has %.80s", label, what);
    }
    put(out->fix, sizeof out->fix, "%s", text);
    if (out->n_evidence < DIAG_MAX_EVIDENCE)
        put(out->evidence[out->n_evidence++], sizeof out->evidence[0], "%s", ev);
}
