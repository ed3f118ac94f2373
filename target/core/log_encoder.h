/* Compact debug log encoder (common/proto/log_record.h): a bounded table of
 * call sites per table id, records batched into LOG_RECORDS frames.
 * Portable (no mbedTLS, no malloc): one instance lives in debug_log.c, tests
 * run their own with a fake send function.
 *
 * Loss: a frame the link could not send (send returns <0) bumps the table id
 * and forgets every definition, so no later record names a site whose
 * definition was in the lost frame. The host asks for the same after a loss
 * it saw on the wire (log_enc_request_resync). */
#ifndef TLSRIG_LOG_ENCODER_H
#define TLSRIG_LOG_ENCODER_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "link.h"
#include "log_record.h"

/* Send one LOG_RECORDS payload; 0 when the link took it, <0 when it was lost. */
typedef int (*log_enc_send_fn)(void *ctx, const uint8_t *payload, size_t len);

/* Sites per table on the agent (<= LOG_REC_MAX_SITES). The whole sim catalog
 * uses ~160 call sites; a full table just starts another. 16 bytes each on a
 * Cortex-M, whose SRAM is tight (qemu-f405: 8 KB were free). */
#ifndef LOG_ENC_SITES
#define LOG_ENC_SITES 192u
#endif

typedef struct log_enc_site {
    const char *file; /* the caller's __FILE__ (pointer identity) */
    const char *text; /* format or text (pointer identity + hash) */
    uint32_t text_hash;
    uint16_t line;
    int8_t level;
    uint8_t file_id;
} log_enc_site_t;

typedef struct log_enc {
    log_enc_send_fn send;
    void *ctx;
    uint32_t table_id;
    log_enc_site_t sites[LOG_ENC_SITES];
    size_t n_sites;
    const char *files[LOG_REC_MAX_FILES];
    size_t n_files;
    uint8_t frame[LINK_MAX_PAYLOAD];
    size_t frame_len; /* 0 = empty (the header is written at the first record) */
    bool resync_requested;
    uint32_t frames_lost; /* sends that failed (each bumped the table id) */
    uint32_t tables;      /* table ids used so far */
} log_enc_t;

/* A record body under construction (the caller's buffer). */
typedef struct log_body {
    uint8_t *buf;
    size_t cap;
    size_t len;
    bool overflow;
} log_body_t;

/* The largest body a record may have: it must fit an empty frame after the
 * header, its kind and site id. */
#define LOG_ENC_BODY_MAX (LINK_MAX_PAYLOAD - LOG_REC_HEADER_LEN - 4u)

void log_enc_init(log_enc_t *e, uint32_t table_id, log_enc_send_fn send, void *ctx);
/* Send the frame being filled (no-op when empty). */
void log_enc_flush(log_enc_t *e);
/* Start a new table at the next record (the host saw a loss). */
void log_enc_request_resync(log_enc_t *e);

void log_body_init(log_body_t *b, uint8_t *buf, size_t cap);
void log_body_varint(log_body_t *b, uint64_t v);
void log_body_zigzag(log_body_t *b, int64_t v);
void log_body_bytes(log_body_t *b, const void *p, size_t n); /* varint length + bytes */
void log_body_raw(log_body_t *b, const void *p, size_t n);

/* Append one record naming the site (file, line, level, text), defining it
 * first when this table does not know it. false when it cannot be encoded
 * (body overflow, a name or text too long): the caller sends text instead. */
bool log_enc_site_record(log_enc_t *e, uint8_t kind, const char *file, int line, int level,
                         const char *text, const log_body_t *body);
/* Verbatim text (no site). Cut into records that fit; never fails. */
void log_enc_text(log_enc_t *e, const char *text, size_t len);

/* LOG_REC_MSG body of printf arguments: false when some conversion is not
 * one both libcs render the same way (log_msg_args.c); ap is consumed. */
bool log_msg_args_encode(log_body_t *b, const char *fmt, va_list ap);
/* Probe the libc now (at boot), not in the first handshake: QEMU's
 * instruction counts must not depend on which handshake came first. */
void log_msg_args_warm_up(void);

#endif
