/* Rules on the client's own log: return codes (per version), alerts, verify flags, tell-tale
 * notes. The tables hold the simple mappings; the functions below hold the judgement calls. */
#include "diagnose_internal.h"

#include <stdio.h>
#include <string.h>

#define VMAX 99999

/* Code -> verdict hints. A code matches as a whole, or as the high or low part of a composite
 * code (e.g. -0x262E = X509_UNKNOWN_SIG_ALG + OID_NOT_FOUND). */
static const struct {
    int code;
    int vmin, vmax;
    const char *id;
    double score;
} code_hints[] = {
    {-0x0050, 0, VMAX, "connection-reset", 0.8},
    {-0x6800, 0, VMAX, "timeout", 0.85},
    {-0x7280, 0, VMAX, "peer-closed", 0.8},
    {-0x7880, 0, VMAX, "peer-closed", 0.6},
    {-0x7F00, 0, VMAX, "heap-exhausted", 0.85},
    {-0x2880, 0, VMAX, "heap-exhausted", 0.8},
    {-0x3F80, 0, VMAX, "heap-exhausted", 0.8},
    {-0x4D80, 0, VMAX, "heap-exhausted", 0.8},
    {-0x5180, 0, VMAX, "heap-exhausted", 0.8},
    {-0x6180, 0, VMAX, "heap-exhausted", 0.8},
    {-0x0010, 0, VMAX, "heap-exhausted", 0.5},
    {-0x0034, 0, VMAX, "no-entropy", 0.9},
    {-0x003C, 0, VMAX, "no-entropy", 0.9},
    {-0x003D, 0, VMAX, "no-entropy", 0.9},
    {-0x0040, 0, VMAX, "no-entropy", 0.9},
    {-0x7400, 0, VMAX, "no-entropy", 0.8},
    {-0x4480, 0, VMAX, "no-entropy", 0.6},
    {-0x4D00, 0, VMAX, "no-entropy", 0.6},
    /* Handshake message split across records: refused before 3.6.3. */
    {-0x7080, 0, 30602, "hs-fragmentation-unsupported", 0.55},
    /* Record larger than the input buffer: the code moved in 2.18. */
    {-0x7200, 0, 21799, "record-too-large", 0.65},
    {-0x7100, 21800, 30699, "record-too-large", 0.6},
    {-0x6E80, 0, VMAX, "protocol-version", 0.8},
    {-0x7480, 0, VMAX, "client-cert-required", 0.7},
    {-0x7580, 0, 29999, "client-cert-required", 0.7},
    {-0x2600, 0, VMAX, "sha1-not-supported", 0.6},
    {-0x3B00, 0, VMAX, "mpi-too-small", 0.65},
    {-0x4E80, 0, VMAX, "curve-not-supported", 0.7},
    {-0x3A00, 0, VMAX, "curve-not-supported", 0.7},
    {-0x5D80, 30603, VMAX, "hostname-not-set", 0.9},
    {-0x6D00, 0, VMAX, "signature-algorithm-mismatch", 0.5},
    {-0x7B00, 0, 29999, "signature-algorithm-mismatch", 0.35},
    {-0x7B00, 0, 29999, "curve-not-supported", 0.3},
    {-0x6980, 0, 29999, "no-shared-ciphersuite", 0.6},
    {-0x2700, 0, VMAX, "unknown-ca", 0.4},
};

/* Alerts the client received from the server (fatal unless noted). */
static const struct {
    int desc;
    const char *id;
    double score;
} alert_rcv_hints[] = {
    {70, "protocol-version", 0.85},         {116, "client-cert-required", 0.85},
    {71, "no-shared-ciphersuite", 0.5},     {22, "record-too-large", 0.5},
    {109, "missing-supported-groups", 0.5}, {47, "signature-algorithm-mismatch", 0.3},
    {47, "curve-not-supported", 0.25},      {0, "peer-closed", 0.7},
};

