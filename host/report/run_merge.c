#define _DEFAULT_SOURCE
#include "run_merge.h"

#include <dirent.h>
#include <limits.h>
#include <stdbool.h>
#include <errno.h>
#include <jansson.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "results_log.h"
#include "run_summary.h"

static int mkdirs(const char *path)
{
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s", path);
    for (char *p = tmp + 1; *p; p++) {
        if (*p == '/') {
            *p = '\0';
            if (mkdir(tmp, 0755) != 0 && errno != EEXIST) {
                return -1;
            }
            *p = '/';
        }
    }
    return mkdir(tmp, 0755) != 0 && errno != EEXIST ? -1 : 0;
}

static int copy_file(const char *from, const char *to)
{
    FILE *in = fopen(from, "rb");
    if (!in) {
        return -1;
    }
    FILE *out = fopen(to, "wbx"); /* never over an existing file */
    if (!out) {
        fclose(in);
        return -1;
    }
    char buf[65536];
    size_t n;
    int rc = 0;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0) {
        if (fwrite(buf, 1, n, out) != n) {
            rc = -1;
            break;
        }
    }
    if (ferror(in) || ferror(out)) {
        rc = -1;
    }
    fclose(in);
    return fclose(out) != 0 ? -1 : rc;
}

/* Regular files and directories only (no symlinks followed), bounded depth. */
static int copy_tree(const char *from, const char *to, int depth)
{
    DIR *d = opendir(from);
    if (!d) {
        return errno == ENOENT ? 0 : -1;
    }
    if (depth > 8 || mkdirs(to) != 0) {
        closedir(d);
        return -1;
    }
    int rc = 0;
    struct dirent *e;
    while (rc == 0 && (e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) {
            continue;
        }
        char src[4096], dst[4096];
        snprintf(src, sizeof src, "%s/%s", from, e->d_name);
        snprintf(dst, sizeof dst, "%s/%s", to, e->d_name);
        struct stat st;
        if (lstat(src, &st) != 0) {
            continue;
        }
        if (S_ISDIR(st.st_mode)) {
            rc = copy_tree(src, dst, depth + 1);
        } else if (S_ISREG(st.st_mode)) {
            rc = copy_file(src, dst);
        }
    }
    closedir(d);
    return rc;
}

/* runs/<n>-<last path component>, safe as a relative path. */
static void source_prefix(const char *dir, size_t index, char *out, size_t n)
{
    char copy[4096];
    snprintf(copy, sizeof copy, "%s", dir);
    size_t len = strlen(copy);
    while (len > 1 && copy[len - 1] == '/') {
        copy[--len] = '\0';
    }
    char name[64];
    snprintf(name, sizeof name, "%s", basename(copy));
    for (char *p = name; *p; p++) {
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '-' || *p == '_')) {
            *p = '_';
        }
    }
    snprintf(out, n, "runs/%02zu-%s/", index + 1, name);
}

/* The host that ran the source: its run-start record's, or the host of its
 * results when it is itself a merge; NULL for runs from before hosts were recorded. */
static const char *source_host(const run_log_t *src)
{
    const json_t *lines[] = {src->records, src->results};
    for (size_t k = 0; k < 2; k++) {
        size_t i;
        const json_t *l;
        json_array_foreach(lines[k], i, l)
        {
            const json_t *own = json_object_get(json_object_get(l, "source"), "host");
            const char *h = json_string_value(own ? own : json_object_get(l, "host"));
            if (h && h[0]) {
                return h;
            }
        }
    }
    return NULL;
}

static int append_lines(results_log_t *log, const json_t *lines, const char *dir,
                        const char *prefix, const char *host, size_t skipped, char *err,
                        size_t errlen)
{
    size_t i;
    json_t *r;
    json_array_foreach(lines, i, r)
    {
        /* A line that already came through a merge keeps its own host. */
        const json_t *had = json_object_get(json_object_get(r, "source"), "host");
        const char *line_host = had ? json_string_value(had) : host;
        json_object_set_new(r, "source",
                            json_pack("{ss ss sI ss?}", "dir", dir, "prefix", prefix,
                                      "skipped_lines", (json_int_t)skipped, "host", line_host));
        if (results_log_append(log, r, err, errlen) != 0) {
            return -1;
        }
    }
    return 0;
}

