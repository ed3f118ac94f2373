/* tlsrig merge DIR... --out DIR: one report from the runs of several boards
 * or runners. Exit 0; 2 on usage errors (including an --out that is one of
 * the runs or already holds results); 3 when a file cannot be read or
 * written. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "run_merge.h"

int cmd_merge(int argc, char **argv)
{
    const char *out = NULL;
    const char **dirs = calloc((size_t)argc, sizeof *dirs);
    size_t n = 0;
    int rc = 2;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--out") == 0 && i + 1 < argc) {
            out = argv[++i];
        } else if (argv[i][0] != '-' && argv[i][0]) {
            dirs[n++] = argv[i];
        } else {
            out = NULL;
            n = 0;
            break;
        }
    }
    if (!out || !out[0] || n == 0) {
        fprintf(stderr, "usage: tlsrig merge RUN_DIR... --out DIR\n");
        goto cleanup;
    }
    char err[1024];
    rc = run_merge(dirs, n, out, err, sizeof err);
    if (rc != 0) {
        fprintf(stderr, "tlsrig merge: %s\n", err);
        goto cleanup;
    }
    printf("merged %zu run(s) into %s (results.jsonl, report.html, summary.md, report.json, "
           "junit.xml)\n",
           n, out);
cleanup:
    free(dirs);
    return rc;
}