/* Alerts the client sent: they name what it disliked about the server. */
static const struct {
    int desc;
    const char *id;
    double score;
} alert_sent_hints[] = {
    {48, "unknown-ca", 0.7},
    {45, "cert-expired", 0.6},
    {70, "protocol-version", 0.6},
    {22, "record-too-large", 0.6},
    {40, "signature-algorithm-mismatch", 0.3},
    {40, "curve-not-supported", 0.3},
};

/* Verify flag bit -> verdict. */
static const struct {
    unsigned bit;
    const char *id;
    double score;
} flag_hints[] = {
    {0x01, "cert-expired", 0.9},
    {0x200, "cert-not-yet-valid", 0.85},
    {0x08, "unknown-ca", 0.85},
    {0x04, "hostname-mismatch", 0.9},
    {0x4000, "cert-bad-signature-hash", 0.85},
    {0x8000, "cert-bad-signature-hash", 0.6},
    {0x10000, "cert-bad-signature-hash", 0.6},
    {0x40, "client-cert-required", 0.3},
};

/* Notes (logparse_notes.c keys) -> verdict. */
static const struct {
    const char *key;
    const char *id;
    double score;
} note_hints[] = {
    {"hs-fragmentation", "hs-fragmentation-unsupported", 0.9},
    {"record-too-big", "record-too-large", 0.85},
    {"alloc-failed", "heap-exhausted", 0.85},
    {"no-shared-suite", "no-shared-ciphersuite", 0.85},
    {"bad-version", "protocol-version", 0.75},
    {"timeout", "timeout", 0.75},
    {"conn-reset", "connection-reset", 0.75},
    {"conn-eof", "peer-closed", 0.7},
    {"hostname-not-set", "hostname-not-set", 0.9},
    {"unknown-sig-alg", "sha1-not-supported", 0.6},
    {"entropy", "no-entropy", 0.8},
    {"ske-sig", "signature-algorithm-mismatch", 0.8},
    {"curve", "curve-not-supported", 0.8},
    {"no-client-cert", "client-cert-required", 0.6},
};

static bool code_matches(int hint, int code)
{
    if (hint == code)
        return true;
    int mag = -code;
    return code < 0 && (hint == -(mag & 0xFF80) || hint == -(mag & 0x7F));
}

static void rule_codes(const dg_facts_t *f, dg_cands_t *c, int extra_code)
{
    int v = f->version ? f->version : 22800;
    char name[160], ev[256];
    for (size_t i = 0; i <= f->n_codes; i++) {
        int code = i < f->n_codes ? f->codes[i] : extra_code;
        if (code >= 0)
            continue;
        for (size_t k = 0; k < sizeof code_hints / sizeof code_hints[0]; k++) {
            if (!code_matches(code_hints[k].code, code) || v < code_hints[k].vmin ||
                v > code_hints[k].vmax)
                continue;
            char vs[16];
            snprintf(vs, sizeof vs, "%d.%d.%d", v / 10000, v / 100 % 100, v % 100);
            diagnose_error_name(code, vs, name, sizeof name);
            if (i < f->n_codes)
                dg_add(c, code_hints[k].id, code_hints[k].score, "%s (-0x%04X = %s)",
                       dg_ev(f->code_ev[i], ev, sizeof ev), (unsigned)-code, name);
            else
                dg_add(c, code_hints[k].id, code_hints[k].score,
                       "agent result: mbedtls_ret -0x%04X = %s", (unsigned)-code, name);
        }
    }
}

/* Fatal handshake_failure before any ServerHello: the server disliked the ClientHello.
 * What it disliked is read from what the hello offered. */
/* issue 17 tls13: alert 40 on a TLS 1.3 hello, read from its key shares. A
 * server that found no group it takes among the key shares and sends no
 * HelloRetryRequest, or none among all the groups: ranked above the TLS 1.2
 * readings, never a verdict (an SNI refusal with 40 looks the same). */
