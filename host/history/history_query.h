/* What the history says per scenario x backend (x stack, board, config): the last N
 * outcomes, how flaky they are, and how duration, instructions, heap and image size moved
 * (docs/history.md gives every rule). */
#ifndef TLSRIG_HISTORY_QUERY_H
#define TLSRIG_HISTORY_QUERY_H

#include <jansson.h>
#include <stddef.h>
#include <stdio.h>

#include "history_db.h"

typedef struct history_filter {
    const char *board, *backend, *stack, *scenario_glob;
    const char *since;  /* ISO date or date-time, compared as text: 2026-11-01[THH:MM:SSZ] */
    unsigned last;      /* runs per series, newest kept (default 10) */
    long long only_run; /* > 0: the series of this run's results, over runs up to it */
} history_filter_t;

/* 0 when s is YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ, else -1. */
int history_check_date(const char *s);

/* {database, runs, last, series: [{scenario, backend, stack, board, config, runs,
 *  outcomes [..], flake_rate, points [{run, started_at, commit, outcome, duration_ms,
 *  instructions, heap_peak, image_flash}], trend {metric: {first, last, median, change_pct,
 *  moved, rule}}}]}. NULL with err (and *status) on a database failure. */
json_t *history_query(history_db_t *h, const history_filter_t *f, history_status_t *status,
                      char *err, size_t errlen);

/* The query as a table or as CSV (one row per series). */
void history_print_table(FILE *out, const json_t *q);
void history_print_csv(FILE *out, const json_t *q);

#endif
