/* Shared between the diagnose source files; not part of the public API. */
#ifndef TLSRIG_DIAGNOSE_INTERNAL_H
#define TLSRIG_DIAGNOSE_INTERNAL_H

#include "diagnose.h"

#define DG_MAX_CODES 32
#define DG_MAX_NOTES 32

/* What the client log says, boiled down for the rules. Event pointers give the evidence. */
typedef struct {
    bool have_log;
    int version; /* 22803; 0 unknown */
    int max_level;
    bool hello_sent, hello_detail, suites_known, ecc_suites, groups_ext, sni_sent;
    int n_suites;
    int n_groups;          /* named groups offered (0 unknown) */
    bool mainstream_group; /* offers x25519 or secp256r1 */
    char groups_text[96];  /* "secp521r1" for evidence */
    char sni[256];
    const logparse_event_t *sni_ev, *suites_ev, *groups_ev;
    bool client_time_known;
    long long client_time;
    const logparse_event_t *client_time_ev; /* NULL: from the server's ClientHello parse */
    bool server_hello, cert_request, handshake_done;
    int server_suite; /* IANA id the ServerHello chose, 0 unknown */
    const logparse_event_t *server_suite_ev;
    const logparse_event_t *done_ev;
    int alert_rcv, alert_sent; /* description, -1 if none */
    const logparse_event_t *alert_rcv_ev, *alert_sent_ev;
    unsigned flags;
    bool flags_seen;
    const logparse_event_t *flags_ev[8];
    size_t n_flags_ev;
    int final_code;
    const logparse_event_t *final_ev;
    int codes[DG_MAX_CODES];
    const logparse_event_t *code_ev[DG_MAX_CODES];
    size_t n_codes;
    const logparse_event_t *notes[DG_MAX_NOTES];
    size_t n_notes;
    bool cert_sha1;
    int rsa_bits;
    const logparse_event_t *cert_sig_ev, *rsa_bits_ev, *server_group_ev, *server_sigalg_ev;
    long long cert_not_before, cert_not_after; /* server certificate, seconds since 1970 */
    const logparse_event_t *cert_not_before_ev, *cert_not_after_ev;
    const logparse_clienthello_t *ch;
    /* issue 18 wolfdiag: a wolfSSL log or result; how the connection ended, from either
     * stack's codes and socket notes (mbedTLS NET_CONN_RESET, wolfSSL SOCKET_ERROR_E ...). */
    bool wolfssl;
    bool reset, eof, timed_out;
} dg_facts_t;

typedef struct {
    const char *id;
    double score;
    char ev[8][256];
    size_t n_ev;
} dg_cand_t;

typedef struct {
    dg_cand_t c[32];
    size_t n;
} dg_cands_t;

void dg_collect_facts(const diagnose_input_t *in, dg_facts_t *f);
/* Raise id to at least score and attach one evidence line (fmt may be NULL). */
void dg_add(dg_cands_t *c, const char *id, double score, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Lower id to at most score (a stronger explanation covers it). */
void dg_cap(dg_cands_t *c, const char *id, double score);
/* "client log line 63: is a fatal alert message (msg 40)" */
const char *dg_ev(const logparse_event_t *e, char *buf, size_t cap);

void dg_rules_client(const diagnose_input_t *in, const dg_facts_t *f, dg_cands_t *c);
void dg_rules_server(const diagnose_input_t *in, const dg_facts_t *f, dg_cands_t *c);
/* issue 17 psk13: PSK key exchange mode mismatch, downgrade sentinel (diagnose_rules_tls13.c). */
void dg_rules_tls13(const diagnose_input_t *in, const dg_facts_t *f, dg_cands_t *c);
/* Agent result, infrastructure cause, record protection; names the primitive
 * of a record-protection failure in primitive. */
void dg_rules_agent(const diagnose_input_t *in, const dg_facts_t *f, dg_cands_t *c, char *primitive,
                    size_t cap);
/* issue 17 cfgfile: the scenario's server name against what left the client, and the
 * client's configuration (diagnose_config.c). */
void dg_rules_config(const diagnose_input_t *in, dg_cands_t *c);
/* After the verdict: its fix (or the top candidate's) checked against in->config. */
void dg_config_check(const diagnose_input_t *in, diagnosis_t *out, const char *id, bool decided);
/* issue 18 wolfdiag: wolfSSL's error codes (log and agent result) and its ClientHello
 * (diagnose_rules_wolfssl.c). */
void dg_rules_wolfssl(const diagnose_input_t *in, const dg_facts_t *f, dg_cands_t *c);
/* The verdict a server decision rule proves, NULL for none. */
const char *dg_rule_verdict(server_rule_t rule);

#endif
