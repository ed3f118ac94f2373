#include "json_dump_stream.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
    FILE *f;
    size_t len;
    char buf[64 * 1024];
} dump_buf_t;

static int flush_buf(dump_buf_t *b)
{
    size_t n = b->len;
    b->len = 0;
    return n == 0 || fwrite(b->buf, 1, n, b->f) == n ? 0 : -1;
}

static int gather(const char *text, size_t size, void *ctx)
{
    dump_buf_t *b = ctx;
    if (size > sizeof b->buf - b->len) {
        if (flush_buf(b) != 0) {
            return -1;
        }
        if (size > sizeof b->buf) {
            return fwrite(text, 1, size, b->f) == size ? 0 : -1;
        }
    }
    memcpy(b->buf + b->len, text, size);
    b->len += size;
    return 0;
}

int json_dump_stream(const json_t *v, FILE *f, size_t flags)
{
    dump_buf_t *b = malloc(sizeof *b); /* 64 KB: not on a report thread's stack */
    if (!b) {
        return json_dumpf(v, f, flags); /* the same bytes, token by token */
    }
    b->f = f;
    b->len = 0;
    int rc = json_dump_callback(v, gather, b, flags);
    if (flush_buf(b) != 0) {
        rc = -1;
    }
    free(b);
    return rc;
}
