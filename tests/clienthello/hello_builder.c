/* Test ClientHello builder; see hello_builder.h. */
#include "hello_builder.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clienthello.h"

typedef struct w {
    uint8_t *p;
    size_t len, cap;
} w_t;

static void put8(w_t *w, unsigned v)
{
    if (w->len < w->cap)
        w->p[w->len] = (uint8_t)v;
    w->len++;
}

static void put16(w_t *w, unsigned v)
{
    put8(w, v >> 8);
    put8(w, v & 0xff);
}

static void put(w_t *w, const void *d, size_t n)
{
    for (size_t i = 0; i < n; i++)
        put8(w, ((const uint8_t *)d)[i]);
}

/* Patches a 16-bit length at `at` to cover everything written after it. */
static void patch16(w_t *w, size_t at)
{
    size_t n = w->len - at - 2;
    if (at + 1 < w->cap) {
        w->p[at] = (uint8_t)(n >> 8);
        w->p[at + 1] = (uint8_t)n;
    }
}

size_t hb_message(const hello_spec_t *s, uint8_t *out, size_t cap)
{
    w_t w = {out, 0, cap};
    put8(&w, 1);
    put8(&w, 0), put16(&w, 0); /* length patched below */
    put16(&w, s->legacy_version ? s->legacy_version : 0x0303);
    for (int i = 0; i < 32; i++)
        put8(&w, (unsigned)i);
    put8(&w, 0); /* session id */
    put16(&w, (unsigned)(2 * s->n_suites));
    for (size_t i = 0; i < s->n_suites; i++)
        put16(&w, s->suites[i]);
    put8(&w, 1), put8(&w, 0); /* null compression */
    size_t exts = w.len;
    put16(&w, 0);
    if (s->sni) {
        size_t n = strlen(s->sni);
        put16(&w, 0), put16(&w, (unsigned)(n + 5)), put16(&w, (unsigned)(n + 3));
        put8(&w, 0), put16(&w, (unsigned)n), put(&w, s->sni, n);
    }
    if (s->groups) {
        put16(&w, 10), put16(&w, (unsigned)(2 * s->n_groups + 2)),
            put16(&w, (unsigned)(2 * s->n_groups));
        for (size_t i = 0; i < s->n_groups; i++)
            put16(&w, s->groups[i]);
        put16(&w, 11), put16(&w, 2), put8(&w, 1), put8(&w, 0);
    }
    if (s->ems)
        put16(&w, 23), put16(&w, 0);
    if (s->versions) {
        put16(&w, 43), put16(&w, (unsigned)(2 * s->n_versions + 1)),
            put8(&w, (unsigned)(2 * s->n_versions));
        for (size_t i = 0; i < s->n_versions; i++)
            put16(&w, s->versions[i]);
    }
    put(&w, s->extra_exts, s->extra_len);
    patch16(&w, exts);
    size_t body = w.len - 4;
    if (cap >= 4) {
        out[1] = (uint8_t)(body >> 16);
        out[2] = (uint8_t)(body >> 8);
        out[3] = (uint8_t)body;
    }
    return w.len <= cap ? w.len : 0;
}

size_t hb_records(const uint8_t *msg, size_t len, size_t chunk, uint8_t *out, size_t cap)
{
    w_t w = {out, 0, cap};
    for (size_t off = 0; off < len; off += chunk) {
        size_t n = len - off < chunk ? len - off : chunk;
        put8(&w, 22), put16(&w, 0x0301), put16(&w, (unsigned)n), put(&w, msg + off, n);
    }
    return w.len <= cap ? w.len : 0;
}

size_t hb_hello(const hello_spec_t *s, uint8_t *out, size_t cap)
{
    uint8_t *msg = malloc(cap);
    size_t n = msg ? hb_message(s, msg, cap) : 0;
    size_t r = n ? hb_records(msg, n, 16384, out, cap) : 0;
    free(msg);
    return r;
}

size_t hb_fixture(const char *name, uint8_t *out, size_t cap)
{
    char path[1024], err[256];
    const char *src = getenv("TLSRIG_SOURCE_DIR");
    snprintf(path, sizeof path, "%s/fixtures/clienthellos/%s", src ? src : ".", name);
    uint8_t *data;
    size_t len;
    if (clienthello_read_file(path, &data, &len, err, sizeof err) != 0 || len > cap)
        return 0;
    memcpy(out, data, len);
    free(data);
    return len;
}
