/* Prints key=value lines: link-level goodput of TUNNEL messages over a paced
 * line model (full duplex, 10 bits per byte, 1 ms turnaround each way), in
 * virtual time, so the figures are exact and repeatable:
 *   link_window_<baud>_<payload>          window link_window_for picks
 *   link_goodput_pct_<baud>_<payload>_w1  stop-and-wait (window 1)
 *   link_goodput_pct_<baud>_<payload>     with the picked window
 *   link_goodput_pct_<baud>               the same for 1024-byte messages
 * Goodput is payload bytes delivered / (baud / 10 * elapsed), in %. */
#include <stdio.h>

#include "link.h"
#include "link_goodput.h"

#define TURNAROUND_US 1000u
#define MESSAGES 200u

static int measure(uint32_t baud, size_t payload, uint8_t window, double *pct)
{
    link_goodput_setup_t s = {.baud = baud,
                              .turnaround_us = TURNAROUND_US,
                              .payload = payload,
                              .window = window,
                              .messages = MESSAGES};
    link_goodput_result_t r;
    if (link_goodput_run(&s, &r) != 0 || !r.in_order) {
        fprintf(stderr, "link_goodput: run failed (baud %u, payload %zu, window %u)\n", baud,
                payload, window);
        return -1;
    }
    *pct = r.pct;
    return 0;
}

int main(void)
{
    static const uint32_t bauds[] = {115200u, 921600u};
    static const size_t payloads[] = {1024u, 256u};
    int rc = 0;
    for (size_t b = 0; b < sizeof bauds / sizeof bauds[0]; b++) {
        for (size_t p = 0; p < sizeof payloads / sizeof payloads[0]; p++) {
            uint8_t w = link_window_for(bauds[b], TURNAROUND_US / 1000u,
                                        LINK_WIRE_BYTES(payloads[p]), LINK_GOODPUT_WINDOW_MAX);
            double one = 0, windowed = 0;
            if (measure(bauds[b], payloads[p], 1, &one) != 0 ||
                measure(bauds[b], payloads[p], w, &windowed) != 0) {
                rc = 1;
                continue;
            }
            printf("link_window_%u_%zu=%u\n", bauds[b], payloads[p], w);
            printf("link_goodput_pct_%u_%zu_w1=%.2f\n", bauds[b], payloads[p], one);
            printf("link_goodput_pct_%u_%zu=%.2f\n", bauds[b], payloads[p], windowed);
            if (payloads[p] == 1024u) {
                printf("link_goodput_pct_%u=%.2f\n", bauds[b], windowed);
            }
        }
    }
    return rc;
}
