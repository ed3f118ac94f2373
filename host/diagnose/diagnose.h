/* Client log events + server view + agent result -> verdict, evidence and the config fix. */
#ifndef TLSRIG_DIAGNOSE_H
#define TLSRIG_DIAGNOSE_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "config_macros.h"
#include "infra_cause.h"
#include "logparse.h"
#include "server_view.h"

/* What the rest of the run knew when this result was diagnosed: the other
 * backend's outcome for the same scenario (sw runs before hw) and this image's
 * crypto self-tests (they run before the image's scenarios). */
typedef struct {
    bool other_known;          /* the other backend ran this scenario */
    const char *other_backend; /* "sw" */
    bool other_passed;         /* ... and completed the handshake */
    int other_ret;             /* its mbedtls_ret */
    bool selftest_known;       /* this image's self-tests ran */
    /* Primitives whose known-answer tests failed ("aes-gcm"), best first. */
    const char *selftest_failed[8];
    size_t n_selftest_failed;
} diagnose_context_t;

typedef struct {
    const logparse_result_t *log;      /* parsed client log, may be NULL */
    const server_view_t *server;       /* the server's typed view, may be NULL */
    const diagnose_context_t *context; /* may be NULL */
    /* From the agent's RESULT when known. */
    bool has_ret;
    int mbedtls_ret;             /* negative mbedTLS code, 0 for success */
    int agent_alert_received;    /* alert description the agent received, -1 none */
    int agent_alert_sent;        /* alert description the agent sent, -1 none */
    const char *mbedtls_version; /* "2.28.3"; NULL: take it from the log banner */
    const char *backend;         /* "sw" or "hw" on the rig, NULL for a field log */
    /* The cipher suite in use (IANA id, 0 unknown): the server's choice. */
    uint16_t suite;
    /* An infrastructure error ended the run: its cause and the rig's words. */
    infra_cause_t infra;
    const char *infra_detail;
    /* issue 17 cfgfile: the mbedTLS configuration the client was built with (--config-file),
     * may be NULL. The fix is checked against it (diagnose_config.c). */
    const config_macros_t *config;
    const char *config_label; /* "PATH (sha256 1234abcd...)" for the texts */
    const char *config_stack; /* its stack (stacks.h name): picks the macros a fix names */
    /* The server name the scenario gave the client (mbedtls_ssl_set_hostname()), NULL when
     * none or unknown (a field log). */
    const char *requested_sni;
    int agent_sni; /* the image's HELLO lists feature "sni": 1, lacks it: 0, unknown: -1 */
    /* issue 18 wolfdiag: the stack that wrote the log and the result ("wolfssl",
     * "mbedtls-2.28", ...); NULL: the stack logparse detected in the log. With "wolfssl",
     * mbedtls_ret holds wolfSSL's error code (e.g. -313) and the fix is phrased for wolfSSL. */
    const char *stack;
    /* issue 17 psk13: the RESULT's `resumed` (the agent's second connection resumed). */
    bool has_resumed;
    bool resumed;
} diagnose_input_t;

#define DIAG_MAX_CANDIDATES 8
#define DIAG_MAX_EVIDENCE 16
#define DIAG_TEXT 1024

/* One macro a fix names, looked up in the client's configuration. */
#define DIAG_MAX_CONFIG_CHECKS 8
typedef struct {
    const char *macro;
    char wanted[32]; /* "defined", ">= 512" */
    char found[64];  /* "not defined", "defined", "256" */
    bool met;        /* the configuration already has what the fix asks for */
} diagnosis_config_check_t;

typedef struct {
    const char *id; /* static string from the catalogue */
    double confidence;
} diagnosis_candidate_t;

typedef struct {
    const char *verdict; /* best id, or "undetermined" */
    double confidence;
    diagnosis_candidate_t candidates[DIAG_MAX_CANDIDATES]; /* best first */
    size_t n_candidates;
    char explanation[DIAG_TEXT];
    char evidence[DIAG_MAX_EVIDENCE][256];
    size_t n_evidence;
    char fix[DIAG_TEXT];
    /* The crypto primitive a record-protection or hw/sw verdict names, "" otherwise. */
    char primitive[32];
    /* issue 17 cfgfile: the fix's macros checked against the client's configuration. */
    bool config_checked;
    bool config_fix_applies; /* the configuration lacks what the fix names */
    diagnosis_config_check_t config_checks[DIAG_MAX_CONFIG_CHECKS];
    size_t n_config_checks;
} diagnosis_t;

/* Returns 0 (out is always filled, "undetermined" when nothing is known), -1 on bad args. */
int diagnose(const diagnose_input_t *in, diagnosis_t *out);

/* {"verdict","confidence","candidates":[{"id","confidence"}],"explanation","evidence","fix"}
 * (+ "primitive" when set). Confidences are rounded to two decimals. */
json_t *diagnosis_to_json(const diagnosis_t *d);

/* mbedTLS error name for a code as that version names it, e.g. (-0x7100, "2.28.3") ->
 * "MBEDTLS_ERR_SSL_BAD_INPUT_DATA"; composite codes give "HIGH + LOW". version NULL = 2.28.
 * Writes into buf and returns it ("UNKNOWN" parts when not in the table). */
const char *diagnose_error_name(int code, const char *version, char *buf, size_t cap);
/* "2.28.3" -> 22803; 0 when unparsable. */
int diagnose_version_number(const char *version);

/* The record-protection primitive of a TLS 1.2/1.3 suite as the agent's
 * self-tests name it ("aes-gcm", "aes-cbc", "chacha20-poly1305"); NULL when
 * unknown. */
const char *diagnose_suite_primitive(uint16_t suite);

/* Verdict of a crypto self-test result: "selftest-passed" or "selftest-failed". */
const char *diagnose_selftest_verdict(bool all_passed);

/* x rounded to two decimals (confidences are shown so). */
double diagnose_round2(double x);

/* The configuration macros a verdict's fix names (typed, per stack), for --config-file. */
typedef enum { FIX_MACRO_DEFINED, FIX_MACRO_AT_LEAST } fix_macro_kind_t;
typedef struct {
    const char *verdict;
    const char *macro;
    fix_macro_kind_t kind;
    long long min;     /* FIX_MACRO_AT_LEAST */
    unsigned any_of;   /* 0: needed on its own; n > 0: one macro of group n suffices */
    const char *stack; /* NULL: both stacks */
} fix_macro_t;
/* The entries of verdict id for stack (NULL: any), up to cap; returns how many. */
size_t diagnose_fix_macros(const char *id, const char *stack, const fix_macro_t **out, size_t cap);

/* The catalogue: every verdict id, its meaning and fix (for docs and tests). */
size_t diagnose_verdict_count(void);
const char *diagnose_verdict_id(size_t i);
const char *diagnose_verdict_meaning(const char *id);
const char *diagnose_verdict_fix(const char *id);
/* issue 18 wolfdiag: the fix phrased for a stack: wolfSSL's build options and API calls for
 * "wolfssl" where the catalogue has them (diagnose_catalog_wolfssl.c), else the fix above. */
const char *diagnose_verdict_fix_for(const char *id, const char *stack);
/* The meaning for a stack: wolfSSL's error names where the catalogue's text names mbedTLS's. */
const char *diagnose_verdict_meaning_for(const char *id, const char *stack);
/* true when the fix of id has a wolfSSL phrasing. */
bool diagnose_verdict_has_wolfssl_fix(const char *id);

#endif
