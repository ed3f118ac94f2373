#include "file_read.h"

#include <stdio.h>
#include <stdlib.h>

char *file_read_all(const char *path, size_t max, size_t *len)
{
    FILE *f = path ? fopen(path, "rb") : NULL;
    if (!f) {
        return NULL;
    }
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap + 1u);
    while (buf) {
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (n > max) {
            free(buf);
            buf = NULL;
            break;
        }
        if (got == 0) {
            break;
        }
        if (n == cap) {
            char *grown = realloc(buf, cap * 2u + 1u);
            if (!grown) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = grown;
            cap *= 2u;
        }
    }
    fclose(f);
    if (buf) {
        buf[n] = '\0';
        if (len) {
            *len = n;
        }
    }
    return buf;
}
