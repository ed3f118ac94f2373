/* A pacing relay: a small process between the host link and an emulated
 * target's socket that carries bytes at a UART's pace in each direction
 * (line_pace: 8N1, baud, turnaround), for targets that cannot pace their own
 * link (QEMU's USART model has no baud timing). Unlike the sim's paced link,
 * the target's writes never block: only delivery is paced. */
#ifndef TLSRIG_PACE_RELAY_H
#define TLSRIG_PACE_RELAY_H

#include <stddef.h>
#include <stdint.h>

/* Takes over target_fd (closed here). On success *host_fd is the host's end
 * (close-on-exec); the relay ends once either side closes, after delivering
 * what it holds. 0, or -1 with err set (target_fd closed either way). */
int pace_relay_start(int target_fd, uint32_t baud, uint32_t turnaround_ms, int *host_fd, char *err,
                     size_t errlen);

#endif
