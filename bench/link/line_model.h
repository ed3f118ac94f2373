/* A serial line in virtual time: one direction of a UART-like link that
 * carries baud/10 bytes per second (8N1: 10 bits per byte) and delivers each
 * write a fixed latency (the turnaround) after its last byte left. Writes
 * queue behind each other as on a real transmitter; nothing is lost.
 *
 * Freestanding (no clock, no malloc, no POSIX): the caller owns the time
 * (nanoseconds) and the byte storage. Used by link_goodput (bench/link) and
 * meant for anything else that needs a deterministic paced line. */
#ifndef TLSRIG_LINE_MODEL_H
#define TLSRIG_LINE_MODEL_H

#include <stddef.h>
#include <stdint.h>

#define LINE_MODEL_CHUNKS 256u /* writes in transit at once */
#define LINE_MODEL_NEVER UINT64_MAX

typedef struct line_chunk {
    uint64_t arrive_ns; /* when its last byte (and so all of it) is at the far end */
    size_t len;
} line_chunk_t;

typedef struct line_model {
    uint32_t baud;
    uint64_t latency_ns;
    uint64_t free_at_ns; /* when the transmitter has sent everything written so far */
    uint8_t *bytes;      /* ring of bytes in transit (caller storage) */
    size_t cap, head, used;
    line_chunk_t chunks[LINE_MODEL_CHUNKS]; /* ring of writes in transit */
    size_t chunk_head, chunk_count;
    uint64_t bytes_written; /* everything ever written */
} line_model_t;

/* storage (cap bytes) holds what is in transit; baud > 0. */
void line_init(line_model_t *l, uint32_t baud, uint32_t latency_us, uint8_t *storage, size_t cap);

/* Time to send n bytes on this line, in ns. */
uint64_t line_bytes_ns(const line_model_t *l, uint64_t n);

/* Queue a write made at now_ns: it starts when the transmitter is free.
 * 0, or -1 when the storage is full (nothing queued). */
int line_write(line_model_t *l, uint64_t now_ns, const uint8_t *buf, size_t len);

/* When the next write arrives, or LINE_MODEL_NEVER when nothing is in transit. */
uint64_t line_next_arrival_ns(const line_model_t *l);

/* Copy out the writes that arrived by now_ns (whole writes, in order, as
 * long as they fit in cap). Returns the bytes copied. */
size_t line_read(line_model_t *l, uint64_t now_ns, uint8_t *out, size_t cap);

#endif
