/* What changes when the agent's mbedTLS is upgraded: the results of one stack (the base,
 * mbedtls-2.28) beside those of another (the new one, mbedtls-3.6), scenario by scenario,
 * each row classified. Used by `tlsrig compare --upgrade` and by the run reports of a run
 * with more than one stack. See docs/reports.md, "tlsrig compare --upgrade". */
#ifndef TLSRIG_STACK_COMPARE_H
#define TLSRIG_STACK_COMPARE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Row classes, in the order reports show them (the ones that need a look first). */
#define SC_NEWLY_FAILING "newly-failing"
#define SC_CHANGED "changed-behaviour"
#define SC_NEWLY_PASSING "newly-passing"
#define SC_ONE_STACK "only-on-one-stack"
#define SC_NOT_COMPARED "not-compared"
#define SC_UNCHANGED "unchanged"
#define SC_CLASSES 6
extern const char *const stack_compare_classes[SC_CLASSES];

/* r is a result of that stack: a scenario result or an image self-test (replays run no
 * image); a result without `stack` is mbedtls-2.28. */
bool stack_result_of(const json_t *r, const char *stack);

/* The stacks a set of results ran, as a bit set over stack_names (a result without
 * `stack` is mbedtls-2.28). Only target and self-test results count. */
unsigned stack_set_of(const json_t *results);
/* "mbedtls-2.28, mbedtls-3.6", or "none". */
void stack_set_text(unsigned set, char *out, size_t n);

/* base_results' results of base_stack beside new_results' results of new_stack (the two
 * arrays may be the same run). Rows are keyed by scenario, backend, board and config and
 * sorted by that key:
 * {base_stack, new_stack, base_versions [], new_versions [], regression, regressions,
 *  counts {class: n}, heap_peak_max {base, new}, parity_changes [],
 *  rows [{key, scenario, backend, board, config, class, changes [], error_code_differs,
 *         regression, regression_why, known_why, base, new}]}
 * where base and new are null (no result on that stack) or {samples, outcome, met,
 * mbedtls_version, version, suite, group, mbedtls_ret, error, verdict, alert_sent,
 * alert_received, handshake_us, heap_peak, detail}. */
json_t *stack_compare(const json_t *base_results, const char *base_stack, const json_t *new_results,
                      const char *new_stack);

/* tlsrig compare --upgrade: BASE_DIR and NEW_DIR (NULL: BASE_DIR holds both stacks).
 * from/to: the stacks (NULL: the oldest stack BASE ran, the newest other stack NEW ran).
 * NULL with err (a usage error: unreadable run, unknown or absent stack, one stack). */
json_t *stack_compare_dirs(const char *base_dir, const char *new_dir, const char *from,
                           const char *to, char *err, size_t errlen);

/* The side-by-side view of a run's own stacks (oldest -> newest); NULL for one stack. */
json_t *stack_compare_run(const json_t *results);

/* Human forms (stack_compare_text.c, stack_compare_html.c). */
void stack_compare_print(FILE *out, const json_t *sc);
void stack_compare_markdown(FILE *f, const json_t *sc);
void stack_compare_html(FILE *f, const json_t *sc);

/* DIR/upgrade.json, upgrade.md and upgrade.html (DIR created when absent), each written
 * whole or not at all, as the run reports are. 0, or -1 with err naming the file. */
int stack_compare_write(const char *dir, const json_t *sc, char *err, size_t errlen);

#endif
