/* mbedTLS debug output to the LOG channel, as "file:line: |level| text"
 * (the format of mbedTLS's own sample programs, which logparse reads).
 *
 * Two wire forms, chosen per handshake (T_LOG_FORMAT): text (LOG_TEXT, the
 * lines themselves) and compact (LOG_RECORDS, log_encoder.h: mbedTLS's debug
 * calls as binary records that the host renders into the same bytes). */
#ifndef TLSRIG_DEBUG_LOG_H
#define TLSRIG_DEBUG_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "log_encoder.h"

void debug_log_cb(void *ctx, int level, const char *file, int line, const char *str);
/* Agent's own lines ("tlsrig: ..."), same channel. */
void debug_log_printf(const char *fmt, ...);
/* Send what is buffered. */
void debug_log_flush(void);

/* True when this image can send compact records (mbedTLS 2.28 debug entry
 * points wrapped at link time, debug_wrap.c). */
bool debug_log_compact_available(void);
/* Flushes, then switches to T_LOG_FORMAT's streams: 0 text, 1 compact
 * records (when available, else text), 2 both (records and text of the same
 * calls, for the host's identity check); | LOG_FORMAT_FRESH: a new table. */
void debug_log_set_format(uint8_t format);
/* At boot: the encoder's one-time work (libc probe, table), so that no
 * handshake pays it (QEMU's instruction counts must not depend on order). */
void debug_log_warm_up(void);
/* Records wanted (and not paused by a shadow text call). */
bool debug_log_compact(void);
/* Wrappers (debug_wrap.c): records_begin pauses text while a call becomes
 * records; records_end resumes it and returns true when text is wanted too:
 * the caller then runs the text path for the same call, with records
 * paused, and calls shadow_end. */
void debug_log_records_begin(void);
bool debug_log_records_end(void);
void debug_log_shadow_end(void);
/* The compact encoder (valid while compact). */
log_enc_t *debug_log_encoder(void);
/* A LOG message from the host: LOG_RESYNC asks for a new table. */
void debug_log_on_host_message(uint8_t type);

#endif
