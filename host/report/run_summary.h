/* Console output of a run: one progress line per finished scenario, and the
 * final table. Counts come from the same result objects as results.jsonl. */
#ifndef TLSRIG_RUN_SUMMARY_H
#define TLSRIG_RUN_SUMMARY_H

#include <jansson.h>
#include <stddef.h>
#include <stdio.h>

typedef struct run_summary {
    size_t total, pass, fail, infra, skipped, met, unmet, flaky;
    json_t *unmet_list; /* [ "scenario (backend): detail" ] */
} run_summary_t;

void run_summary_init(run_summary_t *s);
void run_summary_add(run_summary_t *s, const json_t *result);
void run_summary_progress(FILE *out, const json_t *result, size_t done, size_t total);
void run_summary_print(FILE *out, run_summary_t *s, const char *out_dir);

/* Write every report of DIR from DIR/results.jsonl; compare with baseline
 * when given. Returns 0, 1 when the baseline shows a regression, -1 with err. */
int run_reports_write(const char *dir, const char *baseline, char *err, size_t errlen);

#endif
