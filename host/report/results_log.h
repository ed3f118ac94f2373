/* results.jsonl: one JSON object per completed scenario, appended and
 * flushed as each completes, so a run cut short keeps every finished line. */
#ifndef TLSRIG_RESULTS_LOG_H
#define TLSRIG_RESULTS_LOG_H

#include <jansson.h>
#include <stddef.h>

typedef struct results_log {
    int fd;
    char path[4096];
} results_log_t;

int results_log_open(results_log_t *r, const char *dir, char *err, size_t errlen);
/* One write(2) per line: a line is either whole in the file or absent. */
int results_log_append(results_log_t *r, const json_t *result);
void results_log_close(results_log_t *r);

/* Read every valid line of DIR/results.jsonl into an array. A torn last line
 * (a run killed mid-write) is skipped and counted in *skipped. NULL with err
 * when the file cannot be read. */
json_t *results_log_read(const char *dir, size_t *skipped, char *err, size_t errlen);

#endif