static void rule_alert40_on_tls13_hello(const dg_facts_t *f, dg_cands_t *c)
{
    const logparse_clienthello_t *ch = f->ch;
    if (!ch || !ch->present || !ch->offers_tls13 || ch->n_key_shares == 0 || ch->n_groups == 0)
        return;
    if (ch->n_groups > ch->n_key_shares)
        dg_add(c, "tls13-no-key-share-group", 0.5,
               "client log ClientHello: TLS 1.3 with key shares for %zu of its %zu groups (a "
               "server that sends no HelloRetryRequest needs a share for its own group)",
               ch->n_key_shares, ch->n_groups);
    else
        dg_add(c, "no-shared-group", 0.5,
               "client log ClientHello: TLS 1.3, all %zu offered group%s key-shared, alert 40 "
               "before any ServerHello",
               ch->n_groups, ch->n_groups == 1 ? "" : "s");
}

static void rule_alert40_on_hello(const dg_facts_t *f, dg_cands_t *c, const char *ev)
{
    double suites = 0.45, groups = 0.2, sni_rej = 0.15, sni_req = 0.1;
    char why[200] = "";
    if (f->hello_detail && f->ecc_suites && !f->groups_ext) {
        groups = 0.85;
        snprintf(why, sizeof why, "client log ClientHello: ECDHE suites, no supported_groups");
    } else if (f->hello_detail && f->groups_ext) {
        groups = 0.05;
    } else if (f->wolfssl && f->hello_detail) {
        /* wolfSSL logs the extensions it writes, not the suites. It writes supported_groups
         * whenever it is built with HAVE_SUPPORTED_CURVES and ECC; a build without the option
         * still offers its ECDHE suites: the field failure this rule names. */
        groups = 0.75;
        snprintf(why, sizeof why,
                 "client log ClientHello: no supported_groups written (a wolfSSL build "
                 "without HAVE_SUPPORTED_CURVES still offers its ECDHE suites)");
    }
    if (f->hello_detail && !f->sni_sent) {
        sni_req = 0.5;
        sni_rej = 0.02;
    }
    if (f->suites_known && f->n_suites <= 3 && groups < 0.5) {
        suites = 0.75;
        snprintf(why, sizeof why, "client log ClientHello: only %d cipher suite%s", f->n_suites,
                 f->n_suites == 1 ? "" : "s");
    }
    /* Many suites with supported_groups: sharing none with a server is less
     * likely than a name it does not serve. */
    if (f->suites_known && f->n_suites >= 10 && f->groups_ext && f->sni_sent) {
        suites = 0.35;
        sni_rej = 0.4;
        dg_add(c, "sni-rejected", sni_rej,
               "client log ClientHello: %d suites with supported_groups, server_name "
               "\"%.100s\"",
               f->n_suites, f->sni);
    }
    if (f->groups_ext && f->ecc_suites && f->n_groups > 0 && !f->mainstream_group)
        dg_add(c, "no-shared-group", 0.55,
               "client log ClientHello: supported_groups holds only %s (neither x25519 nor "
               "secp256r1)",
               f->groups_text);
    dg_add(c, "no-shared-ciphersuite", suites, "%s", ev);
    if (why[0] && suites >= 0.75)
        dg_add(c, "no-shared-ciphersuite", suites, "%s", why);
    dg_add(c, "missing-supported-groups", groups, "%s", ev);
    if (why[0] && groups >= 0.75)
        dg_add(c, "missing-supported-groups", groups, "%s", why);
    dg_add(c, f->sni_sent ? "sni-rejected" : "sni-required", f->sni_sent ? sni_rej : sni_req, "%s",
           ev);
    dg_add(c, "protocol-version", 0.05, NULL);
    rule_alert40_on_tls13_hello(f, c);
}

