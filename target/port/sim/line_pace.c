/* Serial line timing (line_pace.h): busy periods anchored at their first byte. */
#include "line_pace.h"

#define NS_PER_S 1000000000ull

int line_pace_init(line_pace_t *p, uint32_t baud, uint32_t turnaround_ms)
{
    if (baud < LINE_PACE_MIN_BAUD || baud > LINE_PACE_MAX_BAUD ||
        turnaround_ms > LINE_PACE_MAX_TURNAROUND_MS) {
        return -1;
    }
    p->baud = baud;
    p->latency_ns = (uint64_t)turnaround_ms * 1000000ull;
    p->anchor_ns = 0;
    p->count = 0;
    return 0;
}

uint64_t line_pace_wire_ns(uint32_t baud, uint64_t n)
{
    /* n * 1e10 fits in 64 bits up to 1.8e9 bytes; line_pace_send keeps n < baud. */
    uint64_t bits_ns = n * LINE_PACE_BITS_PER_BYTE * NS_PER_S;
    return (bits_ns + baud - 1u) / baud;
}

uint64_t line_pace_idle_at(const line_pace_t *p)
{
    return p->anchor_ns + line_pace_wire_ns(p->baud, p->count);
}

uint64_t line_pace_send(line_pace_t *p, uint64_t now_ns)
{
    if (now_ns >= line_pace_idle_at(p)) {
        /* The line was idle: a new busy period starts with this byte. */
        p->anchor_ns = now_ns;
        p->count = 0;
    }
    p->count++;
    uint64_t end = line_pace_idle_at(p);
    if (p->count == p->baud) {
        /* baud bytes take exactly 10 s: move the anchor, keep count small. */
        p->anchor_ns += LINE_PACE_BITS_PER_BYTE * NS_PER_S;
        p->count = 0;
        /* count 0 with the anchor at end: idle from end, as before. */
    }
    return end;
}

uint64_t line_pace_deliver(line_pace_t *p, uint64_t now_ns)
{
    return line_pace_send(p, now_ns) + p->latency_ns;
}
