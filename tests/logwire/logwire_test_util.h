/* Compact log tests: the agent's encoder (built natively) feeding the host's
 * decoder, beside a reference of the text path (the agent's debug_log_cb
 * and library/debug.c's layouts) for the same calls. */
#ifndef TLSRIG_LOGWIRE_TEST_UTIL_H
#define TLSRIG_LOGWIRE_TEST_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "log_decode.h"
#include "log_encoder.h"

#define TU_MAX_FRAMES 512
#define TU_TEXT_CAP (1u << 20)

typedef struct tu_frame {
    uint8_t p[LINK_MAX_PAYLOAD];
    size_t len;
    size_t attempt; /* which send it was (failed sends count too) */
} tu_frame_t;

typedef struct tu {
    log_enc_t enc;
    log_decoder_t *dec;
    tu_frame_t frames[TU_MAX_FRAMES];
    size_t n_frames;
    int fail_next_send; /* > 0: that many sends fail (the link dropped them) */
    size_t attempts;    /* sends so far: the open frame goes out as this one */
    char expected[TU_TEXT_CAP];
    size_t expected_len;
    char rendered[TU_TEXT_CAP];
    size_t rendered_len;
} tu_t;

tu_t *tu_new(uint32_t table_id);
void tu_free(tu_t *t);

/* Reference text path: what the agent's text mode sends for that callback. */
void tu_ref_cb(tu_t *t, const char *file, int line, int level, const char *str);

/* One call each: encoded as the wrappers do, and its reference text. */
void tu_msg(tu_t *t, const char *file, int line, int level, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
void tu_line(tu_t *t, const char *file, int line, int level, const char *str);
void tu_ret(tu_t *t, const char *file, int line, int level, const char *text, int ret);
void tu_buf(tu_t *t, const char *file, int line, int level, const char *text, const uint8_t *buf,
            size_t len);
void tu_mpi(tu_t *t, uint8_t kind, const char *file, int line, int level, const char *text,
            const uint8_t *x, size_t xn, const uint8_t *y, size_t yn);
void tu_crt_head(tu_t *t, const char *file, int line, int level, const char *text, int i);
void tu_text(tu_t *t, const char *text);

/* Flush the encoder and decode every frame sent so far, in order. */
void tu_decode(tu_t *t);
/* Decode frame i alone (the loss model picks which). */
void tu_decode_frame(tu_t *t, size_t i);

#endif