static void rule_alerts(const dg_facts_t *f, dg_cands_t *c)
{
    char ev[256];
    if (f->alert_rcv >= 0) {
        dg_ev(f->alert_rcv_ev, ev, sizeof ev);
        if (f->alert_rcv == 40 && !f->server_hello) {
            rule_alert40_on_hello(f, c, ev);
        } else if (f->alert_rcv == 40) {
            dg_add(c, "client-cert-required", f->cert_request ? 0.75 : 0.2, "%s", ev);
            dg_add(c, "signature-algorithm-mismatch", 0.25, "%s", ev);
        } else if (f->alert_rcv == 112) {
            bool known_absent = f->hello_detail && !f->sni_sent;
            dg_add(c, known_absent ? "sni-required" : "sni-rejected", 0.85, "%s", ev);
            if (f->sni_sent)
                dg_add(c, "sni-rejected", 0.85, "client log ClientHello: server_name %s", f->sni);
        } else if (f->alert_rcv == 42 || f->alert_rcv == 43 || f->alert_rcv == 46 ||
                   f->alert_rcv == 48) {
            dg_add(c, "client-cert-required", f->cert_request ? 0.7 : 0.35, "%s", ev);
        }
        for (size_t k = 0; k < sizeof alert_rcv_hints / sizeof alert_rcv_hints[0]; k++) {
            if (alert_rcv_hints[k].desc == f->alert_rcv &&
                !(f->alert_rcv == 0 && f->handshake_done))
                dg_add(c, alert_rcv_hints[k].id, alert_rcv_hints[k].score, "%s", ev);
        }
    }
    if (f->alert_sent > 0) {
        dg_ev(f->alert_sent_ev, ev, sizeof ev);
        for (size_t k = 0; k < sizeof alert_sent_hints / sizeof alert_sent_hints[0]; k++) {
            if (alert_sent_hints[k].desc == f->alert_sent)
                dg_add(c, alert_sent_hints[k].id, alert_sent_hints[k].score, "%s", ev);
        }
    }
}

/* From the client's own log only: the time it put in its hello. (A rig
 * scenario's clock setting is the host's input, not evidence.) */
static bool clock_unset(const dg_facts_t *f)
{
    return f->client_time_known && f->client_time < 1000000000LL;
}

