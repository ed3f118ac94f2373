#include "log_render.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "log_fmt.h"
#include "log_text.h"

/* snprintf(tmp, sizeof tmp, "%s:%04d: |%d| %s", file, line, level, str), cut at 511 bytes. */
void log_render_cb(const log_line_ctx_t *lc, const char *str)
{
    char tmp[LOG_DEBUG_BUF];
    log_text_t t = {.buf = tmp, .cap = sizeof tmp, .len = 0};
    log_text_str(&t, lc->file);
    log_text_put(&t, ":", 1);
    if (lc->line >= 0) {
        log_text_udec_zero(&t, (uint64_t)lc->line, 4);
    } else {
        char num[16];
        (void)snprintf(num, sizeof num, "%04d", lc->line); /* "-001": the sign counts */
        log_text_str(&t, num);
    }
    log_text_put(&t, ": |", 3);
    log_text_sdec(&t, lc->level);
    log_text_put(&t, "| ", 2);
    log_text_str(&t, str);
    size_t len = log_text_end(&t);
    if (len > 0 && tmp[len - 1] != '\n') {
        tmp[len - 1] = '\n';
    }
    lc->sink(lc->ctx, tmp, len);
    *lc->text_bytes += len;
}

void log_render_snprintf(char out[LOG_DEBUG_BUF], const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    (void)vsnprintf(out, LOG_DEBUG_BUF, fmt, ap);
    va_end(ap);
}

typedef struct args {
    const uint8_t *p;
    size_t len;
    size_t pos;
} args_t;

static bool arg_varint(args_t *a, uint64_t *v)
{
    size_t n = log_rec_get_varint(a->p + a->pos, a->len - a->pos, v);
    a->pos += n;
    return n > 0;
}

static bool arg_zigzag(args_t *a, int64_t *v)
{
    uint64_t u;
    if (!arg_varint(a, &u)) {
        return false;
    }
    *v = log_rec_unzigzag(u);
    return true;
}

/* A string argument as a C string (no NUL inside: the agent measured it with strlen). */
static bool arg_string(args_t *a, char *out, size_t cap)
{
    uint64_t n;
    if (!arg_varint(a, &n) || n >= cap || n > a->len - a->pos ||
        memchr(a->p + a->pos, 0, (size_t)n) != NULL) {
        return false;
    }
    memcpy(out, a->p + a->pos, (size_t)n);
    out[n] = '\0';
    a->pos += (size_t)n;
    return true;
}

static bool star_value(args_t *a, int *v)
{
    int64_t s;
    if (!arg_zigzag(a, &s) || s > LOG_FMT_NUM_MAX || s < -LOG_FMT_NUM_MAX) {
        return false;
    }
    *v = (int)s;
    return true;
}

/* The conversions most debug messages use, without snprintf: no flag but '0', no precision,
 * no '*'; the value as the agent sent it (already of the conversion's length). */
static bool plain(const log_fmt_conv_t *c)
{
    return (c->flags & ~(unsigned)LOG_FMT_ZERO) == 0 && c->prec == LOG_FMT_NONE &&
           c->width != LOG_FMT_STAR && c->width <= 20 &&
           (c->flags == 0 ? c->width == LOG_FMT_NONE : c->width > 0);
}

