#include "json_dump_stream.h"

#include <stdlib.h>
#include <string.h>

struct json_stream {
    FILE *f;
    size_t len;
    int failed;
    char buf[64 * 1024];
};

static int flush_buf(json_stream_t *b)
{
    size_t n = b->len;
    b->len = 0;
    return n == 0 || fwrite(b->buf, 1, n, b->f) == n ? 0 : -1;
}

json_stream_t *json_stream_open(FILE *f)
{
    json_stream_t *b = malloc(sizeof *b); /* 64 KB: not on a report thread's stack */
    if (b) {
        b->f = f;
        b->len = 0;
        b->failed = 0;
    }
    return b;
}

int json_stream_put(const char *text, size_t size, void *stream)
{
    json_stream_t *b = stream;
    if (size > sizeof b->buf - b->len) {
        if (flush_buf(b) != 0) {
            return b->failed = -1;
        }
        if (size > sizeof b->buf) {
            return fwrite(text, 1, size, b->f) == size ? 0 : (b->failed = -1);
        }
    }
    memcpy(b->buf + b->len, text, size);
    b->len += size;
    return 0;
}

int json_stream_close(json_stream_t *s)
{
    int rc = s->failed != 0 || flush_buf(s) != 0 ? -1 : 0;
    free(s);
    return rc;
}

int json_dump_stream(const json_t *v, FILE *f, size_t flags)
{
    json_stream_t *b = json_stream_open(f);
    if (!b) {
        return json_dumpf(v, f, flags); /* the same bytes, token by token */
    }
    int rc = json_dump_callback(v, json_stream_put, b, flags);
    return json_stream_close(b) != 0 ? -1 : rc;
}
