/* tlsrig compare BASE NEW: regressions of a run against a baseline run; with --upgrade,
 * what changes from one mbedTLS stack to another (stack_compare.h).
 * Exit 0 none, 1 regression, 2 usage or unreadable run, 3 an output not written. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "history_baseline.h"
#include "run_compare.h"
#include "stack_compare.h"

static int usage(void)
{
    fprintf(stderr,
            "usage: tlsrig compare BASE_DIR NEW_DIR [--json] [--time-ratio R]\n"
            "        [--time-min-ms MS] [--min-samples N] [--size-tolerance PCT]\n"
            "       tlsrig compare --baseline-history DB [--window N] NEW_DIR [--json] "
            "[--time-min-ms MS]\n"
            "       tlsrig compare --upgrade BASE_DIR [NEW_DIR] [--from STACK] [--to STACK]\n"
            "        [--json] [--out DIR]\n"
            "(tlsrig compare --help: every option)\n");
    return 2;
}

static int number(const char *s, double min, double *out)
{
    char *end;
    double v = strtod(s, &end);
    if (end == s || *end || !(v >= min)) {
        return -1;
    }
    *out = v;
    return 0;
}

/* Nothing written to stdout may be lost silently (a full disk behind a redirect). */
static int stdout_checked(int rc)
{
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "tlsrig compare: standard output: write failed\n");
        return 3;
    }
    return rc;
}

typedef struct upgrade_opts {
    bool on;
    const char *from, *to, *out;
} upgrade_opts_t;

static int compare_upgrade(const char *const *dirs, size_t n_dirs, const upgrade_opts_t *u,
                           int json)
{
    char err[1024];
    json_t *sc =
        stack_compare_dirs(dirs[0], n_dirs == 2 ? dirs[1] : NULL, u->from, u->to, err, sizeof err);
    if (!sc) {
        fprintf(stderr, "tlsrig compare --upgrade: %s\n", err);
        return 2;
    }
    int rc = json_is_true(json_object_get(sc, "regression")) ? 1 : 0;
    if (u->out && stack_compare_write(u->out, sc, err, sizeof err) != 0) {
        fprintf(stderr, "tlsrig compare --upgrade: %s\n", err);
        rc = 3;
    }
    if (json) {
        json_dumpf(sc, stdout, JSON_INDENT(1) | JSON_SORT_KEYS | JSON_REAL_PRECISION(15));
        fputc('\n', stdout);
    } else {
        stack_compare_print(stdout, sc);
    }
    json_decref(sc);
    return stdout_checked(rc);
}

/* NEW_DIR against the history in DB (history_baseline.h). */
static int compare_history(const char *db_path, unsigned window, const char *dir,
                           const compare_opts_t *o, int json)
{
    char err[1400];
    history_db_t h;
    history_status_t st = history_open(&h, db_path, false, err, sizeof err);
    if (st != HISTORY_OK) {
        fprintf(stderr, "tlsrig compare: %s\n", err);
        return (int)st;
    }
    json_t *cmp = history_compare_dir(&h, dir, window, o, &st, err, sizeof err);
    history_close(&h);
    if (!cmp) {
        fprintf(stderr, "tlsrig compare: %s\n", err);
        return (int)st;
    }
    if (json) {
        json_dumpf(cmp, stdout, JSON_INDENT(1) | JSON_SORT_KEYS | JSON_REAL_PRECISION(15));
        fputc('\n', stdout);
    } else {
        const json_t *b = json_object_get(cmp, "baseline");
        printf("compared with the history %s: %lld of %lld result key(s) have earlier runs, "
               "%lld run(s) used (window %lld)\n",
               db_path, (long long)json_integer_value(json_object_get(b, "keys_with_history")),
               (long long)json_integer_value(json_object_get(b, "keys")),
               (long long)json_integer_value(json_object_get(b, "runs")),
               (long long)json_integer_value(json_object_get(b, "window")));
        compare_print(stdout, cmp);
    }
    int rc = json_is_true(json_object_get(cmp, "regression")) ? 1 : 0;
    json_decref(cmp);
    return stdout_checked(rc);
}

