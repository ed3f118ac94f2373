/* tlsrig report [--format reports|lava] DIR [--history DB].
 * reports (the default): rebuild every report from DIR/results.jsonl and say
 * what the run amounts to (with --history, first DIR/history.json from that
 * history, so the reports show its trends). Exit 0 when the run is complete
 * and every expectation met; 1 when an expectation was not met, a scenario
 * never ran (a run cut short) or completeness is unknown; 3 with an
 * infrastructure error or when a report cannot be written; 2 on usage errors
 * or an unreadable run (or a run not in the history).
 * lava: print each result as a LAVA test case (lava_cases.h) and write no
 * file; the results are in the lines, so exit 0 when printed, 2 usage or
 * unreadable run, 3 stdout not written. */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "history_db.h"
#include "history_snapshot.h"
#include "lava_cases.h"
#include "results_log.h"
#include "run_summary.h"

static int usage(void)
{
    fprintf(stderr, "usage: tlsrig report [--format reports|lava] DIR [--history DB]\n");
    return 2;
}

/* DIR/history.json from the history in DB: the run must be recorded there. */
static int snapshot_from(const char *db_path, const char *dir)
{
    char err[1400];
    history_db_t h;
    history_status_t st = history_open(&h, db_path, false, err, sizeof err);
    long long run = 0;
    if (st == HISTORY_OK) {
        st = history_find_dir(&h, dir, &run, err, sizeof err);
    }
    if (st == HISTORY_OK && run == 0) {
        snprintf(err, sizeof err,
                 "%s is not recorded in %s: `tlsrig history import --history %s %s` first", dir,
                 db_path, db_path, dir);
        st = HISTORY_EUSAGE;
    }
    if (st == HISTORY_OK) {
        st = history_write_snapshot(&h, dir, run, 10, err, sizeof err);
    }
    history_close(&h);
    if (st != HISTORY_OK) {
        fprintf(stderr, "tlsrig report: history: %s\n", err);
    }
    return (int)st;
}

static int print_lava(const char *dir)
{
    char err[1024];
    run_log_t log;
    if (results_log_load(dir, &log, err, sizeof err) != 0) {
        fprintf(stderr, "tlsrig report: %s\n", err);
        return 2;
    }
    json_t *verdict = run_verdict(log.results, log.records, log.skipped, false);
    int rc = lava_cases_print(stdout, log.results, verdict) == 0 ? 0 : 3;
    if (rc != 0) {
        fprintf(stderr, "tlsrig report: writing to stdout failed\n");
    }
    json_decref(verdict);
    run_log_free(&log);
    return rc;
}

static int rebuild(const char *dir, const char *history)
{
    if (history) {
        int hrc = snapshot_from(history, dir);
        if (hrc != 0) {
            return hrc;
        }
    }
    char err[1024];
    json_t *verdict = NULL;
    int wrc = run_reports_write(dir, NULL, &verdict, err, sizeof err);
    if (wrc != 0) {
        fprintf(stderr, "tlsrig report: %s\n", err);
        return wrc;
    }
    run_summary_print(stdout, verdict, NULL);
    printf("reports rebuilt in %s\n", dir);
    int rc = (int)json_integer_value(json_object_get(verdict, "exit"));
    json_decref(verdict);
    return rc;
}

int cmd_report(int argc, char **argv)
{
    const char *format = "reports", *dir = NULL, *history = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--format") == 0 && i + 1 < argc) {
            format = argv[++i];
        } else if (strcmp(argv[i], "--history") == 0 && i + 1 < argc && argv[i + 1][0]) {
            history = argv[++i];
        } else if (argv[i][0] != '-' && argv[i][0] && !dir) {
            dir = argv[i];
        } else {
            return usage();
        }
    }
    if (!dir) {
        return usage();
    }
    if (strcmp(format, "lava") == 0) {
        if (history) {
            fprintf(stderr, "tlsrig report: --history writes reports; --format lava writes none\n");
            return 2;
        }
        return print_lava(dir);
    }
    if (strcmp(format, "reports") != 0) {
        fprintf(stderr, "tlsrig report: unknown --format '%s' (reports, lava)\n", format);
        return 2;
    }
    return rebuild(dir, history);
}
