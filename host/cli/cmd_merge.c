/* tlsrig merge DIR... --out DIR: one report from the runs of several boards
 * or runners. Exit 0, or 2 on usage or I/O errors. */
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
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--out") == 0 && i + 1 < argc) {
            out = argv[++i];
        } else if (argv[i][0] != '-') {
            dirs[n++] = argv[i];
        } else {
            out = NULL;
            n = 0;
            break;
        }
    }
    if (!out || n == 0) {
        fprintf(stderr, "usage: tlsrig merge RUN_DIR... --out DIR\n");
        free(dirs);
        return 2;
    }
    for (size_t i = 0; i < n; i++) {
        if (strcmp(dirs[i], out) == 0) {
            fprintf(stderr, "tlsrig merge: --out must differ from the runs merged\n");
            free(dirs);
            return 2;
        }
    }
    char err[1024];
    int rc = run_merge(dirs, n, out, err, sizeof err);
    free(dirs);
    if (rc != 0) {
        fprintf(stderr, "tlsrig merge: %s\n", err);
        return 2;
    }
    printf("merged %zu run(s) into %s (results.jsonl, report.html, summary.md, report.json, "
           "junit.xml)\n",
           n, out);
    return 0;
}
