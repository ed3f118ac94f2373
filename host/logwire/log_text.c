#include "log_text.h"

#include <string.h>

void log_text_put(log_text_t *t, const char *p, size_t n)
{
    if (t->cap > 0 && t->len < t->cap - 1u) {
        size_t room = t->cap - 1u - t->len;
        memcpy(t->buf + t->len, p, n < room ? n : room);
    }
    t->len += n;
}

void log_text_str(log_text_t *t, const char *s)
{
    log_text_put(t, s, strlen(s));
}

/* v in base 10 or 16 at the end of a 24-byte buffer, at least `width` digits: the first. */
static const char *digits_of(uint64_t v, unsigned base, int upper, unsigned width, char out[24])
{
    const char *set = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char *p = out + 24;
    unsigned n = 0;
    do {
        *--p = set[v % base];
        v /= base;
        n++;
    } while (v != 0);
    while (n < width && n < 24u) {
        *--p = '0';
        n++;
    }
    return p;
}

static void put_digits(log_text_t *t, uint64_t v, unsigned base, int upper, unsigned width)
{
    char buf[24];
    const char *p = digits_of(v, base, upper, width > 20u ? 20u : width, buf);
    log_text_put(t, p, (size_t)(buf + sizeof buf - p));
}

void log_text_udec(log_text_t *t, uint64_t v)
{
    put_digits(t, v, 10u, 0, 0);
}

void log_text_sdec(log_text_t *t, int64_t v)
{
    if (v < 0) {
        log_text_put(t, "-", 1);
        /* the magnitude of INT64_MIN, without signed overflow */
        put_digits(t, (uint64_t)0 - (uint64_t)v, 10u, 0, 0);
    } else {
        put_digits(t, (uint64_t)v, 10u, 0, 0);
    }
}

void log_text_hex(log_text_t *t, uint64_t v, int upper)
{
    put_digits(t, v, 16u, upper, 0);
}

void log_text_udec_zero(log_text_t *t, uint64_t v, unsigned width)
{
    put_digits(t, v, 10u, 0, width);
}

void log_text_hex_zero(log_text_t *t, uint64_t v, unsigned width)
{
    put_digits(t, v, 16u, 0, width);
}

size_t log_text_end(log_text_t *t)
{
    size_t n = t->len < t->cap - 1u ? t->len : t->cap - 1u;
    t->buf[n] = '\0';
    return n;
}
