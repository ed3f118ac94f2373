#define _POSIX_C_SOURCE 200809L
#include "results_log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int results_log_open(results_log_t *r, const char *dir, char *err, size_t errlen)
{
    snprintf(r->path, sizeof r->path, "%s/results.jsonl", dir);
    r->fd = open(r->path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (r->fd < 0) {
        snprintf(err, errlen, "%s: %s", r->path, strerror(errno));
        return -1;
    }
    return 0;
}

int results_log_append(results_log_t *r, const json_t *result)
{
    char *line = json_dumps(result, JSON_COMPACT | JSON_SORT_KEYS);
    if (!line) {
        return -1;
    }
    size_t len = strlen(line);
    line[len] = '\n'; /* replaces the NUL: the buffer has len + 1 bytes */
    ssize_t n = write(r->fd, line, len + 1u);
    free(line);
    if (n != (ssize_t)(len + 1u)) {
        return -1;
    }
    return fdatasync(r->fd) == 0 || errno == EINVAL ? 0 : -1;
}

void results_log_close(results_log_t *r)
{
    if (r->fd >= 0) {
        close(r->fd);
        r->fd = -1;
    }
}

json_t *results_log_read(const char *dir, size_t *skipped, char *err, size_t errlen)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/results.jsonl", dir);
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return NULL;
    }
    json_t *all = json_array();
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    *skipped = 0;
    while ((n = getline(&line, &cap, f)) > 0) {
        if (n == 1 && line[0] == '\n') {
            continue;
        }
        json_error_t je;
        json_t *o = json_loadb(line, (size_t)n, 0, &je);
        if (o && json_is_object(o)) {
            json_array_append_new(all, o);
        } else {
            json_decref(o);
            (*skipped)++;
        }
    }
    free(line);
    fclose(f);
    return all;
}
