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

/* Expectation met (outcome may be "fail" for a scenario expected to fail).
 * Skipped and not-run results are never met: they were not tested. */
bool rm_met(const json_t *r);
bool rm_is(const json_t *r, const char *outcome);
/* pass, fail or infra-error: a result that counts for "N of M met". */
bool rm_applicable(const json_t *r);
/* A per-image crypto self-test line (kind "selftest"). */
bool rm_is_selftest(const json_t *r);

/* How `tlsrig compare` judges the samples of one key: unmet when a tested sample missed its
 * expectation; infra errors and skips are no failures (all infra: RM_INFRA; none tested, or
 * no sample: RM_SKIPPED). */
typedef enum rm_state { RM_MET, RM_UNMET, RM_INFRA, RM_SKIPPED } rm_state_t;
rm_state_t rm_group_state(const json_t *samples);

/* Identity of a result across runs: "scenario|backend|board" (board omitted
 * when absent). Repeats of one scenario share a key. */
void rm_key(const json_t *r, char *buf, size_t n);
/* The backend as reports show it: "sw", or "sw mbedtls-3.6" for a stack beside the default. */
const char *rm_backend_label(const json_t *r, char *buf, size_t n);

/* {total, pass, fail, infra_error, skipped, not_run, flaky, applicable, met,
 * unmet}: met + unmet = applicable = pass + fail + infra_error. */
json_t *rm_totals(const json_t *results);

/* Sorted unique values of a string field across results (boards, backends). */
json_t *rm_distinct(const json_t *results, const char *key);
/* issue 17 cfgfile: the user's configuration headers the results ran (--config-file), one
 * {"path","sha256","name","stack"} per digest, in order of appearance. */
json_t *rm_config_files(const json_t *results);

/* Parity of the sw and hw runs of each scenario on each board (parity_rule.h):
 * [{scenario, board, config, stack, sw, hw (result objects, borrowed refs copied), match,
 *   reason, sw_ms, hw_ms}] where both backends ran and parity applies. The
 * `parity` object the runner writes into a hw result gives the primitive. */
json_t *rm_parity_rows(const json_t *results);

/* Older runs wrote a parity failure as an extra line (kind "parity"): fold
 * it into the hw result it belongs to, so a pair has one result. In place. */
void rm_fold_parity_lines(json_t *results);

/* Path of a run file of r relative to the report's directory: rel itself,
 * or under the source prefix of a merged run (runs/NN-name/); "" when rel
 * would leave the run directory (rm_safe_rel). */
void rm_path(const json_t *r, const char *rel, char *buf, size_t n);

/* A runner-written parity object: 1 match, 0 mismatch, -1 unknown. */
int rm_parity_flag(const json_t *parity);

/* A file path from a result (log, capture) that stays inside the run
 * directory: relative, no "..", no backslash. Reports never follow others. */
bool rm_safe_rel(const char *path);

#endif
