/* Shared reading of result objects (results.jsonl lines) for the reports,
 * compare and merge: typed getters, the identity of a result, totals and the
 * hw-vs-sw pairing. Missing fields never fail: a run cut short or an older
 * results file still reports. */
#ifndef TLSRIG_REPORT_MODEL_H
#define TLSRIG_REPORT_MODEL_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

const char *rm_str(const json_t *o, const char *key, const char *dflt);
/* Integer or real field as double; dflt when absent or not a number. */
double rm_num(const json_t *o, const char *key, double dflt);
bool rm_has_num(const json_t *o, const char *key);

/* Expectation met (outcome may be "fail" for a scenario expected to fail). */
bool rm_met(const json_t *r);
bool rm_is(const json_t *r, const char *outcome);

/* Identity of a result across runs: "scenario|backend|board" (board omitted
 * when absent). Repeats of one scenario share a key. */
void rm_key(const json_t *r, char *buf, size_t n);

/* {total, pass, fail, infra_error, skipped, flaky, met, unmet}. */
json_t *rm_totals(const json_t *results);

/* Sorted unique values of a string field across results (boards, backends). */
json_t *rm_distinct(const json_t *results, const char *key);

/* Outcome parity of the sw and hw runs of each scenario on each board:
 * [{scenario, board, sw, hw (result objects, borrowed refs copied), match,
 *   reason, sw_ms, hw_ms}] where both backends ran. A `parity` object
 * written by the runner (issue 7) wins over the derived comparison. */
json_t *rm_parity_rows(const json_t *results);

/* Path of a run file of r relative to the report's directory: rel itself,
 * or under the source prefix of a merged run (runs/NN-name/). */
void rm_path(const json_t *r, const char *rel, char *buf, size_t n);

/* A runner-written parity object: 1 match, 0 mismatch, -1 unknown. */
int rm_parity_flag(const json_t *parity);

#endif
