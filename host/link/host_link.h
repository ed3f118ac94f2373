/* Host side of the link: the shared link state machine over a file
 * descriptor (a socket for sim and QEMU, a serial port's fd for boards), with
 * unbounded queues on the host so callers never wait for acks themselves. */
#ifndef TLSRIG_HOST_LINK_H
#define TLSRIG_HOST_LINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "link.h"

typedef struct host_msg {
    uint8_t channel;
    uint8_t type;
    size_t len;
    struct host_msg *next;
    uint8_t payload[]; /* len bytes, plus a NUL so text payloads are strings */
} host_msg_t;

typedef struct host_msg_queue {
    host_msg_t *head;
    host_msg_t *tail;
    size_t count;
} host_msg_queue_t;

typedef struct host_link {
    int fd;
    link_t link;
    host_msg_queue_t rx;                  /* delivered, not yet taken */
    host_msg_queue_t tx[LINK_CH_COUNT];   /* waiting for the link (reliable channels) */
    bool eof;                             /* the peer closed the transport */
    bool gave_up;                         /* a reliable message was abandoned */
} host_link_t;

void host_link_init(host_link_t *hl, int fd);
/* Frees queues; does not close the fd (its owner does). */
void host_link_free(host_link_t *hl);

/* Queue a message; it goes out as soon as the link allows. 0, or -1 on bad args. */
int host_link_send(host_link_t *hl, uint8_t channel, uint8_t type, const void *payload, size_t len);

/* Read what the fd has (call when poll says readable), then service. */
void host_link_on_readable(host_link_t *hl);
/* Retransmit, move queued messages onto the link. Call at least every few ms. */
void host_link_service(host_link_t *hl);
/* Poll the fd for up to timeout_ms, read and service. */
void host_link_pump(host_link_t *hl, int timeout_ms);

/* Next delivered message, or NULL. Caller frees with free(). */
host_msg_t *host_link_pop(host_link_t *hl);
/* True when nothing is waiting to go out or to be acked. */
bool host_link_idle(const host_link_t *hl);
bool host_link_dead(const host_link_t *hl);

uint32_t host_now_ms(void);

#endif
