/* Writing a report file so that it is never half there: into a temporary
 * file next to it, checked (every write error, including a full disk, shows
 * at the end), then renamed over the final name. */
#ifndef TLSRIG_REPORT_FILE_H
#define TLSRIG_REPORT_FILE_H

#include <stddef.h>
#include <stdio.h>

typedef struct report_file {
    FILE *f;
    char path[4096];
    char tmp[4200];
} report_file_t;

/* Open DIR/NAME's temporary file; -1 with err naming it. */
int report_file_open(report_file_t *rf, const char *dir, const char *name, char *err,
                     size_t errlen);
/* Flush, sync, close and rename; on any failure the temporary file is
 * removed and err names the final file with the reason. 0 or -1. */
int report_file_commit(report_file_t *rf, char *err, size_t errlen);
/* Give up (after an error of the caller): close and remove the temporary. */
void report_file_abort(report_file_t *rf);

/* A run's reports synced together: between report_files_defer() and
 * report_files_settle(), report_file_commit() flushes and checks the file,
 * keeps it and starts its sync on a thread of its own (their syncs share the
 * file system's journal commits instead of waiting for one each, and run
 * while the other reports are written; commits may come from two threads);
 * report_files_settle() waits for every sync, then closes and renames them in
 * order.
 * Same guarantee as one by one: a final name only ever shows synced,
 * complete content. 0, or -1 with err naming the first file that failed
 * (the temporaries of those not renamed are removed). */
void report_files_defer(void);
int report_files_settle(char *err, size_t errlen);

#endif
