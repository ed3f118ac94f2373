/* tlsrig report DIR: rebuild every report from DIR/results.jsonl and say
 * what the run amounts to. Exit 0 when the run is complete and every
 * expectation met; 1 when an expectation was not met, a scenario never ran
 * (a run cut short) or completeness is unknown; 3 with an infrastructure
 * error or when a report cannot be written; 2 on usage errors or an
 * unreadable run. */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "history_db.h"
#include "history_snapshot.h"
#include "run_summary.h"

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

int cmd_report(int argc, char **argv)
{
    const char *dir = NULL, *history = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--history") == 0 && i + 1 < argc && argv[i + 1][0]) {
            history = argv[++i];
        } else if (argv[i][0] != '-' && argv[i][0] && !dir) {
            dir = argv[i];
        } else {
            dir = NULL;
            break;
        }
    }
    if (!dir) {
        fprintf(stderr, "usage: tlsrig report DIR [--history DB]\n");
        return 2;
    }
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
