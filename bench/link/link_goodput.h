/* Link-level goodput over a paced line, in virtual time: two link_t endpoints
 * on a full-duplex line model (line_model.h), one sending TUNNEL messages as
 * fast as its window allows, the other acking. Deterministic: no clock, no
 * randomness beyond a fixed-seed payload. */
#ifndef TLSRIG_LINK_GOODPUT_H
#define TLSRIG_LINK_GOODPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct link_goodput_setup {
    uint32_t baud;
    uint32_t turnaround_us; /* per direction */
    size_t payload;         /* bytes per message, 1..LINK_MAX_PAYLOAD */
    uint8_t window;         /* sender's TUNNEL window, 1..LINK_GOODPUT_WINDOW_MAX */
    uint32_t messages;
} link_goodput_setup_t;

#define LINK_GOODPUT_WINDOW_MAX 32u

typedef struct link_goodput_result {
    double pct;          /* payload bytes delivered / line capacity over the run, in % */
    uint64_t elapsed_ns; /* first send to last delivery */
    uint64_t payload_bytes;
    uint64_t wire_bytes; /* sender -> receiver, frames included */
    uint32_t retransmits;
    bool in_order; /* every message delivered exactly once, in order */
} link_goodput_result_t;

/* 0, or -1 on a bad setup or a run that did not finish. */
int link_goodput_run(const link_goodput_setup_t *s, link_goodput_result_t *r);

#endif