int cmd_compare(int argc, char **argv)
{
    compare_opts_t o;
    compare_opts_default(&o);
    const char *dirs[2] = {NULL, NULL};
    size_t n_dirs = 0;
    int json = 0;
    bool thresholds = false; /* options of the within-stack rules */
    upgrade_opts_t u = {false, NULL, NULL, NULL};
    const char *history = NULL;
    unsigned window = 10;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        double v;
        thresholds = thresholds || (a[0] == '-' && strncmp(a, "--time", 6) == 0) ||
                     strcmp(a, "--min-samples") == 0 || strcmp(a, "--size-tolerance") == 0;
        if (strcmp(a, "--json") == 0) {
            json = 1;
        } else if (strcmp(a, "--baseline-history") == 0 && i + 1 < argc && argv[i + 1][0]) {
            history = argv[++i];
        } else if (strcmp(a, "--window") == 0 && i + 1 < argc) {
            if (number(argv[++i], 1.0, &v) != 0 || v > 10000) {
                return usage();
            }
            window = (unsigned)v;
        } else if (strcmp(a, "--upgrade") == 0) {
            u.on = true;
        } else if (strcmp(a, "--from") == 0 && i + 1 < argc) {
            u.from = argv[++i];
        } else if (strcmp(a, "--to") == 0 && i + 1 < argc) {
            u.to = argv[++i];
        } else if (strcmp(a, "--out") == 0 && i + 1 < argc && argv[i + 1][0]) {
            u.out = argv[++i];
        } else if (strcmp(a, "--time-ratio") == 0 && i + 1 < argc) {
            if (number(argv[++i], 1.0, &o.time_ratio) != 0) {
                return usage();
            }
        } else if (strcmp(a, "--time-min-ms") == 0 && i + 1 < argc) {
            if (number(argv[++i], 0.0, &v) != 0) {
                return usage();
            }
            o.time_min_us = v * 1000.0;
        } else if (strcmp(a, "--min-samples") == 0 && i + 1 < argc) {
            if (number(argv[++i], 1.0, &v) != 0 || v > 1e6) {
                return usage();
            }
            o.min_samples = (unsigned)v;
        } else if (strcmp(a, "--size-tolerance") == 0 && i + 1 < argc) {
            if (number(argv[++i], 0.0, &v) != 0 || v > 100.0) {
                return usage();
            }
            o.size_tolerance = v / 100.0;
        } else if (a[0] != '-' && n_dirs < 2) {
            dirs[n_dirs++] = a;
        } else {
            return usage();
        }
    }
    if (history) {
        /* One run against its history: no BASE_DIR, no --upgrade. */
        if (n_dirs != 1 || u.on || u.from || u.to || u.out) {
            return usage();
        }
        return compare_history(history, window, dirs[0], &o, json);
    }
    if (u.on) {
        /* Different stacks run different code: the within-stack thresholds do not apply. */
        if (n_dirs < 1 || thresholds) {
            if (thresholds) {
                fprintf(stderr, "tlsrig compare: --upgrade shows times and counters side by "
                                "side without judging them; --time-*, --min-samples and "
                                "--size-tolerance do not apply\n");
            }
            return usage();
        }
        return compare_upgrade(dirs, n_dirs, &u, json);
    }
    if (n_dirs != 2 || u.from || u.to || u.out) {
        return usage();
    }
    char err[1024];
    json_t *cmp = compare_dirs(dirs[0], dirs[1], &o, err, sizeof err);
    if (!cmp) {
        fprintf(stderr, "tlsrig compare: %s\n", err);
        return 2;
    }
    if (json) {
        json_dumpf(cmp, stdout, JSON_INDENT(1) | JSON_SORT_KEYS | JSON_REAL_PRECISION(15));
        fputc('\n', stdout);
    } else {
        compare_print(stdout, cmp);
    }
    int rc = json_is_true(json_object_get(cmp, "regression")) ? 1 : 0;
    json_decref(cmp);
    return stdout_checked(rc);
}
