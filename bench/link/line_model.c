/* One direction of a paced serial line in virtual time (line_model.h). */
#include "line_model.h"

#define NS_PER_S 1000000000u
#define BITS_PER_BYTE 10u /* start bit, 8 data bits, stop bit */

void line_init(line_model_t *l, uint32_t baud, uint32_t latency_us, uint8_t *storage, size_t cap)
{
    *l = (line_model_t){0};
    l->baud = baud;
    l->latency_ns = (uint64_t)latency_us * 1000u;
    l->bytes = storage;
    l->cap = cap;
}

uint64_t line_bytes_ns(const line_model_t *l, uint64_t n)
{
    return n * BITS_PER_BYTE * NS_PER_S / l->baud;
}

int line_write(line_model_t *l, uint64_t now_ns, const uint8_t *buf, size_t len)
{
    if (len > l->cap - l->used || l->chunk_count == LINE_MODEL_CHUNKS) {
        return -1;
    }
    for (size_t i = 0; i < len; i++) {
        l->bytes[(l->head + l->used + i) % l->cap] = buf[i];
    }
    l->used += len;
    /* One rounding per write (under 1 ns): negligible against a byte time. */
    uint64_t start = now_ns > l->free_at_ns ? now_ns : l->free_at_ns;
    l->free_at_ns = start + line_bytes_ns(l, len);
    line_chunk_t *c = &l->chunks[(l->chunk_head + l->chunk_count) % LINE_MODEL_CHUNKS];
    c->arrive_ns = l->free_at_ns + l->latency_ns;
    c->len = len;
    l->chunk_count++;
    l->bytes_written += len;
    return 0;
}

uint64_t line_next_arrival_ns(const line_model_t *l)
{
    return l->chunk_count > 0 ? l->chunks[l->chunk_head].arrive_ns : LINE_MODEL_NEVER;
}

size_t line_read(line_model_t *l, uint64_t now_ns, uint8_t *out, size_t cap)
{
    size_t n = 0;
    while (l->chunk_count > 0) {
        line_chunk_t *c = &l->chunks[l->chunk_head];
        if (c->arrive_ns > now_ns || c->len > cap - n) {
            break;
        }
        for (size_t i = 0; i < c->len; i++) {
            out[n + i] = l->bytes[(l->head + i) % l->cap];
        }
        n += c->len;
        l->head = (l->head + c->len) % l->cap;
        l->used -= c->len;
        l->chunk_head = (l->chunk_head + 1u) % LINE_MODEL_CHUNKS;
        l->chunk_count--;
    }
    return n;
}
