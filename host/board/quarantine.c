#define _POSIX_C_SOURCE 200809L
#include "quarantine.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "safe_name.h"

#define SYSTEM_STATE_DIR "/var/lib/tlsrig"

int quarantine_state_dir(char *out, size_t cap, char *err, size_t errlen)
{
    const char *e = getenv("TLSRIG_STATE_DIR");
    if (e && *e) {
        snprintf(out, cap, "%s", e);
        return 0;
    }
    /* The system dir only when an administrator made it ours (it exists and
     * we may write): a shared rig's state, seen by every user's runs. */
    if (access(SYSTEM_STATE_DIR, W_OK) == 0) {
        snprintf(out, cap, "%s", SYSTEM_STATE_DIR);
        return 0;
    }
    e = getenv("XDG_STATE_HOME");
    if (e && e[0] == '/') { /* the XDG spec: a relative value is ignored */
        snprintf(out, cap, "%s/tlsrig", e);
        return 0;
    }
    e = getenv("HOME");
    if (e && e[0] == '/') {
        snprintf(out, cap, "%s/.local/state/tlsrig", e);
        return 0;
    }
    snprintf(err, errlen,
             "no state directory: set TLSRIG_STATE_DIR (or XDG_STATE_HOME or HOME), or make %s "
             "writable",
             SYSTEM_STATE_DIR);
    return -1;
}

static int path_of(const char *board, char *out, size_t cap, char *err, size_t errlen)
{
    char dir[4096];
    if (!safe_name_valid(board)) {
        snprintf(err, errlen, "board name '%s': %s", board, safe_name_problem(board));
        return -1;
    }
    if (quarantine_state_dir(dir, sizeof dir, err, errlen) != 0) {
        return -1;
    }
    snprintf(out, cap, "%s/quarantine/%s.json", dir, board);
    return 0;
}

/* mkdir -p of the directory part of path. */
static int make_parents(const char *path, char *err, size_t errlen)
{
    char dir[4400];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (!slash || slash == dir) {
        return 0;
    }
    *slash = '\0';
    for (char *p = dir + 1;; p++) {
        bool end = *p == '\0';
        if (*p == '/' || end) {
            *p = '\0';
            if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
                snprintf(err, errlen, "%s: cannot create: %s", dir, strerror(errno));
                return -1;
            }
            if (end) {
                return 0;
            }
            *p = '/';
        }
    }
}

static void utc_now(char *out, size_t cap)
{
    time_t t = time(NULL);
    struct tm tm;
    if (!gmtime_r(&t, &tm) || strftime(out, cap, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0) {
        snprintf(out, cap, "unknown");
    }
}

int quarantine_put(const char *board, const char *reason, char *err, size_t errlen)
{
    int rc = -1;
    char path[4400], tmp[4500], since[32];
    FILE *f = NULL;
    json_t *o = NULL;
    tmp[0] = '\0';
    if (path_of(board, path, sizeof path, err, errlen) != 0 ||
        make_parents(path, err, errlen) != 0) {
        return -1;
    }
    utc_now(since, sizeof since);
    o = json_pack("{ss ss ss}", "board", board, "reason", reason ? reason : "", "since", since);
    snprintf(tmp, sizeof tmp, "%s.tmp-XXXXXX", path);
    int fd = o ? mkstemp(tmp) : -1;
    if (fd < 0) {
        snprintf(err, errlen, "%s: cannot create a temporary file: %s", path,
                 o ? strerror(errno) : "out of memory");
        tmp[0] = '\0';
        goto cleanup;
    }
    f = fdopen(fd, "w");
    if (!f) {
        close(fd);
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        goto cleanup;
    }
    /* Every step checked: a quarantine that silently did not happen would
     * let the next run use a broken board. */
    int bad = json_dumpf(o, f, JSON_INDENT(2)) != 0 || fputc('\n', f) == EOF || fflush(f) != 0 ||
              fsync(fileno(f)) != 0;
    int saved = errno;
    if (fclose(f) != 0 && !bad) {
        bad = 1;
        saved = errno;
    }
    f = NULL;
    if (bad || rename(tmp, path) != 0) {
        snprintf(err, errlen, "%s: cannot be written: %s", path, strerror(bad ? saved : errno));
        goto cleanup;
    }
    tmp[0] = '\0';
    rc = 0;
cleanup:
    if (tmp[0]) {
        unlink(tmp);
    }
    json_decref(o);
    return rc;
}

int quarantine_get(const char *board, quarantine_info_t *q, char *err, size_t errlen)
{
    memset(q, 0, sizeof *q);
    if (path_of(board, q->path, sizeof q->path, err, errlen) != 0) {
        return -1;
    }
    if (access(q->path, F_OK) != 0 && errno == ENOENT) {
        return 0;
    }
    q->quarantined = true;
    json_error_t je;
    json_t *o = json_load_file(q->path, 0, &je);
    const char *reason = NULL, *since = NULL;
    if (!o || json_unpack(o, "{s?s s?s}", "reason", &reason, "since", &since) != 0 || !reason) {
        /* Fail closed: a damaged file still takes the board out of service. */
        snprintf(q->reason, sizeof q->reason, "the quarantine file cannot be read (%s)",
                 o ? "no reason in it" : je.text);
    } else {
        snprintf(q->reason, sizeof q->reason, "%s", reason);
        snprintf(q->since, sizeof q->since, "%s", since ? since : "");
    }
    json_decref(o);
    return 0;
}

int quarantine_clear(const char *board, bool *was, char *err, size_t errlen)
{
    char path[4400];
    *was = false;
    if (path_of(board, path, sizeof path, err, errlen) != 0) {
        return -1;
    }
    if (unlink(path) != 0) {
        if (errno == ENOENT) {
            return 0;
        }
        snprintf(err, errlen, "%s: cannot remove: %s", path, strerror(errno));
        return -1;
    }
    *was = true;
    return 0;
}
