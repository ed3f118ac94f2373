/* Host side of compact debug logs: LOG messages (LOG_TEXT or LOG_RECORDS,
 * common/proto/log_record.h) in, the exact log text out. Survives any bytes:
 * every length is checked, a record it cannot render becomes a marker line
 * ("tlsrig: ! log ...") and is counted, never guessed. */
#ifndef TLSRIG_LOG_DECODE_H
#define TLSRIG_LOG_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "log_record.h"

typedef struct log_dec_site {
    bool defined;
    uint8_t file_id;
    int32_t line;
    int32_t level;
    uint16_t text_len;
    char text[LOG_REC_TEXT_MAX + 1u];
} log_dec_site_t;

typedef struct log_dec_file {
    bool defined;
    char name[LOG_REC_FILE_MAX + 1u];
} log_dec_file_t;

typedef struct log_dec_stats {
    uint64_t wire_bytes; /* LOG frames as they crossed the wire (log_wire_frame_bytes) */
    uint64_t text_bytes; /* log text produced (verbatim or rendered) */
    uint64_t records;    /* records rendered */
    uint64_t undecoded;  /* records that became a marker line (unknown site, malformed) */
    uint64_t tables;     /* record tables seen (a new one after a loss or a boot) */
} log_dec_stats_t;

typedef struct log_decoder {
    bool have_table;
    uint32_t table_id;
    log_dec_file_t files[LOG_REC_MAX_FILES];
    log_dec_site_t sites[LOG_REC_MAX_SITES];
    log_dec_stats_t stats;
    bool want_resync; /* a record named what this table does not know: ask for a new table */
} log_decoder_t;

/* Where decoded text goes. */
typedef void (*log_dec_sink_fn)(void *ctx, const char *text, size_t len);

log_decoder_t *log_decoder_new(void);
void log_decoder_free(log_decoder_t *d);
/* Forget the table (the agent restarted). Counters stay. */
void log_decoder_reset(log_decoder_t *d);

/* One LOG message as delivered by the link. Text goes to sink in order. */
void log_decoder_feed(log_decoder_t *d, uint8_t type, const uint8_t *payload, size_t len,
                      log_dec_sink_fn sink, void *ctx);

/* True once after a record could not be decoded for want of a definition:
 * the caller sends LOG_RESYNC to the agent. */
bool log_decoder_take_resync(log_decoder_t *d);

/* The bytes one LOG frame with this payload takes on the wire (header, CRC,
 * COBS, delimiter; its sequence byte taken as non-zero). */
size_t log_wire_frame_bytes(uint8_t type, const uint8_t *payload, size_t len);

#endif
