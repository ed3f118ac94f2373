/* `tlsrig compare --baseline-history DB [--window N] DIR`: a run against its own history.
 * Outcomes, parity and deterministic counters compare exactly against the last comparable
 * run (the same board, stack, backend and config, per result); times against the median and
 * spread of the last N comparable runs, so a timing regression is flagged only when it stands
 * out of the history's own noise (history_stats.h). The answer has compare_results()'s
 * shape, so the same printers and exit rule apply. */
#ifndef TLSRIG_HISTORY_BASELINE_H
#define TLSRIG_HISTORY_BASELINE_H

#include <jansson.h>
#include <stddef.h>

#include "history_db.h"
#include "run_compare.h"

/* NULL with err and *status: 2 for an unreadable run or a history with nothing comparable,
 * 3 for a database failure. The run itself is left out of its own history. */
json_t *history_compare_dir(history_db_t *h, const char *dir, unsigned window,
                            const compare_opts_t *o, history_status_t *status, char *err,
                            size_t errlen);

#endif
