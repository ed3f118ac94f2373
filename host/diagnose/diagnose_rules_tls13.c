/* Rules for what TLS 1.3 adds beyond a ClientHello refusal (issue 17 psk13):
 * a resumption refused for want of a common PSK key exchange mode, and the
 * RFC 8446 4.1.3 downgrade sentinel. Typed evidence only: the server's parse
 * of psk_key_exchange_modes and its PSK decision, the worker's handshake, the
 * impairment that wrote the sentinel, the agent's RESULT (return code,
 * alerts, resumed), and from a client log alone the 3.6 client's own
 * events (its hello offered TLS 1.3, the error and alert where it aborted). */
#include "diagnose_internal.h"

#include <stdio.h>
#include <string.h>

#include "policy.h"

#define ERR3_ILLEGAL_PARAMETER (-0x6600) /* 3.x MBEDTLS_ERR_SSL_ILLEGAL_PARAMETER */
#define ALERT_ILLEGAL_PARAMETER 47
#define ALERT_DECRYPT_ERROR 51
#define ERR_ECP_VERIFY_FAILED (-0x4E00) /* the same in 2.28 and 3.6 */
#define ERR_RSA_VERIFY_FAILED (-0x4380)

static const char *modes_words(bool ke, bool dhe)
{
    return ke && dhe ? "psk_ke, psk_dhe_ke" : ke ? "psk_ke" : dhe ? "psk_dhe_ke" : "none";
}

/* The client offered a ticket with modes the server does not resume with. */
static void rule_psk_mode(const diagnose_input_t *in, const dg_facts_t *f, dg_cands_t *c)
{
    const server_view_t *sv = in->server;
    if (!sv || !sv->psk_offered || sv->psk_decision != POLICY_PSK_MODE_MISMATCH || sv->resumed)
        return;
    bool client_failed = f->final_code != 0 || (in->has_ret && in->mbedtls_ret != 0);
    /* A client with a full-handshake fallback still completes: the refusal is
     * then a finding next to handshake-ok, not the verdict. */
    double score = client_failed ? 0.95 : 0.5;
    const char *id = "tls13-psk-mode-mismatch";
    dg_add(c, id, score,
           "server's ClientHello parse: pre_shared_key (a ticket) with psk_key_exchange_modes "
           "[%s]%s",
           modes_words(sv->psk_ke, sv->psk_dhe_ke),
           sv->psk_modes_sent ? "" : " (the extension is missing)");
    dg_add(c, id, score,
           "server decision: PSK mode_mismatch, no mode in common with the profile's "
           "tls13_psk_modes: the ticket cannot be used");
    if (sv->handshake_ran && sv->handshake_ret != 0)
        dg_add(c, id, score, "server handshake: ended -0x%04x without a usable key exchange",
               (unsigned)-sv->handshake_ret);
    if (in->has_resumed)
        dg_add(c, id, score, "agent result: resumed %s", in->resumed ? "true" : "false");
    if (!client_failed)
        return;
    /* The refusal looks like a plain handshake_failure to the client. */
    static const char *const covered[] = {"no-shared-ciphersuite",
                                          "no-shared-group",
                                          "tls13-no-key-share-group",
                                          "missing-supported-groups",
                                          "sni-rejected",
                                          "sni-required",
                                          "peer-closed"};
    for (size_t i = 0; i < sizeof covered / sizeof covered[0]; i++)
        dg_cap(c, covered[i], 0.4);
}

/* The server's ServerHello carried the sentinel (the server's impairment). */
static void rule_sentinel_server(const diagnose_input_t *in, const dg_facts_t *f, dg_cands_t *c)
{
    const server_view_t *sv = in->server;
    if (!sv || !sv->downgrade_sentinel)
        return;
    const char *id = "tls13-downgrade-detected";
    bool ret_47 = in->has_ret && in->mbedtls_ret == ERR3_ILLEGAL_PARAMETER && f->version >= 30000;
    bool sent_47 = in->agent_alert_sent == ALERT_ILLEGAL_PARAMETER;
    if (!sv->offers_tls13) {
        /* A TLS 1.2-only client does not look at the sentinel (RFC 8446 4.1.3 asks
         * it of 1.3 clients): what follows is the rewritten random's own damage. */
        bool sig = in->has_ret && (in->mbedtls_ret == ERR_ECP_VERIFY_FAILED ||
                                   in->mbedtls_ret == ERR_RSA_VERIFY_FAILED);
        bool failed = f->final_code != 0 || (in->has_ret && in->mbedtls_ret != 0);
        if (!failed)
            return;
        const char *alt = "server-hello-altered";
        double s = sig || in->agent_alert_sent == ALERT_DECRYPT_ERROR ? 0.9 : 0.5;
        dg_add(c, alt, s,
               "server capture: the ServerHello left the server rewritten (downgrade sentinel "
               "written into its random by the impairment downgrade_sentinel)");
        dg_add(c, alt, s,
               "server's ClientHello parse: no TLS 1.3 offered (the sentinel goes "
               "unchecked)");
        if (sig)
            dg_add(c, alt, s, "agent result: -0x%04x, the signature over both randoms failed",
                   (unsigned)-in->mbedtls_ret);
        if (in->agent_alert_sent == ALERT_DECRYPT_ERROR)
            dg_add(c, alt, s, "agent result: sent alert 51 decrypt_error");
        return;
    }
    double score = ret_47 || sent_47 ? 0.95 : 0.55;
    dg_add(c, id, score,
           "server capture: ServerHello.random ends with the downgrade sentinel "
           "44 4F 57 4E 47 52 44 01 (impairment downgrade_sentinel), in a TLS 1.2 ServerHello");
    dg_add(c, id, score, "server's ClientHello parse: supported_versions offers TLS 1.3");
    if (ret_47)
        dg_add(c, id, score, "agent result: -0x6600 MBEDTLS_ERR_SSL_ILLEGAL_PARAMETER");
    if (sent_47)
        dg_add(c, id, score, "agent result: sent alert 47 illegal_parameter");
    dg_cap(c, "protocol-version", 0.4);
}

