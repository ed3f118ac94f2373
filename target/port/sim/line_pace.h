/* A serial line's timing, one direction, as pure arithmetic: virtual time in,
 * delivery times out. 8N1 (10 bits per byte on the wire), a fixed latency
 * added to every byte (the turnaround: adapter, driver and scheduling delay of
 * a real UART link). No clock, no I/O: the callers (the sim port's paced link,
 * tests) pass the time. Shared by anything that paces a link the same way. */
#ifndef TLSRIG_LINE_PACE_H
#define TLSRIG_LINE_PACE_H

#include <stdint.h>

#define LINE_PACE_BITS_PER_BYTE 10u /* start + 8 data + stop */
#define LINE_PACE_MIN_BAUD 1200u
#define LINE_PACE_MAX_BAUD 12000000u
#define LINE_PACE_MAX_TURNAROUND_MS 1000u

typedef struct line_pace {
    uint32_t baud;
    uint64_t latency_ns;
    /* The current busy period: it began at anchor_ns and has carried count
     * bytes since, so byte n ends at anchor + n * 10e9 / baud, rounded up:
     * exact, no drift from rounding per byte. */
    uint64_t anchor_ns;
    uint64_t count;
} line_pace_t;

/* 0, or -1 when baud or turnaround_ms is out of range (nothing set). */
int line_pace_init(line_pace_t *p, uint32_t baud, uint32_t turnaround_ms);

/* When the line has sent every byte given so far (ns; 0 before the first). */
uint64_t line_pace_idle_at(const line_pace_t *p);

/* A byte handed to the line at now_ns: it starts when the line is free (or
 * at now_ns), and this returns when its last bit has left (ns). */
uint64_t line_pace_send(line_pace_t *p, uint64_t now_ns);

/* The same byte's arrival at the far end: line_pace_send + the turnaround. */
uint64_t line_pace_deliver(line_pace_t *p, uint64_t now_ns);

/* Time on the wire for n bytes at the line's baud (ns, rounded up). */
uint64_t line_pace_wire_ns(uint32_t baud, uint64_t n);

#endif
