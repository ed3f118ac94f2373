/* Rendering of compact records into the text the agent's text path makes:
 * library/debug.c of mbedTLS 2.28 (512-byte buffer, hex dump and MPI layouts)
 * followed by the agent's debug_log_cb (prefix, 511-byte cut, last byte
 * forced to '\n'). Internal to the decoder. */
#ifndef TLSRIG_LOG_RENDER_H
#define TLSRIG_LOG_RENDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "log_decode.h"

#define LOG_DEBUG_BUF 512u /* DEBUG_BUF_SIZE and the callback's buffer */

typedef struct log_line_ctx {
    log_dec_sink_fn sink;
    void *ctx;
    uint64_t *text_bytes;
    const char *file; /* base name */
    int line;
    int level;
} log_line_ctx_t;

/* The callback: one string as mbedTLS handed it (a C string). */
void log_render_cb(const log_line_ctx_t *lc, const char *str);

/* snprintf into a DEBUG_BUF_SIZE buffer, as debug.c's mbedtls_snprintf. */
void log_render_snprintf(char out[LOG_DEBUG_BUF], const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* mbedtls_debug_print_msg: fmt[0, fmt_len) with its LOG_REC_MSG arguments
 * into str (vsnprintf into 512, then the '\n' debug.c appends when it fits).
 * false when the arguments do not match the format. */
bool log_render_msg(const char *fmt, size_t fmt_len, const uint8_t *args, size_t args_len,
                    char str[LOG_DEBUG_BUF]);

/* mbedtls_debug_print_buf's header line and the rows of bytes [off, off+n)
 * of a dump of total bytes (of which min(total, 4096) are dumped). */
void log_render_dump_header(const log_line_ctx_t *lc, const char *text, uint64_t total);
void log_render_dump_rows(const log_line_ctx_t *lc, size_t off, const uint8_t *p, size_t n);

/* debug_print_pk's item name: snprintf(name, 16, "crt->%s", text), cut at 15. */
void log_render_pk_name(char *out, const char *text);

/* mbedtls_debug_print_mpi with this name and magnitude. */
void log_render_mpi(const log_line_ctx_t *lc, const char *name, uint64_t bitlen, const uint8_t *p,
                    size_t n);

#endif
