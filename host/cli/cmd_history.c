/* tlsrig history: what the run history says per scenario x backend, and
 * tlsrig history import DIR...: run folders into the history (docs/history.md).
 * Exit 0; 2 usage, a missing, foreign or malformed database, or an unreadable run folder;
 * 3 a locked database past its timeout, an I/O failure, or output not written. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "history_db.h"
#include "history_query.h"
#include "history_record.h"

static int usage(void)
{
    fprintf(stderr,
            "usage: tlsrig history [--history DB] [--board B] [--backend sw|hw] [--stack S]\n"
            "        [--scenario GLOB] [--since YYYY-MM-DD] [--last N] [--json|--csv]\n"
            "       tlsrig history import [--history DB] DIR...\n"
            "DB defaults to reports/history.sqlite in the source tree (docs/history.md)\n");
    return 2;
}

static int stdout_checked(int rc)
{
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "tlsrig history: standard output: write failed\n");
        return 3;
    }
    return rc;
}

/* Every folder is tried; the exit code is the worst status met. */
static int import_dirs(const char *db_path, char **dirs, int n)
{
    char err[1200];
    history_db_t h;
    history_status_t st = history_open(&h, db_path, true, err, sizeof err);
    if (st != HISTORY_OK) {
        fprintf(stderr, "tlsrig history import: %s\n", err);
        return (int)st;
    }
    int rc = 0;
    for (int i = 0; i < n; i++) {
        history_recorded_t rec;
        st = history_record_dir(&h, dirs[i], "import", &rec, err, sizeof err);
        if (st != HISTORY_OK) {
            fprintf(stderr, "tlsrig history import: %s\n", err);
            rc = rc > (int)st ? rc : (int)st;
        } else if (rec.already) {
            printf("%s: already recorded (run %lld)\n", dirs[i], rec.run_id);
        } else {
            printf("%s: recorded as run %lld, %zu result(s)\n", dirs[i], rec.run_id, rec.results);
        }
    }
    history_close(&h);
    return stdout_checked(rc);
}

static int parse_last(const char *s, unsigned *out)
{
    char *end;
    unsigned long v = strtoul(s, &end, 10);
    if (end == s || *end || v < 1 || v > 10000) {
        return -1;
    }
    *out = (unsigned)v;
    return 0;
}

int cmd_history(int argc, char **argv)
{
    char default_db[4200];
    history_default_path(cli_source_dir(), default_db, sizeof default_db);
    const char *db_path = default_db;
    history_filter_t f = {.last = 10};
    bool json = false, csv = false, import = argc > 1 && strcmp(argv[1], "import") == 0;
    char **dirs = calloc((size_t)argc, sizeof *dirs);
    int n_dirs = 0, rc = 2;
    if (!dirs) {
        return 3;
    }
    for (int i = import ? 2 : 1; i < argc; i++) {
        const char *a = argv[i];
        bool has = i + 1 < argc;
        if (strcmp(a, "--history") == 0 && has) {
            db_path = argv[++i];
        } else if (!import && strcmp(a, "--board") == 0 && has) {
            f.board = argv[++i];
        } else if (!import && strcmp(a, "--backend") == 0 && has) {
            f.backend = argv[++i];
        } else if (!import && strcmp(a, "--stack") == 0 && has) {
            f.stack = argv[++i];
        } else if (!import && strcmp(a, "--scenario") == 0 && has) {
            f.scenario_glob = argv[++i];
        } else if (!import && strcmp(a, "--since") == 0 && has) {
            f.since = argv[++i];
            if (history_check_date(f.since) != 0) {
                fprintf(stderr,
                        "tlsrig history: --since %s: not YYYY-MM-DD or "
                        "YYYY-MM-DDTHH:MM:SSZ\n",
                        f.since);
                goto done;
            }
        } else if (!import && strcmp(a, "--last") == 0 && has) {
            if (parse_last(argv[++i], &f.last) != 0) {
                fprintf(stderr, "tlsrig history: --last: a count from 1 to 10000\n");
                goto done;
            }
        } else if (!import && strcmp(a, "--json") == 0) {
            json = true;
        } else if (!import && strcmp(a, "--csv") == 0) {
            csv = true;
        } else if (import && a[0] != '-') {
            dirs[n_dirs++] = argv[i];
        } else {
            rc = usage();
            goto done;
        }
    }
    if (json && csv) {
        rc = usage();
        goto done;
    }
    if (import) {
        rc = n_dirs ? import_dirs(db_path, dirs, n_dirs) : usage();
        goto done;
    }
    char err[1200];
    history_db_t h;
    history_status_t st = history_open(&h, db_path, false, err, sizeof err);
    if (st != HISTORY_OK) {
        fprintf(stderr, "tlsrig history: %s\n", err);
        rc = (int)st;
        goto done;
    }
    json_t *q = history_query(&h, &f, &st, err, sizeof err);
    history_close(&h);
    if (!q) {
        fprintf(stderr, "tlsrig history: %s\n", err);
        rc = (int)st;
        goto done;
    }
    if (json) {
        json_dumpf(q, stdout, JSON_INDENT(1) | JSON_SORT_KEYS | JSON_REAL_PRECISION(15));
        fputc('\n', stdout);
    } else if (csv) {
        history_print_csv(stdout, q);
    } else {
        history_print_table(stdout, q);
    }
    json_decref(q);
    rc = stdout_checked(0);
done:
    free(dirs);
    return rc;
}
