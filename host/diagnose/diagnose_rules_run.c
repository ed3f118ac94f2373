/* Rules on the rig's own facts: the agent's RESULT fields, infrastructure
 * errors by cause, and record-protection failures (bad_record_mac, MAC
 * verification or decryption failed) with their causes ranked from the
 * other backend's outcome and this image's self-tests. */
#include "diagnose_internal.h"

#include <stdio.h>
#include <string.h>

#include "tls_names.h"

#define ERR_INVALID_MAC (-0x7180)
#define ALERT_BAD_RECORD_MAC 20
#define ALERT_DECRYPTION_FAILED 21

/* How sure the rig is of each cause when it names it. A hang may also be a
 * stalled link; the others are observed directly. */
static const struct {
    infra_cause_t cause;
    double score;
} infra_scores[] = {
    {INFRA_AGENT_CRASH, 0.95}, {INFRA_AGENT_HANG, 0.8}, {INFRA_HARD_FAULT, 0.98},
    {INFRA_FLASH_ERROR, 0.95}, {INFRA_LINK_ERROR, 0.9}, {INFRA_HOST_ERROR, 0.95},
};

static void rule_infra(const diagnose_input_t *in, dg_cands_t *c)
{
    if (in->infra == INFRA_NONE)
        return;
    double score = 0.9;
    for (size_t i = 0; i < sizeof infra_scores / sizeof infra_scores[0]; i++) {
        if (infra_scores[i].cause == in->infra)
            score = infra_scores[i].score;
    }
    /* The run did not end in TLS terms: every TLS-level reading is unreliable. */
    for (size_t i = 0; i < c->n; i++) {
        if (c->c[i].score > 0.3)
            c->c[i].score = 0.3;
    }
    dg_add(c, infra_cause_id(in->infra), score, "rig: %.200s",
           in->infra_detail && in->infra_detail[0] ? in->infra_detail : "infrastructure error");
}

static bool is_mac_alert(int desc)
{
    return desc == ALERT_BAD_RECORD_MAC || desc == ALERT_DECRYPTION_FAILED;
}

/* Every source that reports a record-protection failure, as evidence lines.
 * Returns how many sources said so; c NULL only counts. */
static size_t record_protection_evidence(const diagnose_input_t *in, const dg_facts_t *f,
                                         dg_cands_t *c, const char *id, double score)
{
    size_t n = 0;
    char ev[256];
    const server_view_t *sv = in->server;
    if (is_mac_alert(f->alert_rcv)) {
        if (c)
            dg_add(c, id, score, "%s", dg_ev(f->alert_rcv_ev, ev, sizeof ev));
        n++;
    }
    if (is_mac_alert(f->alert_sent)) {
        if (c)
            dg_add(c, id, score, "%s", dg_ev(f->alert_sent_ev, ev, sizeof ev));
        n++;
    }
    for (size_t i = 0; i < f->n_codes; i++) {
        if (f->codes[i] == ERR_INVALID_MAC) {
            if (c)
                dg_add(c, id, score, "%s (-0x7180 = MBEDTLS_ERR_SSL_INVALID_MAC)",
                       dg_ev(f->code_ev[i], ev, sizeof ev));
            n++;
        }
    }
    for (size_t i = 0; i < f->n_notes; i++) {
        if (f->notes[i]->str && strcmp(f->notes[i]->str, "mac-mismatch") == 0) {
            if (c)
                dg_add(c, id, score, "%s", dg_ev(f->notes[i], ev, sizeof ev));
            n++;
        }
    }
    if (in->has_ret && in->mbedtls_ret == ERR_INVALID_MAC) {
        if (c)
            dg_add(c, id, score, "agent result: mbedtls_ret -0x7180 = MBEDTLS_ERR_SSL_INVALID_MAC");
        n++;
    }
    if (is_mac_alert(in->agent_alert_received)) {
        if (c)
            dg_add(c, id, score, "agent result: alert received %d (%s)", in->agent_alert_received,
                   logparse_alert_name(in->agent_alert_received));
        n++;
    }
    if (is_mac_alert(in->agent_alert_sent)) {
        if (c)
            dg_add(c, id, score, "agent result: alert sent %d (%s)", in->agent_alert_sent,
                   logparse_alert_name(in->agent_alert_sent));
        n++;
    }
    if (sv && sv->handshake_ran && sv->handshake_ret == ERR_INVALID_MAC) {
        if (c)
            dg_add(c, id, score,
                   "server handshake: -0x7180 = MBEDTLS_ERR_SSL_INVALID_MAC (a client record did "
                   "not verify)");
        n++;
    }
    if (sv && is_mac_alert(sv->alert_sent)) {
        if (c)
            dg_add(c, id, score, "server capture: sent alert %d (%s)", sv->alert_sent,
                   logparse_alert_name(sv->alert_sent));
        n++;
    }
    if (sv && is_mac_alert(sv->alert_received)) {
        if (c)
            dg_add(c, id, score, "server capture: received alert %d (%s)", sv->alert_received,
                   logparse_alert_name(sv->alert_received));
        n++;
    }
    return n;
}

