#define _POSIX_C_SOURCE 200809L
#include "run_merge.h"

#include <dirent.h>
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
    FILE *out = fopen(to, "wb");
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

static int merge_one(const char *dir, size_t index, const char *out_dir, FILE *log, char *err,
                     size_t errlen)
{
    size_t skipped = 0;
    json_t *results = results_log_read(dir, &skipped, err, errlen);
    if (!results) {
        return -1;
    }
    char prefix[128], dst[4096], src[4096];
    source_prefix(dir, index, prefix, sizeof prefix);
    static const char *const trees[] = {"logs", "captures"};
    for (size_t k = 0; k < 2; k++) {
        snprintf(src, sizeof src, "%s/%s", dir, trees[k]);
        snprintf(dst, sizeof dst, "%s/%s%s", out_dir, prefix, trees[k]);
        if (copy_tree(src, dst, 0) != 0) {
            snprintf(err, errlen, "copying %s to %s: %s", src, dst, strerror(errno));
            json_decref(results);
            return -1;
        }
    }
    size_t i;
    json_t *r;
    int rc = 0;
    json_array_foreach(results, i, r)
    {
        json_object_set_new(r, "source",
                            json_pack("{ss ss sI}", "dir", dir, "prefix", prefix, "skipped_lines",
                                      (json_int_t)skipped));
        char *line = json_dumps(r, JSON_COMPACT | JSON_SORT_KEYS);
        if (!line || fprintf(log, "%s\n", line) < 0) {
            snprintf(err, errlen, "%s/results.jsonl: write failed", out_dir);
            rc = -1;
        }
        free(line);
        if (rc) {
            break;
        }
    }
    json_decref(results);
    return rc;
}

int run_merge(const char *const *dirs, size_t n_dirs, const char *out_dir, char *err, size_t errlen)
{
    if (mkdirs(out_dir) != 0) {
        snprintf(err, errlen, "%s: %s", out_dir, strerror(errno));
        return -1;
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/results.jsonl", out_dir);
    FILE *log = fopen(path, "w");
    if (!log) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    int rc = 0;
    for (size_t i = 0; i < n_dirs && rc == 0; i++) {
        rc = merge_one(dirs[i], i, out_dir, log, err, errlen);
    }
    if (fclose(log) != 0 && rc == 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        rc = -1;
    }
    return rc != 0 ? -1 : run_reports_write(out_dir, NULL, err, errlen) < 0 ? -1 : 0;
}
