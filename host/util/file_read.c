#include "file_read.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

char *file_read_all(const char *path, size_t max, size_t *len)
{
    FILE *f = path ? fopen(path, "rb") : NULL;
    if (!f) {
        if (!path) {
            errno = EINVAL;
        }
        return NULL;
    }
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap + 1u);
    int saved = buf ? 0 : ENOMEM;
    while (buf) {
        /* Read one byte past max at most: enough to know the file is too big. */
        size_t want = cap - n;
        if (want > max + 1u - n) {
            want = max + 1u - n;
        }
        size_t got = fread(buf + n, 1, want, f);
        n += got;
        if (n > max) {
            saved = EFBIG;
            free(buf);
            buf = NULL;
            break;
        }
        if (got < want) {
            if (ferror(f)) {
                saved = errno ? errno : EIO;
                free(buf);
                buf = NULL;
            }
            break;
        }
        if (n == cap) {
            char *grown = realloc(buf, cap * 2u + 1u);
            if (!grown) {
                saved = ENOMEM;
                free(buf);
                buf = NULL;
                break;
            }
            buf = grown;
            cap *= 2u;
        }
    }
    fclose(f);
    if (!buf) {
        errno = saved;
        return NULL;
    }
    buf[n] = '\0';
    if (len) {
        *len = n;
    }
    return buf;
}
