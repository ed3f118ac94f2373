/* A debug message's printf arguments as a LOG_REC_MSG body, walked by
 * conversion with the shared walker (log_fmt.h). The host formats them again
 * with glibc; where this libc could render a conversion differently (newlib
 * nano has no C99 length modifiers), the message goes as text instead: a
 * probe of this libc's snprintf at first use decides. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "log_encoder.h"
#include "log_fmt.h"

#define PROBE_BASE (1u << LOG_FMT_LEN_COUNT)

static unsigned g_probe;
static bool g_probed;

static bool probe_one(const char *expect, const char *fmt, ...)
{
    char buf[160];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return n >= 0 && (size_t)n < sizeof buf && strcmp(buf, expect) == 0;
}

/* Which length modifiers (bit per log_fmt_len_t) and whether the flags,
 * widths and precisions render as C99 says (PROBE_BASE). A trailing "|%d"
 * catches a modifier that is printed but does not consume its argument. */
static unsigned probe(void)
{
    unsigned ok = 1u << LOG_FMT_LEN_NONE;
    if (probe_one(
            "-7|7|ff|FF|17|A|ab|%|+0007|c   | 5|017|0x1f|0x0a|007|   42|42   |ab|   ab|ab   "
            "|0000|",
            "%d|%u|%x|%X|%o|%c|%s|%%|%+05d|%-4x|% d|%#o|%#x|%#04x|%.3d|%*d|%-*d|%.*s|%5s|%-5s|"
            "%04x|%.0d",
            -7, 7u, 255u, 255u, 15u, 'A', "ab", 7, 12u, 5, 15u, 31u, 10u, 7, 5, 42, 5, 42, 2, "abc",
            "ab", "ab", 0u, 0)) {
        ok |= PROBE_BASE;
    }
/* int arguments for hh and h on purpose: does this libc narrow them? */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat"
    if (probe_one("-1|255|7", "%hhd|%hhu|%d", 0x1ff, 0x1ff, 7)) {
        ok |= 1u << LOG_FMT_LEN_HH;
    }
    if (probe_one("-1|65535|7", "%hd|%hu|%d", 0x1ffff, 0x1ffff, 7)) {
        ok |= 1u << LOG_FMT_LEN_H;
    }
#pragma GCC diagnostic pop
    if (probe_one("-5|4000000000|7", "%ld|%lu|%d", -5L, 4000000000UL, 7)) {
        ok |= 1u << LOG_FMT_LEN_L;
    }
    if (probe_one("-5|18446744073709551615|7", "%lld|%llu|%d", -5LL, 18446744073709551615ULL, 7)) {
        ok |= 1u << LOG_FMT_LEN_LL;
    }
    if (probe_one("-5|123|7", "%jd|%ju|%d", (intmax_t)-5, (uintmax_t)123u, 7)) {
        ok |= 1u << LOG_FMT_LEN_J;
    }
    if (probe_one("7|1f|7", "%zu|%zx|%d", (size_t)7u, (size_t)31u, 7)) {
        ok |= 1u << LOG_FMT_LEN_Z;
    }
    if (probe_one("-3|7", "%td|%d", (ptrdiff_t)-3, 7)) {
        ok |= 1u << LOG_FMT_LEN_T;
    }
    return ok;
}

static int64_t sign_extend(uint64_t v, size_t bytes)
{
    if (bytes >= 8u) {
        return (int64_t)v;
    }
    uint64_t sign = 1ull << (bytes * 8u - 1u);
    v &= (sign << 1) - 1u;
    return (int64_t)(v ^ sign) - (int64_t)sign;
}

/* Read a d/i argument as its length modifier's type; the narrowing of hh
 * and h is applied here, so the host formats every value as long long. */
static int64_t read_signed(log_fmt_len_t len, va_list *ap)
{
    switch (len) {
    case LOG_FMT_LEN_HH:
        return (signed char)va_arg(*ap, int);
    case LOG_FMT_LEN_H:
        return (short)va_arg(*ap, int);
    case LOG_FMT_LEN_L:
        return va_arg(*ap, long);
    case LOG_FMT_LEN_LL:
        return va_arg(*ap, long long);
    case LOG_FMT_LEN_J:
        return va_arg(*ap, intmax_t);
    case LOG_FMT_LEN_Z:
        return sign_extend(va_arg(*ap, size_t), sizeof(size_t));
    case LOG_FMT_LEN_T:
        return va_arg(*ap, ptrdiff_t);
    default:
        return va_arg(*ap, int);
    }
}

