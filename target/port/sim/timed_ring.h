/* Bytes in flight on a paced line, each with the time it reaches the far end
 * (non-decreasing). Pure and bounded: the paced link's threads lock around it. */
#ifndef TLSRIG_TIMED_RING_H
#define TLSRIG_TIMED_RING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TIMED_RING_CAP 8192u

typedef struct timed_ring {
    uint8_t bytes[TIMED_RING_CAP];
    uint64_t due_ns[TIMED_RING_CAP];
    size_t head;
    size_t count;
} timed_ring_t;

void timed_ring_init(timed_ring_t *r);
bool timed_ring_full(const timed_ring_t *r);
/* 0, or -1 when full. */
int timed_ring_push(timed_ring_t *r, uint8_t byte, uint64_t due_ns);
/* The first byte's due time; UINT64_MAX when empty. */
uint64_t timed_ring_next_due(const timed_ring_t *r);
/* Takes up to cap bytes due at or before now_ns, in order; returns how many. */
size_t timed_ring_take_due(timed_ring_t *r, uint64_t now_ns, uint8_t *out, size_t cap);

#endif