static bool selftest_names(const diagnose_context_t *ctx, const char *prim)
{
    for (size_t i = 0; prim && i < ctx->n_selftest_failed; i++) {
        if (ctx->selftest_failed[i] && strcmp(ctx->selftest_failed[i], prim) == 0)
            return true;
    }
    return false;
}

/* hw/sw divergence: the other backend passed, or the self-tests name a
 * primitive. Returns the score given (0 when there is no such evidence). */
static double rule_divergence(const diagnose_input_t *in, const char *prim, bool failed,
                              dg_cands_t *c)
{
    const diagnose_context_t *ctx = in->context;
    if (!ctx || !failed || !in->backend || strcmp(in->backend, "hw") != 0)
        return 0.0;
    double score = 0.0;
    if (ctx->other_known && ctx->other_passed) {
        score = 0.75;
        dg_add(c, "hw-crypto-divergence", score,
               "run: the %s backend completed this scenario (mbedtls_ret 0)",
               ctx->other_backend ? ctx->other_backend : "other");
    }
    if (selftest_names(ctx, prim)) {
        score = score > 0 ? 0.97 : 0.92;
        dg_add(c, "hw-crypto-divergence", score,
               "self-test: %s failed its known-answer test on this image", prim);
    } else if (ctx->n_selftest_failed > 0) {
        score = score > 0 ? 0.8 : 0.5;
        dg_add(c, "hw-crypto-divergence", score,
               "self-test: %s failed its known-answer test on this image", ctx->selftest_failed[0]);
    }
    if (ctx->other_known && !ctx->other_passed && ctx->other_ret == in->mbedtls_ret) {
        /* Both backends fail the same way: the crypto backend is not the cause. */
        dg_cap(c, "hw-crypto-divergence", 0.0);
        score = 0.0;
    }
    return score;
}

static void rule_record_protection(const diagnose_input_t *in, const dg_facts_t *f, dg_cands_t *c,
                                   char *primitive, size_t cap)
{
    /* The suite in use: the server's choice, else the client log's ServerHello. */
    uint16_t suite = in->suite ? in->suite : (uint16_t)f->server_suite;
    const char *prim = diagnose_suite_primitive(suite);
    bool failed = (in->has_ret && in->mbedtls_ret != 0) || f->final_code != 0;
    if (record_protection_evidence(in, f, NULL, "record-protection", 0.0) == 0) {
        /* Another failure: only the other backend passing ties it to the hw
         * backend (a failed self-test alone does not explain, say, an expired
         * certificate). */
        if (in->context && in->context->other_known && in->context->other_passed)
            rule_divergence(in, prim, failed, c);
        return;
    }
    /* Without a suite from the server, a failed self-test still names the primitive. */
    if (!prim && in->context && in->context->n_selftest_failed > 0)
        prim = in->context->selftest_failed[0];
    if (prim)
        snprintf(primitive, cap, "%s", prim);
    double divergence = rule_divergence(in, prim, true, c);
    /* The symptom verdict stands unless a cause is proven, then it steps back. */
    record_protection_evidence(in, f, c, "record-protection", divergence >= 0.9 ? 0.7 : 0.85);
    /* A proven divergence shows the symptom it explains too. */
    if (divergence >= 0.9)
        record_protection_evidence(in, f, c, "hw-crypto-divergence", 0.0);
    char ev[256];
    if (prim && in->suite)
        dg_add(c, "record-protection", 0.0,
               "server decision: suite 0x%04x, records protected by %s", in->suite, prim);
    else if (prim)
        dg_add(c, "record-protection", 0.0, "%s (records protected by %s)",
               dg_ev(f->server_suite_ev, ev, sizeof ev), prim);
    bool rig = in->backend != NULL;
    double rest = divergence >= 0.75 ? 0.5 : 1.0;
    dg_add(c, "key-schedule-mismatch", 0.4 * rest, NULL);
    /* The rig's link is CRC-checked: a clean link makes corruption unlikely. */
    dg_add(c, "record-corruption", (rig ? 0.15 : 0.3) * rest, NULL);
    dg_add(c, "server-bug", 0.2 * rest, NULL);
}

void dg_rules_agent(const diagnose_input_t *in, const dg_facts_t *f, dg_cands_t *c, char *primitive,
                    size_t cap)
{
    rule_record_protection(in, f, c, primitive, cap);
    if (in->has_ret && in->mbedtls_ret == 0 && !f->final_code && in->infra == INFRA_NONE)
        dg_add(c, "handshake-ok", 0.9, "agent result: mbedtls_ssl_handshake returned 0");
    rule_infra(in, c);
}

const char *diagnose_suite_primitive(uint16_t suite)
{
    const char *name = suite ? tls_suite_name(suite) : NULL;
    if (!name)
        return NULL;
    if (strstr(name, "CHACHA20_POLY1305"))
        return "chacha20-poly1305";
    if (strstr(name, "AES") && strstr(name, "_GCM_"))
        return "aes-gcm";
    if (strstr(name, "AES") && strstr(name, "_CCM"))
        return "aes-ccm";
    if (strstr(name, "AES") && strstr(name, "_CBC_"))
        return "aes-cbc";
    return NULL;
}
