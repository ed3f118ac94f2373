/* The statistics of the history, each rule in one place (docs/history.md):
 * - median, and spread as the scaled median absolute deviation (1.4826 * MAD, the standard
 *   deviation's robust stand-in: one wild sample does not widen it);
 * - flake rate: outcome changes between consecutive results (pass/fail only) over the
 *   number of such pairs;
 * - a timing metric "moved" when its last value leaves the earlier runs' median by more
 *   than max(3 spreads, 10% of the median) with at least 3 earlier runs; a deterministic
 *   counter moved when its last value differs from the run before. */
#ifndef TLSRIG_HISTORY_STATS_H
#define TLSRIG_HISTORY_STATS_H

#include <jansson.h>
#include <stdbool.h>

#define STATS_SPREAD_K 3.0   /* spreads a timing must leave the median by */
#define STATS_REL_FLOOR 0.10 /* ... and at least this share of the median */
#define STATS_MIN_HISTORY 3  /* earlier runs needed before a timing is judged */

/* Median of the numbers in arr; false when it holds none. */
bool stats_median(const json_t *arr, double *out);
/* 1.4826 * median(|x - median|); false when arr holds none. */
bool stats_spread(const json_t *arr, double *out);
/* The threshold a timing must exceed above the median: max(K * spread, floor * median,
 * min_abs). */
double stats_timing_threshold(double median, double spread, double min_abs);
/* Outcome flips between consecutive "pass"/"fail" entries over the pairs; 0 with < 2. */
double stats_flake_rate(const json_t *outcomes);
/* {n, first, last, median, change_pct, moved, rule} of points[i][metric] (nulls skipped);
 * NULL when no point has the metric. */
json_t *stats_trend(const json_t *points, const char *metric, bool timing);

#endif
