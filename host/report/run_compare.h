/* Compare two runs (baseline and new) result by result: new failures, fixed
 * scenarios, hw/sw parity changes, changed deterministic counters and timing
 * changes beyond a noise-aware threshold, each field by a documented rule.
 * See docs/reports.md. */
#ifndef TLSRIG_RUN_COMPARE_H
#define TLSRIG_RUN_COMPARE_H

#include <jansson.h>
#include <stddef.h>
#include <stdio.h>

typedef struct compare_opts {
    double time_ratio;     /* a median must grow by this factor (1.25 = +25%) */
    double time_min_us;    /* ... and by at least this many microseconds */
    unsigned min_samples;  /* ... with at least this many samples on each side */
    double size_tolerance; /* unseeded counters: relative change that counts (0.02) */
} compare_opts_t;

void compare_opts_default(compare_opts_t *o);

/* JSON object: {regression (bool), regressions (count), new_failures [],
 * fixed [], still_failing [], infra_errors [], missing [], added [],
 * parity_changes [], counters [], timing [], timing_skipped (count), rules [],
 * thresholds {}}. Items carry the result key "scenario|backend|board[|stack]";
 * counter and timing rows their "rule". rules: one object per rule that
 * judged something: {rule: exact|tolerance|median, applies, fields [],
 * compared, differ, skipped, and the rule's parameters}. */
json_t *compare_results(const json_t *base, const json_t *cur, const compare_opts_t *o);

/* 0 when both runs ran the same mbedTLS stacks (a result without `stack` is mbedtls-2.28);
 * -1 with err naming both sets otherwise: a comparison across stacks would pair nothing and
 * report no regression, so it is refused rather than done silently (docs/stacks.md). */
int compare_stacks_check(const json_t *base, const json_t *cur, char *err, size_t errlen);

/* Both DIR/results.jsonl, the stack check, then compare_results. NULL with err. */
json_t *compare_dirs(const char *base_dir, const char *new_dir, const compare_opts_t *o, char *err,
                     size_t errlen);

/* The human summary of a comparison (run_compare_print.c). */
void compare_print(FILE *out, const json_t *cmp);
/* Which fields were compared how, as a Markdown table or an HTML table, for
 * summary.md and report.html; nothing when no rule judged anything. */
void compare_rules_markdown(FILE *f, const json_t *cmp);
void compare_rules_html(FILE *f, const json_t *cmp);

#endif
