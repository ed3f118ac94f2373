/* Every report of a run directory, rebuilt from results.jsonl alone. */
#include <stdio.h>

#include "junit.h"
#include "results_log.h"
#include "run_summary.h"

int run_reports_write(const char *dir, const char *baseline, char *err, size_t errlen)
{
    (void)baseline; /* compared once report comparison lands (issue 8) */
    size_t skipped = 0;
    json_t *results = results_log_read(dir, &skipped, err, errlen);
    if (!results) {
        return -1;
    }
    if (skipped > 0) {
        fprintf(stderr, "tlsrig: %s/results.jsonl: %zu unreadable line(s) skipped\n", dir,
                skipped);
    }
    int rc = junit_write(dir, results, err, errlen);
    json_decref(results);
    return rc;
}
