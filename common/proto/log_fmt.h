/* printf format walker shared by the agent (which serialises a debug
 * message's arguments by conversion) and the host (which formats them again):
 * one grammar on both sides, so they always agree on which bytes belong to
 * which conversion. Only the conversions mbedTLS's debug messages use are
 * accepted; anything else is LOG_FMT_UNSUPPORTED and the agent sends text.
 * Freestanding, bounded by len (the host's format comes off the wire). */
#ifndef TLSRIG_LOG_FMT_H
#define TLSRIG_LOG_FMT_H

#include <stdbool.h>
#include <stddef.h>

#define LOG_FMT_NONE (-1)    /* no width / precision */
#define LOG_FMT_STAR (-2)    /* '*': taken from the arguments */
#define LOG_FMT_NUM_MAX 1024 /* larger widths and precisions are refused */

enum log_fmt_flag {
    LOG_FMT_MINUS = 1,
    LOG_FMT_PLUS = 2,
    LOG_FMT_SPACE = 4,
    LOG_FMT_HASH = 8,
    LOG_FMT_ZERO = 16,
};

typedef enum log_fmt_len {
    LOG_FMT_LEN_NONE = 0,
    LOG_FMT_LEN_HH,
    LOG_FMT_LEN_H,
    LOG_FMT_LEN_L,
    LOG_FMT_LEN_LL,
    LOG_FMT_LEN_J,
    LOG_FMT_LEN_Z,
    LOG_FMT_LEN_T,
    LOG_FMT_LEN_COUNT
} log_fmt_len_t;

typedef struct log_fmt_conv {
    size_t lit_start; /* literal text before the conversion: fmt[lit_start, +lit_len) */
    size_t lit_len;
    unsigned flags;
    int width; /* LOG_FMT_NONE, LOG_FMT_STAR or 0..LOG_FMT_NUM_MAX */
    int prec;
    log_fmt_len_t length;
    char conv; /* d i u x X o c s p % */
} log_fmt_conv_t;

typedef enum log_fmt_status {
    LOG_FMT_CONV = 0,    /* *c holds the next literal and conversion */
    LOG_FMT_END = 1,     /* *c holds the trailing literal, conv = 0 */
    LOG_FMT_UNSUPPORTED, /* a conversion this walker does not accept */
} log_fmt_status_t;

/* Next literal + conversion of fmt[0, len) from *pos; advances *pos. */
log_fmt_status_t log_fmt_next(const char *fmt, size_t len, size_t *pos, log_fmt_conv_t *c);

/* What a conversion reads from the arguments. */
typedef enum log_fmt_arg {
    LOG_FMT_ARG_NONE,     /* %% */
    LOG_FMT_ARG_SIGNED,   /* d i */
    LOG_FMT_ARG_UNSIGNED, /* u x X o, c (an int, rendered as unsigned char) */
    LOG_FMT_ARG_STRING,   /* s */
    LOG_FMT_ARG_POINTER,  /* p */
} log_fmt_arg_t;

log_fmt_arg_t log_fmt_arg_kind(const log_fmt_conv_t *c);

/* The conversion as a printf spec with its '*' replaced by width/prec and
 * the length modifier replaced by `length` ("ll", "" ...): "%-08.3llx".
 * Returns false when it does not fit cap. */
bool log_fmt_spec(const log_fmt_conv_t *c, int width, int prec, const char *length, char *out,
                  size_t cap);

#endif