static void rule_certificates(const dg_facts_t *f, dg_cands_t *c)
{
    char ev[256];
    for (size_t k = 0; k < sizeof flag_hints / sizeof flag_hints[0]; k++) {
        if (!(f->flags & flag_hints[k].bit))
            continue;
        const logparse_event_t *src = NULL;
        for (size_t i = 0; i < f->n_flags_ev; i++) {
            if ((unsigned)f->flags_ev[i]->num & flag_hints[k].bit)
                src = f->flags_ev[i];
        }
        dg_add(c, flag_hints[k].id, flag_hints[k].score, "%s (verify flags 0x%08x)",
               src ? dg_ev(src, ev, sizeof ev) : "client log: verify result", f->flags);
    }
    if (clock_unset(f)) {
        char why[300];
        if (f->client_time_ev)
            snprintf(why, sizeof why, "%s (device clock near 1970)",
                     dg_ev(f->client_time_ev, ev, sizeof ev));
        else
            snprintf(why, sizeof why,
                     "server's ClientHello parse: client random gmt_unix_time %lld (device clock "
                     "near 1970)",
                     f->client_time);
        if (f->flags & 0x200) {
            dg_add(c, "clock-not-set", 0.92, "%s", why);
            for (size_t i = 0; i < f->n_flags_ev; i++) {
                if ((unsigned)f->flags_ev[i]->num & 0x200)
                    dg_add(c, "clock-not-set", 0.92, "%s", dg_ev(f->flags_ev[i], ev, sizeof ev));
            }
            dg_cap(c, "cert-not-yet-valid", 0.4);
        } else if (f->flags_seen && f->flags) {
            dg_add(c, "clock-not-set", 0.5, "%s", why);
        }
    }
    /* CERT_VERIFY_FAILED without the flags or the alert that name the check (a level-1 or
     * cut-short log): every verification cause stays open; unknown CA is the most common. */
    bool verify_failed = false;
    for (size_t i = 0; i < f->n_codes; i++)
        verify_failed |= f->codes[i] == -0x2700;
    if (verify_failed && !f->flags && f->alert_sent <= 0) {
        static const char *const open_causes[] = {"cert-expired", "cert-not-yet-valid",
                                                  "hostname-mismatch", "cert-bad-signature-hash"};
        for (size_t k = 0; k < sizeof open_causes / sizeof open_causes[0]; k++)
            dg_add(c, open_causes[k], 0.3,
                   "client log: certificate verification failed without naming the check");
    }
    /* Without the flags, the client's own clock against the certificate's dates still tells
     * an expired or not-yet-valid certificate apart from the other checks. */
    if (verify_failed && !f->flags && f->client_time_known) {
        if (f->cert_not_after_ev && f->client_time > f->cert_not_after)
            dg_add(c, "cert-expired", 0.75, "%s (client time %lld is later)",
                   dg_ev(f->cert_not_after_ev, ev, sizeof ev), f->client_time);
        if (f->cert_not_before_ev && f->client_time < f->cert_not_before) {
            bool near_zero = f->client_time < 1000000000LL;
            dg_add(c, near_zero ? "clock-not-set" : "cert-not-yet-valid", 0.75,
                   "%s (client time %lld is earlier)", dg_ev(f->cert_not_before_ev, ev, sizeof ev),
                   f->client_time);
        }
    }
    /* A SHA-1-signed certificate that fails to parse or verify. */
    bool sig_alg_code = false;
    for (size_t i = 0; i < f->n_codes; i++)
        sig_alg_code |= (-f->codes[i] & 0xFF80) == 0x2600;
    if (f->cert_sha1 && (sig_alg_code || (f->flags & 0x4000) == 0)) {
        if (sig_alg_code)
            dg_add(c, "sha1-not-supported", 0.9, "%s", dg_ev(f->cert_sig_ev, ev, sizeof ev));
    }
    if (f->cert_sha1 && verify_failed && !f->flags && f->alert_sent <= 0)
        dg_add(c, "cert-bad-signature-hash", 0.5,
               "%s (verification failed; SHA-1 is refused by the default X.509 profile)",
               dg_ev(f->cert_sig_ev, ev, sizeof ev));
    if (f->cert_sha1 && (f->flags & 0x4000))
        dg_add(c, "cert-bad-signature-hash", 0.9, "%s", dg_ev(f->cert_sig_ev, ev, sizeof ev));
    if (sig_alg_code && !f->cert_sha1)
        dg_add(c, "sha1-not-supported", 0.75,
               "client log: X509 UNKNOWN_SIG_ALG (the certificate's signature algorithm is not "
               "built in)");
    /* A big RSA key together with a key/MPI parse failure. */
    bool pk_code = false;
    for (size_t i = 0; i < f->n_codes; i++) {
        int mag = -f->codes[i];
        pk_code |= (mag & 0xFF80) == 0x3B00 || (mag & 0x7F) == 0x0010 || (mag & 0x7F) == 0x0004;
    }
    if (pk_code && f->rsa_bits > 2048)
        dg_add(c, "mpi-too-small", 0.9, "%s", dg_ev(f->rsa_bits_ev, ev, sizeof ev));
}

static void rule_notes(const dg_facts_t *f, dg_cands_t *c)
{
    char ev[256];
    for (size_t i = 0; i < f->n_notes; i++) {
        for (size_t k = 0; k < sizeof note_hints / sizeof note_hints[0]; k++) {
            if (f->notes[i]->str && strcmp(f->notes[i]->str, note_hints[k].key) == 0)
                dg_add(c, note_hints[k].id, note_hints[k].score, "%s",
                       dg_ev(f->notes[i], ev, sizeof ev));
        }
    }
    if (f->server_group_ev && f->n_notes > 0) {
        for (size_t i = 0; i < f->n_notes; i++) {
            if (strcmp(f->notes[i]->str, "bad-ske") == 0)
                dg_add(c, "curve-not-supported", 0.5, "%s",
                       dg_ev(f->server_group_ev, ev, sizeof ev));
        }
    }
}

