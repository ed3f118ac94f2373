/* Run-history trends in the reports: a table with a sparkline per metric (duration, heap,
 * image size, instructions) and a flakiness column in report.html, and the series whose
 * trend moved or that are flaky in summary.md. `history` is DIR/history.json (the
 * history_query() snapshot written when the run was recorded); nothing when NULL. */
#ifndef TLSRIG_REPORT_HISTORY_H
#define TLSRIG_REPORT_HISTORY_H

#include <jansson.h>
#include <stdio.h>

void report_history_html(FILE *f, const json_t *history);
void report_history_markdown(FILE *f, const json_t *history);

#endif
