#define _POSIX_C_SOURCE 200809L
#include "results_log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "file_read.h"
#include "result_texts.h"
#include "results_sync.h"

/* A run directory's results may reach a few hundred MB on long soak runs;
 * beyond this the file is refused rather than read partially. */
#define RESULTS_FILE_MAX ((size_t)1 << 30)

int results_log_create(results_log_t *r, const char *dir, bool *exists, char *err, size_t errlen)
{
    *exists = false;
    r->sync = NULL;
    r->prerender_dir = NULL;
    r->prerender_n = 0;
    r->mirror = (run_log_t){.results = json_array(), .records = json_array()};
    r->mirror_ok = r->mirror.results && r->mirror.records;
    snprintf(r->path, sizeof r->path, "%s/results.jsonl", dir);
    r->fd = open(r->path, O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0644);
    if (r->fd < 0) {
        int saved = errno;
        run_log_free(&r->mirror);
        errno = saved;
        *exists = errno == EEXIST;
        snprintf(err, errlen, "%s: %s", r->path,
                 *exists ? "already holds a run (runs never overwrite or mix: choose another "
                           "--out)"
                         : strerror(errno));
        return -1;
    }
    return 0;
}

static bool parse_line(const char *start, size_t n, run_log_t *out);

void results_log_prerender(results_log_t *r, const char *dir, size_t n)
{
    r->prerender_dir = dir;
    r->prerender_n = n;
}

/* The line just written, parsed into the mirror; a result keeps its text (taken: line is
 * the mirror's now) for the reports. False when memory ran out. */
static bool mirror_line(results_log_t *r, char *line, size_t len)
{
    size_t before = json_array_size(r->mirror.results);
    if (!parse_line(line, len, &r->mirror)) {
        free(line);
        return false;
    }
    size_t idx = json_array_size(r->mirror.results);
    if (idx == before) {
        free(line); /* a run record */
        return true;
    }
    idx--;
    result_text_t *t =
        result_texts_add(&r->mirror, json_array_get(r->mirror.results, idx), line, len);
    if (t && r->prerender_dir) {
        result_text_render_html(t, r->prerender_dir, idx, r->prerender_n);
    }
    return true; /* without its text, a result is rendered at the end */
}

int results_log_append(results_log_t *r, const json_t *result, char *err, size_t errlen)
{
    char *line = json_dumps(result, JSON_COMPACT | JSON_SORT_KEYS | JSON_REAL_PRECISION(15));
    if (!line) {
        snprintf(err, errlen, "%s: cannot encode a result line", r->path);
        return -1;
    }
    size_t len = strlen(line);
    line[len] = '\n'; /* replaces the NUL: the buffer has len + 1 bytes */
    off_t before = lseek(r->fd, 0, SEEK_END);
    ssize_t n;
    do {
        n = write(r->fd, line, len + 1u);
    } while (n < 0 && errno == EINTR);
    int saved = errno;
    if (n != (ssize_t)(len + 1u)) {
        free(line);
        r->mirror_ok = false; /* a torn line may be left: only the file tells */
        /* No torn line left behind: cut the file back to its last whole line. */
        if (n > 0 && before >= 0 && ftruncate(r->fd, before) != 0) {
            saved = errno;
        }
        snprintf(err, errlen, "%s: write failed: %s", r->path,
                 n < 0 ? strerror(saved) : "short write (disk full)");
        return -1;
    }
    /* The line as the file now holds it, parsed as a reader of the file would (the
     * bytes written, not the object: a real goes through its 15 digits). */
    if (!r->mirror_ok) {
        free(line);
    } else if (!mirror_line(r, line, len)) {
        r->mirror_ok = false;
    }
    if (!r->sync) {
        r->sync = results_sync_start(r->fd);
    }
    if (r->sync) {
        return results_sync_request(r->sync, r->path, err, errlen);
    }
    if (fdatasync(r->fd) != 0 && errno != EINVAL) { /* no syncer thread: inline */
        snprintf(err, errlen, "%s: fdatasync failed: %s", r->path, strerror(errno));
        return -1;
    }
    return 0;
}

bool results_log_take_mirror(results_log_t *r, run_log_t *out)
{
    bool ok = r->mirror_ok;
    *out = r->mirror;
    r->mirror = (run_log_t){0};
    r->mirror_ok = false;
    if (!ok) {
        run_log_free(out);
    }
    return ok;
}

int results_log_close(results_log_t *r, char *err, size_t errlen)
{
    int rc = results_sync_finish(r->sync, r->path, err, errlen);
    r->sync = NULL;
    run_log_free(&r->mirror);
    r->mirror_ok = false;
    if (r->fd >= 0 && close(r->fd) != 0 && rc == 0) {
        snprintf(err, errlen, "%s: %s", r->path, strerror(errno));
        rc = -1;
    }
    r->fd = -1;
    return rc;
}

const char *results_record_kind(const json_t *line)
{
    const char *k = json_string_value(json_object_get(line, "record"));
    return k && (strcmp(k, "run-start") == 0 || strcmp(k, "run-end") == 0) ? k : NULL;
}

/* One line (without its newline) into out. False only when memory ran out: a line that is
 * not a JSON object, or too long, counts as skipped, as in the file. */
static bool parse_line(const char *start, size_t n, run_log_t *out)
{
    if (n == 0 || (n == 1 && start[0] == '\r')) {
        return true;
    }
    json_error_t je;
    json_t *o = n <= RESULTS_LINE_MAX ? json_loadb(start, n, JSON_REJECT_DUPLICATES, &je) : NULL;
    if (!o && n <= RESULTS_LINE_MAX && json_error_code(&je) == json_error_out_of_memory) {
        return false;
    }
    if (!json_is_object(o)) {
        json_decref(o);
        out->skipped++;
    } else if (json_object_get(o, "record")) {
        if (results_record_kind(o)) {
            return json_array_append_new(out->records, o) == 0;
        }
        json_decref(o); /* a record kind this version does not know */
        out->skipped++;
    } else {
        return json_array_append_new(out->results, o) == 0;
    }
    return true;
}

void results_log_parse(const char *text, size_t len, run_log_t *out)
{
    out->results = json_array();
    out->records = json_array();
    out->skipped = 0;
    out->texts = NULL;
    out->n_texts = 0;
    size_t pos = 0;
    while (pos < len) {
        const char *start = text + pos;
        const char *nl = memchr(start, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - start) : len - pos;
        pos += n + (nl ? 1u : 0u);
        (void)parse_line(start, n, out);
    }
}

int results_log_load(const char *dir, run_log_t *out, char *err, size_t errlen)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/results.jsonl", dir);
    size_t len = 0;
    errno = 0;
    char *text = file_read_all(path, RESULTS_FILE_MAX, &len);
    if (!text) {
        snprintf(err, errlen, "%s: %s", path,
                 errno ? strerror(errno) : "cannot be read (larger than 1 GiB?)");
        *out = (run_log_t){0};
        return -1;
    }
    results_log_parse(text, len, out);
    free(text);
    return 0;
}

void run_log_free(run_log_t *l)
{
    result_texts_free(l);
    json_decref(l->results);
    json_decref(l->records);
    l->results = l->records = NULL;
}

json_t *results_log_read(const char *dir, size_t *skipped, char *err, size_t errlen)
{
    run_log_t l;
    if (results_log_load(dir, &l, err, errlen) != 0) {
        return NULL;
    }
    *skipped = l.skipped;
    json_t *results = json_incref(l.results);
    run_log_free(&l);
    return results;
}
