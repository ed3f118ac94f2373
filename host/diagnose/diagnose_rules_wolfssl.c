/* Rules on wolfSSL's error codes (issue 18 wolfdiag): the codes its log names ("wolfSSL error
 * occurred, error = -188", "wolfSSL Leaving F, return -308") and the agent's result. The
 * alerts, the ClientHello's extensions and the connection's end are judged by the rules every
 * stack shares (diagnose_rules_client.c); this file holds what only wolfSSL's numbers say. */
#include "diagnose_internal.h"
#include "wolfssl_errors.h"

#include <stdio.h>
#include <string.h>

/* wolfSSL 5.7.2 code -> verdict hint (names from wolfssl/error-ssl.h, error-crypt.h). */
static const struct {
    int code;
    const char *id;
    double score;
} wolfssl_code_hints[] = {
    {-188, "unknown-ca", 0.9},            /* ASN_NO_SIGNER_E: no CA to verify the chain */
    {-155, "unknown-ca", 0.4},            /* ASN_SIG_CONFIRM_E: a CA of that name, not that key */
    {-151, "cert-expired", 0.9},          /* ASN_AFTER_DATE_E */
    {-150, "cert-not-yet-valid", 0.85},   /* ASN_BEFORE_DATE_E */
    {-322, "hostname-mismatch", 0.9},     /* DOMAIN_NAME_MISMATCH */
    {-326, "protocol-version", 0.7},      /* VERSION_ERROR: record layer version */
    {-501, "no-shared-ciphersuite", 0.6}, /* MATCH_SUITE_ERROR */
    {-500, "no-shared-ciphersuite", 0.5}, /* UNSUPPORTED_SUITE */
    {-125, "heap-exhausted", 0.85},       /* MEMORY_E */
    {-303, "heap-exhausted", 0.85},       /* MEMORY_ERROR */
    {-305, "record-protection", 0.8},     /* VERIFY_MAC_ERROR */
    {-312, "record-protection", 0.6},     /* DECRYPT_ERROR */
    {-199, "no-entropy", 0.8},            /* RNG_FAILURE_E */
    {-107, "timeout", 0.8},               /* WC_TIMEOUT_E */
    {-397, "peer-closed", 0.75},          /* SOCKET_PEER_CLOSED_E */
    {-308, "connection-reset", 0.5},      /* SOCKET_ERROR_E: the socket failed */
    {-351, "curve-not-supported", 0.7},   /* ECC_CURVE_ERROR */
    {-172, "curve-not-supported", 0.6},   /* ECC_CURVE_OID_E */
    {-410, "curve-not-supported", 0.4},   /* ECC_KEY_SIZE_E */
    {-345, "client-cert-required", 0.3},  /* NO_PEER_CERT */
};

/* ASN_PARSE_E (-140) comes from wolfSSL's ASN.1 parser. When the last handshake message the
 * log shows received before it is the server's Certificate (11), or the code is first returned
 * by ProcessPeerCerts (the peer chain's parse), it is that certificate the parser refused
 * (issue 18 wolfcert): cert-encoding-rejected. Without the log (a result's code alone) it
 * stays a ranked candidate. */
#define WOLFSSL_ASN_PARSE_E (-140)

static void cert_encoding_rule(const diagnose_input_t *in, const dg_facts_t *f, dg_cands_t *c)
{
    const logparse_event_t *code_ev = NULL;
    for (size_t i = 0; i < f->n_codes && !code_ev; i++) {
        if (f->codes[i] == WOLFSSL_ASN_PARSE_E)
            code_ev = f->code_ev[i];
    }
    bool in_result = in->has_ret && in->mbedtls_ret == WOLFSSL_ASN_PARSE_E;
    if (!code_ev && !in_result)
        return;
    const logparse_event_t *msg = NULL;
    size_t n = in->log ? logparse_event_count(in->log) : 0;
    for (size_t i = 0; i < n; i++) {
        const logparse_event_t *e = logparse_event_at(in->log, i);
        if (code_ev && e->line > code_ev->line)
            break;
        if (e->type == LP_EV_HS_MESSAGE)
            msg = e;
    }
    char ev[256];
    bool peer_certs = code_ev && code_ev->type == LP_EV_RETURN && code_ev->str &&
                      strcmp(code_ev->str, "ProcessPeerCerts") == 0;
    if ((msg && msg->num == 11) || peer_certs) {
        if (msg && msg->num == 11)
            dg_add(c, "cert-encoding-rejected", 0.9, "%s: the server's Certificate",
                   dg_ev(msg, ev, sizeof ev));
        if (code_ev)
            dg_add(c, "cert-encoding-rejected", 0.9, "%s (-140 = ASN_PARSE_E)",
                   dg_ev(code_ev, ev, sizeof ev));
        if (in_result)
            dg_add(c, "cert-encoding-rejected", 0.9, "%s",
                   "agent result: wolfSSL error -140 = ASN_PARSE_E");
    } else {
        /* Another message, or no log: ASN.1 is mostly certificates, but not proven here. */
        dg_add(c, "cert-encoding-rejected", 0.55, "wolfSSL error -140 = ASN_PARSE_E%s",
               msg ? " after another handshake message than Certificate" : "");
    }
}

static void hint(const dg_facts_t *f, dg_cands_t *c, int code, const logparse_event_t *src)
{
    char ev[256];
    const wolfssl_error_name_t *e = wolfssl_error_lookup(code);
    for (size_t k = 0; k < sizeof wolfssl_code_hints / sizeof wolfssl_code_hints[0]; k++) {
        if (wolfssl_code_hints[k].code != code)
            continue;
        double score = wolfssl_code_hints[k].score;
        /* SOCKET_ERROR_E after wolfio's "Connection reset": the peer reset the connection. */
        if (code == -308 && f->reset)
            score = 0.8;
        if (src)
            dg_add(c, wolfssl_code_hints[k].id, score, "%s (%d = %s)", dg_ev(src, ev, sizeof ev),
                   code, e ? e->name : "UNKNOWN");
        else
            dg_add(c, wolfssl_code_hints[k].id, score, "agent result: wolfSSL error %d = %s", code,
                   e ? e->name : "UNKNOWN");
    }
}

void dg_rules_wolfssl(const diagnose_input_t *in, const dg_facts_t *f, dg_cands_t *c)
{
    for (size_t i = 0; i < f->n_codes; i++)
        hint(f, c, f->codes[i], f->code_ev[i]);
    if (in->has_ret && in->mbedtls_ret < 0)
        hint(f, c, in->mbedtls_ret, NULL);
    cert_encoding_rule(in, f, c);
    /* FATAL_ERROR (-313) only says an alert came: the alert's rules read which one. */
}
