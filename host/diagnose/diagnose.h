/* Client log events + server view + agent result -> verdict, evidence and the config fix. */
#ifndef TLSRIG_DIAGNOSE_H
#define TLSRIG_DIAGNOSE_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "logparse.h"

typedef struct {
    const logparse_result_t *log; /* parsed client log, may be NULL */
    /* Server's view, may be NULL: {"clienthello":{"sni","suites","extensions","groups"},
     * "refusal":{"reason","reaction","alert"},"negotiated":{"version","suite"},
     * "alert_sent":N,"alert_received":N} */
    const json_t *server_view;
    /* From the agent's RESULT when known. */
    bool has_ret;
    int mbedtls_ret;               /* negative mbedTLS code, 0 for success */
    const char *mbedtls_version;   /* "2.28.3"; NULL: take it from the log banner */
    bool time_known;               /* whether the agent said if it set the clock */
    bool time_set;                 /* the agent gave mbedTLS a wall-clock time */
    long long time_value;          /* that time (unix seconds) when time_set */
    bool link_error;               /* the link reported CRC errors/resyncs during the run */
    bool hw_sw_divergence;         /* a hw crypto result differed from the sw reference */
    const char *divergence_detail; /* e.g. "AES-GCM tag mismatch at record 3", may be NULL */
} diagnose_input_t;

#define DIAG_MAX_CANDIDATES 8
#define DIAG_MAX_EVIDENCE 16
#define DIAG_TEXT 1024

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
} diagnosis_t;

/* Returns 0 (out is always filled, "undetermined" when nothing is known), -1 on bad args. */
int diagnose(const diagnose_input_t *in, diagnosis_t *out);

/* {"verdict","confidence","candidates":[{"id","confidence"}],"explanation","evidence","fix"} */
json_t *diagnosis_to_json(const diagnosis_t *d);

/* mbedTLS error name for a code as that version names it, e.g. (-0x7100, "2.28.3") ->
 * "MBEDTLS_ERR_SSL_BAD_INPUT_DATA"; composite codes give "HIGH + LOW". version NULL = 2.28.
 * Writes into buf and returns it ("UNKNOWN" parts when not in the table). */
const char *diagnose_error_name(int code, const char *version, char *buf, size_t cap);
/* "2.28.3" -> 22803; 0 when unparsable. */
int diagnose_version_number(const char *version);

/* The catalogue: every verdict id, its meaning and fix (for docs and tests). */
size_t diagnose_verdict_count(void);
const char *diagnose_verdict_id(size_t i);
const char *diagnose_verdict_meaning(const char *id);
const char *diagnose_verdict_fix(const char *id);

#endif
