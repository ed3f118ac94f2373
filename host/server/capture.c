#define _POSIX_C_SOURCE 200809L
#include "capture.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

uint64_t capture_now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static int mkdir_parents(const char *path)
{
    char buf[4096];
    size_t len = strlen(path);
    if (len == 0 || len >= sizeof buf)
        return -1;
    memcpy(buf, path, len + 1);
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(buf, 0755) != 0 && errno != EEXIST)
            return -1;
        *p = '/';
    }
    if (mkdir(buf, 0755) != 0 && errno != EEXIST)
        return -1;
    return 0;
}

/* Keeps labels inside the capture root: only [A-Za-z0-9._-], no leading dot. */
static void safe_label(const char *label, char *out, size_t outlen)
{
    size_t j = 0;
    for (size_t i = 0; label && label[i] && j + 1 < outlen; i++) {
        char c = label[i];
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '-' || c == '_' || (c == '.' && j > 0);
        out[j++] = ok ? c : '_';
    }
    out[j] = '\0';
    if (j == 0)
        snprintf(out, outlen, "unlabelled");
}

int capture_make_dir(const char *root, const char *label, char *out, size_t outlen, char *err,
                     size_t errlen)
{
    char name[128];
    safe_label(label, name, sizeof name);
    bool parents_made = false; /* only when the folder's own mkdir says they are missing */
    for (unsigned n = 1; n < 10000; n++) {
        int w = n == 1 ? snprintf(out, outlen, "%s/%s", root, name)
                       : snprintf(out, outlen, "%s/%s-%u", root, name, n);
        if (w < 0 || (size_t)w >= outlen) {
            snprintf(err, errlen, "capture path too long");
            return -1;
        }
        if (mkdir(out, 0755) == 0)
            return 0;
        if (errno == ENOENT && !parents_made) {
            if (mkdir_parents(root) != 0) {
                snprintf(err, errlen, "cannot create %s: %s", root, strerror(errno));
                return -1;
            }
            parents_made = true;
            n--; /* the same name again */
            continue;
        }
        if (errno != EEXIST) {
            snprintf(err, errlen, "cannot create %s: %s", out, strerror(errno));
            return -1;
        }
    }
    snprintf(err, errlen, "too many captures named %s", name);
    return -1;
}

int capture_write_file(const char *dir, const char *name, const void *data, size_t len)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    size_t w = len ? fwrite(data, 1, len, f) : 0;
    int rc = fclose(f);
    return (w == len && rc == 0) ? 0 : -1;
}

int capture_write_json(const char *dir, const char *name, const json_t *value)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return json_dump_file(value, path, JSON_INDENT(2) | JSON_SORT_KEYS | JSON_REAL_PRECISION(15)) ==
                   0
               ? 0
               : -1;
}

void capture_log_line(FILE *f, const char *text)
{
    if (!f)
        return;
    uint64_t us = capture_now_us();
    size_t len = strlen(text);
    bool nl = len > 0 && text[len - 1] == '\n';
    fprintf(f, "[%llu.%06llu] %s%s", (unsigned long long)(us / 1000000u),
            (unsigned long long)(us % 1000000u), text, nl ? "" : "\n");
}
