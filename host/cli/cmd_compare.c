/* tlsrig compare BASE NEW: regressions of a run against a baseline run.
 * Exit 0 none, 1 regression, 2 usage or unreadable run. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "run_compare.h"

static int usage(void)
{
    fprintf(stderr, "usage: tlsrig compare BASE_DIR NEW_DIR [--json] [--time-ratio R]\n"
                    "        [--time-min-ms MS] [--min-samples N] [--size-tolerance PCT]\n"
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

int cmd_compare(int argc, char **argv)
{
    compare_opts_t o;
    compare_opts_default(&o);
    const char *dirs[2] = {NULL, NULL};
    size_t n_dirs = 0;
    int json = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        double v;
        if (strcmp(a, "--json") == 0) {
            json = 1;
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
    if (n_dirs != 2) {
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
    return rc;
}
