/* Timed byte ring (timed_ring.h). */
#include "timed_ring.h"

void timed_ring_init(timed_ring_t *r)
{
    r->head = 0;
    r->count = 0;
}

bool timed_ring_full(const timed_ring_t *r)
{
    return r->count == TIMED_RING_CAP;
}

int timed_ring_push(timed_ring_t *r, uint8_t byte, uint64_t due_ns)
{
    if (timed_ring_full(r)) {
        return -1;
    }
    size_t at = (r->head + r->count) % TIMED_RING_CAP;
    r->bytes[at] = byte;
    r->due_ns[at] = due_ns;
    r->count++;
    return 0;
}

uint64_t timed_ring_next_due(const timed_ring_t *r)
{
    return r->count ? r->due_ns[r->head] : UINT64_MAX;
}

size_t timed_ring_take_due(timed_ring_t *r, uint64_t now_ns, uint8_t *out, size_t cap)
{
    size_t n = 0;
    while (n < cap && r->count > 0 && r->due_ns[r->head] <= now_ns) {
        out[n++] = r->bytes[r->head];
        r->head = (r->head + 1u) % TIMED_RING_CAP;
        r->count--;
    }
    return n;
}
