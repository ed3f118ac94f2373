/* Lock-free single-producer single-consumer byte ring; see byte_ring.h. */
#include "byte_ring.h"

#include <stdatomic.h>
#include <string.h>

/* The data must be in the buffer before the index that publishes it moves,
 * and read before the index that frees it moves: a compiler barrier is
 * enough on a single core (Cortex-M4 does not reorder its own stores as
 * seen by its own interrupt handlers). */
static void barrier(void)
{
    atomic_signal_fence(memory_order_seq_cst);
}

void byte_ring_init(byte_ring_t *ring, uint8_t *storage, size_t size)
{
    ring->buf = storage;
    ring->size = size;
    ring->r = 0;
    ring->w = 0;
}

void byte_ring_clear(byte_ring_t *ring)
{
    ring->r = ring->w;
}

size_t byte_ring_used(const byte_ring_t *ring)
{
    size_t r = ring->r;
    size_t w = ring->w;
    return w >= r ? w - r : ring->size - r + w;
}

size_t byte_ring_free(const byte_ring_t *ring)
{
    return ring->size - 1u - byte_ring_used(ring);
}

bool byte_ring_put(byte_ring_t *ring, const uint8_t *data, size_t len)
{
    if (len > byte_ring_free(ring)) {
        return false;
    }
    size_t w = ring->w;
    size_t first = ring->size - w < len ? ring->size - w : len;
    memcpy(ring->buf + w, data, first);
    memcpy(ring->buf, data + first, len - first);
    barrier();
    ring->w = (w + len) % ring->size;
    return true;
}

bool byte_ring_put_byte(byte_ring_t *ring, uint8_t b)
{
    size_t w = ring->w;
    size_t next = w + 1u == ring->size ? 0 : w + 1u;
    if (next == ring->r) {
        return false;
    }
    ring->buf[w] = b;
    barrier();
    ring->w = next;
    return true;
}

size_t byte_ring_get(byte_ring_t *ring, uint8_t *out, size_t cap)
{
    size_t used = byte_ring_used(ring);
    size_t n = cap < used ? cap : used;
    size_t r = ring->r;
    size_t first = ring->size - r < n ? ring->size - r : n;
    memcpy(out, ring->buf + r, first);
    memcpy(out + first, ring->buf, n - first);
    barrier();
    ring->r = (r + n) % ring->size;
    return n;
}

int byte_ring_get_byte(byte_ring_t *ring)
{
    size_t r = ring->r;
    if (r == ring->w) {
        return -1;
    }
    uint8_t b = ring->buf[r];
    barrier();
    ring->r = r + 1u == ring->size ? 0 : r + 1u;
    return b;
}
