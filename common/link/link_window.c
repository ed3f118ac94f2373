/* How many frames a reliable channel needs in flight to keep a line busy. */
#include "link.h"

/* Longer turnarounds than this (a minute) are treated as this: the window is
 * at its limit long before, and the products below stay in 64 bits. */
#define TURNAROUND_MS_CAP 60000u

uint8_t link_window_for(uint32_t baud, uint32_t turnaround_ms, size_t frame_bytes, uint8_t max)
{
    uint64_t limit = max < LINK_WINDOW_LIMIT ? max : LINK_WINDOW_LIMIT;
    limit = limit == 0 ? 1u : limit;
    uint64_t window = LINK_WINDOW_SOCKET;
    if (baud > 0 && frame_bytes > 0) {
        /* Everything in bit times (10 bits per byte on the line): the frame
         * takes frame_bits; after it, the ack comes back after both
         * turnarounds and the ACK's own bits. Frames that cover the frame
         * and that wait, rounded up, plus one for slack. */
        uint64_t ta = turnaround_ms < TURNAROUND_MS_CAP ? turnaround_ms : TURNAROUND_MS_CAP;
        uint64_t frame_bits = (uint64_t)frame_bytes * 10u;
        uint64_t wait_bits = LINK_ACK_WIRE_BYTES * 10u + (2u * ta * baud + 999u) / 1000u;
        window = 1u + (wait_bits + frame_bits - 1u) / frame_bits + 1u;
    }
    return (uint8_t)(window < limit ? window : limit);
}