static bool convert_plain(const log_fmt_conv_t *c, args_t *a, log_text_t *o, bool *done)
{
    *done = false;
    if (!plain(c)) {
        return true;
    }
    unsigned width = c->width > 0 ? (unsigned)c->width : 0u;
    switch (c->conv) {
    case 'd':
    case 'i': {
        int64_t v;
        if (c->flags != 0) {
            return true; /* "%05d" of a negative value pads after its sign: snprintf's */
        }
        if (!arg_zigzag(a, &v)) {
            return false;
        }
        log_text_sdec(o, v);
        break;
    }
    case 'u':
    case 'x': {
        uint64_t v;
        if (!arg_varint(a, &v)) {
            return false;
        }
        if (c->conv == 'u') {
            log_text_udec_zero(o, v, width);
        } else {
            log_text_hex_zero(o, v, width);
        }
        break;
    }
    case 's': {
        char text[LOG_REC_TEXT_MAX + 1u];
        if (c->flags != 0) {
            return true;
        }
        if (!arg_string(a, text, sizeof text)) {
            return false;
        }
        log_text_str(o, text);
        break;
    }
    default:
        return true;
    }
    *done = true;
    return true;
}

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
/* One conversion, its spec rebuilt from the walker's checked fields. */
static bool convert(const log_fmt_conv_t *c0, args_t *a, log_text_t *o)
{
    bool done;
    if (!convert_plain(c0, a, o, &done)) {
        return false;
    }
    if (done) {
        return true;
    }
    log_fmt_conv_t c = *c0;
    int width = c.width;
    int prec = c.prec;
    if (c.width == LOG_FMT_STAR) {
        if (!star_value(a, &width)) {
            return false;
        }
        if (width < 0) {
            c.flags |= LOG_FMT_MINUS; /* C99: a negative '*' width is '-' and its size */
            width = -width;
        }
    }
    if (c.prec == LOG_FMT_STAR) {
        if (!star_value(a, &prec)) {
            return false;
        }
        if (prec < 0) {
            prec = LOG_FMT_NONE; /* as if omitted */
        }
    }
    char spec[40];
    char text[LOG_REC_TEXT_MAX + 1u];
    char res[2 * LOG_FMT_NUM_MAX + LOG_REC_TEXT_MAX + 64];
    int n = -1;
    switch (log_fmt_arg_kind(&c)) {
    case LOG_FMT_ARG_NONE:
        log_text_put(o, "%", 1);
        return true;
    case LOG_FMT_ARG_POINTER:
        if (!arg_string(a, text, sizeof text)) {
            return false;
        }
        log_text_put(o, text, strlen(text));
        return true;
    case LOG_FMT_ARG_STRING:
        if (!arg_string(a, text, sizeof text) ||
            !log_fmt_spec(&c, width, prec, "", spec, sizeof spec)) {
            return false;
        }
        n = snprintf(res, sizeof res, spec, text);
        break;
    case LOG_FMT_ARG_SIGNED: {
        int64_t v;
        if (!arg_zigzag(a, &v) || !log_fmt_spec(&c, width, prec, "ll", spec, sizeof spec)) {
            return false;
        }
        n = snprintf(res, sizeof res, spec, (long long)v);
        break;
    }
    case LOG_FMT_ARG_UNSIGNED: {
        uint64_t v;
        if (!arg_varint(a, &v)) {
            return false;
        }
        if (c.conv == 'c') {
            if (!log_fmt_spec(&c, width, prec, "", spec, sizeof spec)) {
                return false;
            }
            n = snprintf(res, sizeof res, spec, (int)(unsigned char)v);
        } else {
            if (!log_fmt_spec(&c, width, prec, "ll", spec, sizeof spec)) {
                return false;
            }
            n = snprintf(res, sizeof res, spec, (unsigned long long)v);
        }
        break;
    }
    }
    if (n < 0 || (size_t)n >= sizeof res) {
        return false;
    }
    log_text_put(o, res, (size_t)n); /* %c of 0 writes a NUL byte: kept, as in the agent */
    return true;
}
#pragma GCC diagnostic pop