/* The server dropped the connection right after the ClientHello: a refusal in disguise. */
static void rule_refusal_without_alert(const dg_facts_t *f, dg_cands_t *c)
{
    bool dropped = f->reset || f->eof || f->timed_out;
    if (!dropped || f->server_hello || !f->hello_sent)
        return;
    dg_add(c, "no-shared-ciphersuite", f->suites_known && f->n_suites <= 3 ? 0.45 : 0.3,
           "client log: no ServerHello before the connection ended");
    if (f->hello_detail && f->ecc_suites && !f->groups_ext)
        dg_add(c, "missing-supported-groups", 0.45,
               "client log ClientHello: ECDHE suites, no supported_groups");
    if (f->hello_detail && !f->sni_sent)
        dg_add(c, "sni-required", 0.35, "client log ClientHello: no server_name");
}

/* RFC 6066: a host name, not an address, no spaces. mbedTLS sends whatever
 * mbedtls_ssl_set_hostname() got, often a certificate CN such as "mbed TLS Server 1". */
static bool sni_looks_invalid(const char *name)
{
    bool all_digits_and_dots = true;
    size_t n = strlen(name);
    if (n == 0 || n > 253)
        return true;
    for (size_t i = 0; i < n; i++) {
        char ch = name[i];
        bool alnum =
            (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
        if (!alnum && ch != '-' && ch != '.')
            return true;
        if (ch != '.' && !(ch >= '0' && ch <= '9'))
            all_digits_and_dots = false;
    }
    return all_digits_and_dots;
}

/* The server ended the handshake before any ServerHello: the client sees the symptom (reset,
 * silence, handshake_failure) but the cause is the server's reaction to the ClientHello.
 * Where the hello itself points at a likely cause, rank it first and leave the verdict
 * undetermined rather than name the symptom: only the server side can decide. */
static void rule_refused_hello_is_ambiguous(const dg_facts_t *f, dg_cands_t *c)
{
    if (f->server_hello || !f->hello_sent || f->handshake_done)
        return;
    bool few_suites = f->suites_known && f->n_suites <= 3;
    bool no_sni = f->hello_detail && !f->sni_sent;
    if (f->reset && few_suites) {
        dg_add(c, "no-shared-ciphersuite", 0.55,
               "client log: reset before any ServerHello; ClientHello with %d cipher suite%s",
               f->n_suites, f->n_suites == 1 ? "" : "s");
        dg_cap(c, "connection-reset", 0.5);
    }
    if (f->timed_out && no_sni) {
        dg_add(c, "sni-required", 0.55,
               "client log: no answer to a ClientHello without server_name");
        dg_cap(c, "timeout", 0.5);
    }
    if (f->alert_rcv == 40 && no_sni) {
        dg_add(c, "sni-required", 0.55,
               "client log: handshake_failure answering a ClientHello without server_name");
        dg_cap(c, "no-shared-ciphersuite", 0.45);
    }
    if (f->alert_rcv == 40 && f->sni_sent && sni_looks_invalid(f->sni)) {
        dg_add(c, "sni-rejected", 0.6,
               "client log ClientHello: server_name \"%s\" is not a valid host name", f->sni);
        dg_cap(c, "no-shared-ciphersuite", 0.5);
    }
}

void dg_rules_client(const diagnose_input_t *in, const dg_facts_t *f, dg_cands_t *c)
{
    char ev[256];
    if (f->handshake_done)
        dg_add(c, "handshake-ok", 0.95, "%s", dg_ev(f->done_ev, ev, sizeof ev));
    if (f->wolfssl)
        dg_rules_wolfssl(in, f, c);
    else
        rule_codes(f, c, in->has_ret ? in->mbedtls_ret : 0);
    rule_alerts(f, c);
    rule_certificates(f, c);
    rule_notes(f, c);
    rule_refusal_without_alert(f, c);
    rule_refused_hello_is_ambiguous(f, c);
}
