/* `tlsrig compare --upgrade --out DIR`: the comparison as upgrade.json, upgrade.md and
 * upgrade.html, written and synced together as a run's reports are (report_file.h). */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "json_dump_stream.h"
#include "report_file.h"
#include "report_html_style.h"
#include "stack_compare.h"

static void html_emit(FILE *f, const json_t *sc)
{
    fprintf(f,
            "<!DOCTYPE html><html lang=en><head><meta charset=utf-8>"
            "<meta name=viewport content='width=device-width,initial-scale=1'>"
            "<title>tlsrig upgrade comparison</title><style>%s</style></head><body>"
            "<header><h1>tlsrig: what changes when we upgrade</h1></header><main>",
            report_css);
    stack_compare_html(f, sc);
    fputs("</main></body></html>\n", f);
}

int stack_compare_write(const char *dir, const json_t *sc, char *err, size_t errlen)
{
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
        snprintf(err, errlen, "%s: cannot create the directory: %s", dir, strerror(errno));
        return -1;
    }
    static const char *const names[] = {"upgrade.json", "upgrade.md", "upgrade.html"};
    report_files_defer(); /* the three synced together, renamed in order */
    int rc = 0;
    for (size_t k = 0; k < 3 && rc == 0; k++) {
        report_file_t rf;
        if (report_file_open(&rf, dir, names[k], err, errlen) != 0) {
            rc = -1;
            break;
        }
        if (k == 0) {
            if (json_dump_stream(sc, rf.f,
                                 JSON_INDENT(1) | JSON_SORT_KEYS | JSON_REAL_PRECISION(15)) != 0 ||
                fputc('\n', rf.f) == EOF) {
                snprintf(err, errlen, "%s: cannot be written: %s", rf.path, strerror(errno));
                report_file_abort(&rf);
                rc = -1;
                break;
            }
        } else if (k == 1) {
            stack_compare_markdown(rf.f, sc);
        } else {
            html_emit(rf.f, sc);
        }
        rc = report_file_commit(&rf, err, errlen);
    }
    char settle_err[1024] = "";
    if (report_files_settle(settle_err, sizeof settle_err) != 0 && rc == 0) {
        snprintf(err, errlen, "%s", settle_err);
        rc = -1;
    }
    return rc;
}
