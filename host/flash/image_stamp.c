#define _POSIX_C_SOURCE 200809L
#include "image_stamp.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static bool older(const struct timespec *a, const struct timespec *b)
{
    return a->tv_sec < b->tv_sec || (a->tv_sec == b->tv_sec && a->tv_nsec < b->tv_nsec);
}

bool image_stamp_current(const char *image, size_t *n_checked, char *why, size_t cap)
{
    char list_path[4200], verified_path[4200], line[4200];
    struct stat verified, st;
    bool current = false;
    FILE *f = NULL;
    *n_checked = 0;
    snprintf(list_path, sizeof list_path, "%s.inputs", image);
    snprintf(verified_path, sizeof verified_path, "%s.verified", image);
    if (stat(verified_path, &verified) != 0) {
        snprintf(why, cap, "%s: no earlier build of this image to go by", verified_path);
        goto done;
    }
    if (stat(image, &st) != 0) {
        snprintf(why, cap, "%s: missing", image);
        goto done;
    }
    if (stat(list_path, &st) != 0 || !older(&st.st_mtim, &verified.st_mtim)) {
        snprintf(why, cap, "%s: missing or rewritten by a build since the last check", list_path);
        goto done;
    }
    f = fopen(list_path, "r");
    if (!f) {
        snprintf(why, cap, "%s: cannot be read", list_path);
        goto done;
    }
    while (fgets(line, sizeof line, f)) {
        size_t n = strcspn(line, "\n");
        if (line[n] != '\n') {
            snprintf(why, cap, "%s: a line longer than %zu bytes", list_path, sizeof line);
            goto done;
        }
        line[n] = '\0';
        if (n == 0) {
            continue;
        }
        (*n_checked)++;
        if (stat(line, &st) != 0) {
            snprintf(why, cap, "%s: gone since the last build", line);
            goto done;
        }
        /* Strictly older: one written in the same clock tick as the build
         * began may postdate what make read. */
        if (!older(&st.st_mtim, &verified.st_mtim)) {
            snprintf(why, cap, "%s: changed since the last build", line);
            goto done;
        }
    }
    if (ferror(f) || *n_checked == 0) {
        snprintf(why, cap, "%s: unreadable or empty", list_path);
        goto done;
    }
    current = true;
    snprintf(why, cap, "its %zu inputs (%s) are older than its last build", *n_checked, list_path);
done:
    if (f) {
        fclose(f);
    }
    return current;
}

void image_stamp_begin(const char *image)
{
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.verified.tmp", image);
    unlink(tmp);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd >= 0) {
        close(fd);
    }
}

void image_stamp_verified(const char *image, bool built)
{
    char tmp[4200], path[4200];
    snprintf(tmp, sizeof tmp, "%s.verified.tmp", image);
    snprintf(path, sizeof path, "%s.verified", image);
    if (built && rename(tmp, path) == 0) {
        return;
    }
    unlink(tmp);
    unlink(path);
}