static uint64_t read_unsigned(log_fmt_len_t len, va_list *ap)
{
    switch (len) {
    case LOG_FMT_LEN_HH:
        return (unsigned char)va_arg(*ap, unsigned);
    case LOG_FMT_LEN_H:
        return (unsigned short)va_arg(*ap, unsigned);
    case LOG_FMT_LEN_L:
        return va_arg(*ap, unsigned long);
    case LOG_FMT_LEN_LL:
        return va_arg(*ap, unsigned long long);
    case LOG_FMT_LEN_J:
        return va_arg(*ap, uintmax_t);
    case LOG_FMT_LEN_Z:
        return va_arg(*ap, size_t);
    case LOG_FMT_LEN_T: {
        uint64_t v = (uint64_t)va_arg(*ap, ptrdiff_t);
        return sizeof(ptrdiff_t) >= 8u ? v : v & ((1ull << (sizeof(ptrdiff_t) * 8u)) - 1u);
    }
    default:
        return va_arg(*ap, unsigned);
    }
}

static bool star(log_body_t *b, va_list *ap)
{
    int v = va_arg(*ap, int);
    if (v > LOG_FMT_NUM_MAX || v < -LOG_FMT_NUM_MAX) {
        return false;
    }
    log_body_zigzag(b, v);
    return true;
}

static bool string(log_body_t *b, int prec, va_list *ap)
{
    const char *s = va_arg(*ap, const char *);
    if (s == NULL) {
        return false; /* "(null)" is a libc's choice */
    }
    /* With a precision the libc reads at most that many bytes: so do we. */
    size_t max = prec >= 0 ? (size_t)prec : LOG_REC_TEXT_MAX + 1u;
    size_t n = 0;
    while (n < max && s[n] != '\0') {
        n++;
    }
    if (n > LOG_REC_TEXT_MAX) {
        return false; /* longer than any line: its padding would not survive a cut */
    }
    log_body_bytes(b, s, n);
    return true;
}

void log_msg_args_warm_up(void)
{
    if (!g_probed) {
        g_probe = probe();
        g_probed = true;
    }
}

bool log_msg_args_encode(log_body_t *b, const char *fmt, va_list ap_in)
{
    log_msg_args_warm_up();
    if ((g_probe & PROBE_BASE) == 0) {
        return false;
    }
    va_list ap;
    va_copy(ap, ap_in);
    bool ok = true;
    size_t len = strlen(fmt);
    size_t pos = 0;
    for (;;) {
        log_fmt_conv_t c;
        log_fmt_status_t st = log_fmt_next(fmt, len, &pos, &c);
        if (st == LOG_FMT_END) {
            break;
        }
        if (st != LOG_FMT_CONV || (g_probe & (1u << c.length)) == 0) {
            ok = false;
            break;
        }
        int prec = c.prec;
        if ((c.width == LOG_FMT_STAR && !star(b, &ap))) {
            ok = false;
            break;
        }
        if (c.prec == LOG_FMT_STAR) {
            va_list peek;
            va_copy(peek, ap);
            prec = va_arg(peek, int);
            va_end(peek);
            if (!star(b, &ap)) {
                ok = false;
                break;
            }
        }
        switch (log_fmt_arg_kind(&c)) {
        case LOG_FMT_ARG_SIGNED:
            log_body_zigzag(b, read_signed(c.length, &ap));
            break;
        case LOG_FMT_ARG_UNSIGNED:
            log_body_varint(b, read_unsigned(c.length, &ap));
            break;
        case LOG_FMT_ARG_STRING:
            ok = string(b, prec, &ap);
            break;
        case LOG_FMT_ARG_POINTER: {
            char p[40];
            int n = snprintf(p, sizeof p, "%p", va_arg(ap, void *));
            ok = n >= 0 && (size_t)n < sizeof p;
            if (ok) {
                log_body_bytes(b, p, (size_t)n);
            }
            break;
        }
        case LOG_FMT_ARG_NONE:
            break;
        }
        if (!ok || b->overflow) {
            ok = false;
            break;
        }
    }
    va_end(ap);
    return ok;
}
