#include "log_fmt.h"

static bool is_digit(char ch)
{
    return ch >= '0' && ch <= '9';
}

/* Digits or '*' at fmt[*i]; LOG_FMT_NONE when neither. false on overflow. */
static bool number(const char *fmt, size_t len, size_t *i, int *out)
{
    if (*i < len && fmt[*i] == '*') {
        (*i)++;
        *out = LOG_FMT_STAR;
        return true;
    }
    if (*i >= len || !is_digit(fmt[*i])) {
        *out = LOG_FMT_NONE;
        return true;
    }
    int v = 0;
    while (*i < len && is_digit(fmt[*i])) {
        v = v * 10 + (fmt[*i] - '0');
        if (v > LOG_FMT_NUM_MAX) {
            return false;
        }
        (*i)++;
    }
    *out = v;
    return true;
}

static log_fmt_len_t length(const char *fmt, size_t len, size_t *i)
{
    char a = *i < len ? fmt[*i] : 0;
    char b = *i + 1u < len ? fmt[*i + 1u] : 0;
    switch (a) {
    case 'h':
        *i += b == 'h' ? 2u : 1u;
        return b == 'h' ? LOG_FMT_LEN_HH : LOG_FMT_LEN_H;
    case 'l':
        *i += b == 'l' ? 2u : 1u;
        return b == 'l' ? LOG_FMT_LEN_LL : LOG_FMT_LEN_L;
    case 'j':
        (*i)++;
        return LOG_FMT_LEN_J;
    case 'z':
        (*i)++;
        return LOG_FMT_LEN_Z;
    case 't':
        (*i)++;
        return LOG_FMT_LEN_T;
    default:
        return LOG_FMT_LEN_NONE;
    }
}

/* Combinations whose output C99 defines the same way in every libc. */
static bool supported(const log_fmt_conv_t *c)
{
    switch (c->conv) {
    case 'd':
    case 'i':
    case 'u':
    case 'x':
    case 'X':
    case 'o':
        return true;
    case 'c':
        return c->length == LOG_FMT_LEN_NONE && c->prec == LOG_FMT_NONE &&
               (c->flags & ~(unsigned)LOG_FMT_MINUS) == 0;
    case 's':
        return c->length == LOG_FMT_LEN_NONE && (c->flags & ~(unsigned)LOG_FMT_MINUS) == 0;
    case 'p':
    case '%':
        /* %p is rendered by the agent; only the bare forms are defined. */
        return c->length == LOG_FMT_LEN_NONE && c->flags == 0 && c->width == LOG_FMT_NONE &&
               c->prec == LOG_FMT_NONE;
    default:
        return false;
    }
}

log_fmt_status_t log_fmt_next(const char *fmt, size_t len, size_t *pos, log_fmt_conv_t *c)
{
    size_t i = *pos;
    c->lit_start = i;
    while (i < len && fmt[i] != '%') {
        if (fmt[i] == '\0') {
            return LOG_FMT_UNSUPPORTED; /* a format has no NUL inside */
        }
        i++;
    }
    c->lit_len = i - c->lit_start;
    c->flags = 0;
    c->width = LOG_FMT_NONE;
    c->prec = LOG_FMT_NONE;
    c->length = LOG_FMT_LEN_NONE;
    c->conv = 0;
    if (i >= len) {
        *pos = i;
        return LOG_FMT_END;
    }
    i++; /* '%' */
    for (;; i++) {
        char f = i < len ? fmt[i] : 0;
        unsigned bit = f == '-'   ? LOG_FMT_MINUS
                       : f == '+' ? LOG_FMT_PLUS
                       : f == ' ' ? LOG_FMT_SPACE
                       : f == '#' ? LOG_FMT_HASH
                       : f == '0' ? LOG_FMT_ZERO
                                  : 0u;
        if (bit == 0) {
            break;
        }
        c->flags |= bit;
    }
    if (!number(fmt, len, &i, &c->width)) {
        return LOG_FMT_UNSUPPORTED;
    }
    if (i < len && fmt[i] == '.') {
        i++;
        if (!number(fmt, len, &i, &c->prec)) {
            return LOG_FMT_UNSUPPORTED;
        }
        if (c->prec == LOG_FMT_NONE) {
            c->prec = 0; /* "%.d": precision zero */
        }
    }
    c->length = length(fmt, len, &i);
    if (i >= len) {
        return LOG_FMT_UNSUPPORTED;
    }
    c->conv = fmt[i++];
    if (!supported(c)) {
        return LOG_FMT_UNSUPPORTED;
    }
    *pos = i;
    return LOG_FMT_CONV;
}

log_fmt_arg_t log_fmt_arg_kind(const log_fmt_conv_t *c)
{
    switch (c->conv) {
    case 'd':
    case 'i':
        return LOG_FMT_ARG_SIGNED;
    case 's':
        return LOG_FMT_ARG_STRING;
    case 'p':
        return LOG_FMT_ARG_POINTER;
    case '%':
        return LOG_FMT_ARG_NONE;
    default:
        return LOG_FMT_ARG_UNSIGNED;
    }
}

static bool put(char *out, size_t cap, size_t *n, char ch)
{
    if (*n + 1u >= cap) {
        return false;
    }
    out[(*n)++] = ch;
    out[*n] = '\0';
    return true;
}

static bool put_num(char *out, size_t cap, size_t *n, int v)
{
    char digits[12];
    size_t k = 0;
    unsigned u = (unsigned)v;
    do {
        digits[k++] = (char)('0' + u % 10u);
        u /= 10u;
    } while (u != 0 && k < sizeof digits);
    while (k > 0) {
        if (!put(out, cap, n, digits[--k])) {
            return false;
        }
    }
    return true;
}

bool log_fmt_spec(const log_fmt_conv_t *c, int width, int prec, const char *length, char *out,
                  size_t cap)
{
    static const char flag_chars[] = "-+ #0";
    size_t n = 0;
    if (cap == 0 || !put(out, cap, &n, '%')) {
        return false;
    }
    for (unsigned b = 0; b < 5u; b++) {
        if ((c->flags & (1u << b)) && !put(out, cap, &n, flag_chars[b])) {
            return false;
        }
    }
    if (width >= 0 && !put_num(out, cap, &n, width)) {
        return false;
    }
    if (prec >= 0 && (!put(out, cap, &n, '.') || !put_num(out, cap, &n, prec))) {
        return false;
    }
    for (const char *l = length; *l; l++) {
        if (!put(out, cap, &n, *l)) {
            return false;
        }
    }
    return put(out, cap, &n, c->conv);
}