/* A client log alone: a 3.6 client that offered TLS 1.3 aborted its first
 * ServerHello with illegal_parameter before any TLS 1.2 processing. mbedTLS
 * 3.6 does so for the sentinel (ssl_tls13_is_downgrade_negotiation) and for
 * a TLS 1.2 answer while its minimum is 1.3; both are a downgrade refused. */
static void rule_sentinel_log(const dg_facts_t *f, dg_cands_t *c)
{
    /* A hello that offers TLS 1.3 is a 3.x client's: 2.28 has none. */
    if (!f->have_log || !f->ch || !f->ch->offers_tls13)
        return;
    bool code = false;
    const logparse_event_t *code_ev = NULL;
    for (size_t i = 0; i < f->n_codes; i++) {
        if (f->codes[i] == ERR3_ILLEGAL_PARAMETER) {
            code = true;
            code_ev = f->code_ev[i];
        }
    }
    if (!code || f->alert_sent != ALERT_ILLEGAL_PARAMETER || f->alert_rcv >= 0 ||
        f->server_suite != 0 || f->handshake_done)
        return;
    char ev[256];
    const char *id = "tls13-downgrade-detected";
    dg_add(c, id, 0.7, "client log ClientHello: supported_versions offers TLS 1.3");
    if (code_ev)
        dg_add(c, id, 0.7, "%s", dg_ev(code_ev, ev, sizeof ev));
    if (f->alert_sent_ev)
        dg_add(c, id, 0.7, "%s", dg_ev(f->alert_sent_ev, ev, sizeof ev));
}

/* A client log alone: the ServerKeyExchange signature (over both randoms)
 * failed and the client said decrypt_error. A rewritten ServerHello is one
 * cause, a wrong server key or a broken verify another: ranked, not decided. */
static void rule_altered_log(const dg_facts_t *f, dg_cands_t *c)
{
    if (!f->have_log || f->handshake_done || f->alert_sent != ALERT_DECRYPT_ERROR)
        return;
    for (size_t i = 0; i < f->n_codes; i++) {
        if (f->codes[i] == ERR_ECP_VERIFY_FAILED || f->codes[i] == ERR_RSA_VERIFY_FAILED) {
            char ev[256];
            dg_add(c, "server-hello-altered", 0.5, "%s", dg_ev(f->code_ev[i], ev, sizeof ev));
            if (f->alert_sent_ev)
                dg_add(c, "server-hello-altered", 0.5, "%s",
                       dg_ev(f->alert_sent_ev, ev, sizeof ev));
            return;
        }
    }
}

/* A client log alone of a resumption run (two connections): a TLS 1.3
 * handshake completed, and a later one got handshake_failure (40) before any
 * ServerHello. The log shows no modes the server takes: ranked, not decided. */
static void rule_resumption_log(const dg_facts_t *f, dg_cands_t *c)
{
    if (!f->have_log || !f->done_ev || !f->alert_rcv_ev || f->alert_rcv != 40 || !f->ch ||
        !f->ch->offers_tls13 || f->alert_rcv_ev->line <= f->done_ev->line)
        return;
    char ev[256];
    const char *id = "tls13-psk-mode-mismatch";
    dg_cap(c, "handshake-ok", 0.3);
    dg_add(c, id, 0.5, "%s (a first connection; the failure comes later)",
           dg_ev(f->done_ev, ev, sizeof ev));
    dg_add(c, id, 0.5, "%s", dg_ev(f->alert_rcv_ev, ev, sizeof ev));
}

void dg_rules_tls13(const diagnose_input_t *in, const dg_facts_t *f, dg_cands_t *c)
{
    rule_resumption_log(f, c);
    /* A resumption run logs two handshakes: the first one's completion says
     * nothing about the second, which the RESULT describes. */
    if (in->has_resumed && in->has_ret && in->mbedtls_ret != 0)
        dg_cap(c, "handshake-ok", 0.2);
    rule_altered_log(f, c);
    rule_psk_mode(in, f, c);
    rule_sentinel_server(in, f, c);
    rule_sentinel_log(f, c);
}
