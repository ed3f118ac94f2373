/* The few printf conversions the log renderer makes per line, without printf: a level-3
 * handshake log is about 1800 lines, and snprintf's set-up per call was most of the host's
 * decoding time (issue 16). Each writes exactly what the snprintf it replaces writes;
 * tests/logwire/test_log_text.c compares them with snprintf. */
#ifndef TLSRIG_LOG_TEXT_H
#define TLSRIG_LOG_TEXT_H

#include <stddef.h>
#include <stdint.h>

/* An output of fixed capacity that keeps what fits and counts everything, as snprintf:
 * buf[cap - 1] is the last byte ever written there, len may pass it. */
typedef struct log_text {
    char *buf;
    size_t cap;
    size_t len;
} log_text_t;

void log_text_put(log_text_t *t, const char *p, size_t n);
void log_text_str(log_text_t *t, const char *s);
/* "%llu", "%lld" */
void log_text_udec(log_text_t *t, uint64_t v);
void log_text_sdec(log_text_t *t, int64_t v);
/* "%llx" (upper: "%llX") */
void log_text_hex(log_text_t *t, uint64_t v, int upper);
/* "%0<width>llu" and "%0<width>llx" for a width of at most 20 */
void log_text_udec_zero(log_text_t *t, uint64_t v, unsigned width);
void log_text_hex_zero(log_text_t *t, uint64_t v, unsigned width);
/* Ends the text at min(len, cap - 1) (cap > 0) and returns that length. */
size_t log_text_end(log_text_t *t);

#endif