bool log_render_msg(const char *fmt, size_t fmt_len, const uint8_t *args, size_t args_len,
                    char str[LOG_DEBUG_BUF])
{
    /* vsnprintf into DEBUG_BUF_SIZE: the first 511 bytes kept, the length counted */
    log_text_t o = {.buf = str, .cap = LOG_DEBUG_BUF, .len = 0};
    args_t a = {.p = args, .len = args_len, .pos = 0};
    size_t pos = 0;
    for (;;) {
        log_fmt_conv_t c;
        log_fmt_status_t st = log_fmt_next(fmt, fmt_len, &pos, &c);
        if (st == LOG_FMT_UNSUPPORTED) {
            return false;
        }
        log_text_put(&o, fmt + c.lit_start, c.lit_len);
        if (st == LOG_FMT_END) {
            break;
        }
        if (!convert(&c, &a, &o)) {
            return false;
        }
    }
    if (a.pos != a.len) {
        return false; /* arguments left over: not this format's */
    }
    (void)log_text_end(&o);
    /* library/debug.c: if (ret >= 0 && ret < DEBUG_BUF_SIZE - 1) add '\n' */
    if (o.len < LOG_DEBUG_BUF - 1u) {
        str[o.len] = '\n';
        str[o.len + 1u] = '\0';
    }
    return true;
}

void log_render_dump_header(const log_line_ctx_t *lc, const char *text, uint64_t total)
{
    char str[LOG_DEBUG_BUF];
    log_render_snprintf(str, "dumping '%s' (%u bytes)\n", text, (unsigned int)total);
    log_render_cb(lc, str);
}

/* " %02x" of b at out (3 bytes): by table, since a dump is most of a
 * level-3 log and snprintf per byte was a third of the decoder's time. */
static void hex3(char *out, uint8_t b)
{
    static const char digits[] = "0123456789abcdef";
    out[0] = ' ';
    out[1] = digits[b >> 4];
    out[2] = digits[b & 15u];
}

void log_render_dump_rows(const log_line_ctx_t *lc, size_t off, const uint8_t *p, size_t n)
{
    for (size_t row = 0; row < n; row += 16u) {
        char str[LOG_DEBUG_BUF];
        char txt[17];
        size_t k = n - row < 16u ? n - row : 16u;
        log_text_t t = {.buf = str, .cap = sizeof str, .len = 0};
        log_text_hex_zero(&t, (uint64_t)(off + row), 4); /* "%04x: " */
        log_text_put(&t, ": ", 2);
        size_t idx = t.len;
        /* 16 columns of 3 and the text column fit LOG_DEBUG_BUF (512) by far */
        for (size_t i = 0; i < 16u; i++, idx += 3u) {
            if (i < k) {
                uint8_t b = p[row + i];
                hex3(str + idx, b);
                txt[i] = (char)(b > 31 && b < 127 ? b : '.');
            } else {
                memcpy(str + idx, "   ", 3);
            }
        }
        str[idx] = ' ';
        str[idx + 1u] = ' ';
        memcpy(str + idx + 2u, txt, k);
        str[idx + 2u + k] = '\n';
        str[idx + 3u + k] = '\0';
        log_render_cb(lc, str);
    }
}

void log_render_mpi(const log_line_ctx_t *lc, const char *name, uint64_t bitlen, const uint8_t *p,
                    size_t n)
{
    char str[LOG_DEBUG_BUF];
    log_render_snprintf(str, "value of '%s' (%u bits) is:\n", name, (unsigned)bitlen);
    log_render_cb(lc, str);
    size_t idx = 0;
    if (bitlen == 0) {
        memcpy(str, " 00", 4);
        idx = 3;
    }
    for (size_t i = 0; i < n; i++) {
        hex3(str + idx, p[i]);
        idx += 3;
        if (idx >= 3u * 16u) {
            (void)snprintf(str + idx, sizeof str - idx, "\n");
            log_render_cb(lc, str);
            idx = 0;
        }
    }
    if (idx != 0) {
        (void)snprintf(str + idx, sizeof str - idx, "\n");
        log_render_cb(lc, str);
    }
}

void log_render_pk_name(char *out, const char *text)
{
    static const char prefix[] = LOG_REC_PK_PREFIX;
    size_t n = 0;
    for (const char *p = prefix; *p && n < 15u; p++) {
        out[n++] = *p;
    }
    for (const char *p = text; *p && n < 15u; p++) {
        out[n++] = *p;
    }
    out[n] = '\0';
}
