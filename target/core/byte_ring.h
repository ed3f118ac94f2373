/* A bounded byte ring with one producer and one consumer, which may be an
 * interrupt handler and the main loop: the producer only moves `w`, the
 * consumer only moves `r`, so neither needs a lock. One byte of the buffer
 * stays free to tell full from empty, so a ring of capacity C needs C + 1
 * bytes (BYTE_RING_STORAGE). Used for the tunnel's receive buffer and the
 * boards' UART rings. */
#ifndef TLSRIG_BYTE_RING_H
#define TLSRIG_BYTE_RING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BYTE_RING_STORAGE(capacity) ((capacity) + 1u)

typedef struct byte_ring {
    uint8_t *buf;
    size_t size;       /* bytes of buf: capacity + 1 */
    volatile size_t r; /* next byte to read; written by the consumer only */
    volatile size_t w; /* next byte to write; written by the producer only */
} byte_ring_t;

/* storage holds `size` bytes (>= 2). */
void byte_ring_init(byte_ring_t *ring, uint8_t *storage, size_t size);
void byte_ring_clear(byte_ring_t *ring); /* consumer side: drop what is buffered */

size_t byte_ring_used(const byte_ring_t *ring);
size_t byte_ring_free(const byte_ring_t *ring);

/* Producer: all len bytes, or none (false) when they do not fit. */
bool byte_ring_put(byte_ring_t *ring, const uint8_t *data, size_t len);
/* Producer: one byte; false when full. */
bool byte_ring_put_byte(byte_ring_t *ring, uint8_t b);

/* Consumer: up to cap bytes; returns how many. */
size_t byte_ring_get(byte_ring_t *ring, uint8_t *out, size_t cap);
/* Consumer: one byte, or -1 when empty. */
int byte_ring_get_byte(byte_ring_t *ring);

#endif