static int merge_one(const char *dir, size_t index, const char *out_dir, results_log_t *log,
                     char *err, size_t errlen)
{
    run_log_t src;
    if (results_log_load(dir, &src, err, errlen) != 0) {
        return -1;
    }
    char prefix[128], dst[4096], src_path[4096];
    source_prefix(dir, index, prefix, sizeof prefix);
    static const char *const trees[] = {"logs", "captures"};
    int rc = 0;
    for (size_t k = 0; k < 2 && rc == 0; k++) {
        snprintf(src_path, sizeof src_path, "%s/%s", dir, trees[k]);
        snprintf(dst, sizeof dst, "%s/%s%s", out_dir, prefix, trees[k]);
        if (copy_tree(src_path, dst, 0) != 0) {
            snprintf(err, errlen, "copying %s to %s: %s", src_path, dst, strerror(errno));
            rc = -1;
        }
    }
    /* Records first: a reader finds each source's run-start before its results. */
    const char *host = source_host(&src);
    if (rc == 0) {
        rc = append_lines(log, src.records, dir, prefix, host, src.skipped, err, errlen);
    }
    if (rc == 0) {
        rc = append_lines(log, src.results, dir, prefix, host, src.skipped, err, errlen);
    }
    run_log_free(&src);
    return rc;
}

/* The output must not be an input nor lie inside one (merging A into A
 * would truncate A; A/x would copy A into itself). */
/* realpath() of a path that may not exist yet: its existing ancestor
 * resolved, the rest appended. */
static char *resolve(const char *path, char *out, int depth)
{
    if (realpath(path, out)) {
        return out;
    }
    char copy[PATH_MAX];
    snprintf(copy, sizeof copy, "%s", path);
    size_t len = strlen(copy);
    while (len > 1 && copy[len - 1] == '/') {
        copy[--len] = '\0';
    }
    char *slash = strrchr(copy, '/');
    if (errno != ENOENT || depth > 64) {
        return NULL;
    }
    char parent[PATH_MAX];
    if (!slash) {
        snprintf(parent, sizeof parent, ".");
    } else {
        snprintf(parent, sizeof parent, "%.*s", slash == copy ? 1 : (int)(slash - copy), copy);
    }
    char base[PATH_MAX];
    if (!resolve(parent, base, depth + 1)) {
        return NULL;
    }
    const char *leaf = slash ? slash + 1 : copy;
    int w = snprintf(out, PATH_MAX, "%s/%s", strcmp(base, "/") == 0 ? "" : base, leaf);
    return w > 0 && w < PATH_MAX ? out : NULL;
}

static int check_output(const char *const *dirs, size_t n, const char *out_dir, char *err,
                        size_t errlen)
{
    char out_real[PATH_MAX];
    if (!resolve(out_dir, out_real, 0)) {
        snprintf(err, errlen, "%s: %s", out_dir, strerror(errno));
        return 3;
    }
    for (size_t i = 0; i < n; i++) {
        char in_real[PATH_MAX];
        if (!realpath(dirs[i], in_real)) {
            snprintf(err, errlen, "%s: %s", dirs[i], strerror(errno));
            return 3;
        }
        size_t len = strlen(in_real);
        if (strcmp(in_real, out_real) == 0 ||
            (strncmp(in_real, out_real, len) == 0 && (out_real[len] == '/' || len == 1))) {
            snprintf(err, errlen, "--out %s is the run %s or inside it: choose a new directory",
                     out_dir, dirs[i]);
            return 2;
        }
    }
    return 0;
}

int run_merge(const char *const *dirs, size_t n_dirs, const char *out_dir, char *err, size_t errlen)
{
    if (!out_dir[0]) {
        snprintf(err, errlen, "--out is empty");
        return 2;
    }
    int rc = check_output(dirs, n_dirs, out_dir, err, errlen);
    if (rc != 0) {
        return rc;
    }
    if (mkdirs(out_dir) != 0) {
        snprintf(err, errlen, "%s: %s", out_dir, strerror(errno));
        return 3;
    }
    results_log_t log;
    bool exists = false;
    if (results_log_create(&log, out_dir, &exists, err, errlen) != 0) {
        return exists ? 2 : 3;
    }
    for (size_t i = 0; i < n_dirs && rc == 0; i++) {
        rc = merge_one(dirs[i], i, out_dir, &log, err, errlen) == 0 ? 0 : 3;
    }
    /* The merged lines as parsed when written (results_log.h), else the file read back. */
    run_log_t merged;
    bool mirrored = results_log_take_mirror(&log, &merged);
    char close_err[512];
    if (results_log_close(&log, close_err, sizeof close_err) != 0 && rc == 0) {
        snprintf(err, errlen, "%s", close_err);
        rc = 3;
    }
    if (rc == 0 && (mirrored ? run_reports_write_log(out_dir, &merged, NULL, NULL, err, errlen)
                             : run_reports_write(out_dir, NULL, NULL, err, errlen)) != 0) {
        rc = 3;
    }
    run_log_free(&merged); /* when not handed over */
    return rc;
}
