/* Host side of the link: the shared link state machine over a file
 * descriptor (a socket for sim and QEMU, a serial port's fd for boards), with
 * unbounded queues on the host so callers never wait for acks themselves.
 * Queued messages go onto the link as far as each channel's window allows. */
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
    bool after_acked; /* goes onto the link only once all before it is acked */
    struct host_msg *next;
    uint8_t payload[]; /* len bytes, plus a NUL so text payloads are strings */
} host_msg_t;

typedef struct host_msg_queue {
    host_msg_t *head;
    host_msg_t *tail;
    size_t count;
} host_msg_queue_t;

/* Why a link is dead (host_link_dead), for error messages. */
typedef enum host_link_error {
    HOST_LINK_OK = 0,
    HOST_LINK_EOF,      /* the target closed the transport */
    HOST_LINK_EREAD,    /* read from the transport failed */
    HOST_LINK_EWRITE,   /* write to the transport failed */
    HOST_LINK_ESTALLED, /* a write could not finish before write_deadline_ms (EAGAIN) */
    HOST_LINK_EGAVEUP,  /* a reliable message was never acked (retries exhausted) */
} host_link_error_t;

/* malloc-compatible (messages are released with free()). A test seam. */
typedef void *(*host_link_alloc_fn)(size_t size);

/* Most TUNNEL frames the host keeps in flight (its window is sized from the
 * line, host_link_set_line; this is only the storage). */
#define HOST_LINK_WINDOW_MAX 16u

typedef struct host_link {
    int fd;
    link_t link;
    link_tx_slot_t tunnel_slots[HOST_LINK_WINDOW_MAX - 1u]; /* TUNNEL's window storage */
    host_msg_queue_t rx;                                    /* delivered, not yet taken */
    host_msg_queue_t tx[LINK_CH_COUNT]; /* waiting for the link (reliable channels) */
    bool eof;                           /* the peer closed the transport, or it failed */
    bool gave_up;                       /* a reliable message was abandoned */
    host_link_error_t error;            /* first reason the link died */
    int error_errno;                    /* errno of EREAD/EWRITE */
    uint32_t write_deadline_ms;         /* one frame's write, EAGAIN included */
    host_link_alloc_fn alloc;           /* malloc unless a test injects failures */
} host_link_t;

/* Default write deadline: a frame (1 KB) that cannot be written in 5 s means
 * the target has not read for far longer than its retransmit budget. */
#define HOST_LINK_WRITE_DEADLINE_MS 5000u

/* Puts fd in non-blocking mode: every write then has a deadline. TUNNEL
 * starts with the socket window (LINK_WINDOW_SOCKET); CTRL stays at 1 (the
 * agent takes one request at a time). */
void host_link_init(host_link_t *hl, int fd);
/* Size the TUNNEL window for the line: baud as the agent reports it in HELLO
 * (0 on sockets), turnaround per direction in ms. Only while no TUNNEL frame
 * is in flight: 0, or -1 (window unchanged). */
int host_link_set_line(host_link_t *hl, uint32_t baud, uint32_t turnaround_ms);
/* Frees queues; does not close the fd (its owner does). */
void host_link_free(host_link_t *hl);

/* Queue a message; it goes out as soon as the link allows. 0, or -1 on bad
 * args (channel, type 1..63, length), out of memory or a dead link. */
int host_link_send(host_link_t *hl, uint8_t channel, uint8_t type, const void *payload, size_t len);

/* The same, but the message goes onto the link only once every message
 * queued before it on the channel was acknowledged (taken by the agent): an
 * end-of-stream event (the server's FIN) must not reach the agent in the same
 * read as the data before it, as it never did with one frame in flight. */
int host_link_send_after_acked(host_link_t *hl, uint8_t channel, uint8_t type, const void *payload,
                               size_t len);

/* Read what the fd has (call when poll says readable), then service. */
void host_link_on_readable(host_link_t *hl);
/* Retransmit, move queued messages onto the link. Call at least every few ms. */
void host_link_service(host_link_t *hl);
/* Poll the fd for up to timeout_ms, read and service. */
void host_link_pump(host_link_t *hl, int timeout_ms);

/* The ack of the agent's TUNNEL messages waits (up to 10 ms) for the
 * host's next frame, which the bridge relays within a few milliseconds of the
 * server's answer (link_set_ack_delay, docs/protocol.md 1.5). Set from HELLO:
 * only for agents that hold their acks too (feature "ack-delay", the sim);
 * elsewhere every ack goes at once, so QEMU's instruction counts do not
 * depend on timing. Off until then. */
void host_link_set_ack_delay(host_link_t *hl, bool on);
/* A poll timeout for the link's fd: timeout_ms (-1: none), shortened so a
 * delayed ack (link_set_ack_delay) is not held past its time. */
int host_link_wait_ms(const host_link_t *hl, int timeout_ms);
/* Next delivered message, or NULL. Caller frees with free(). */
host_msg_t *host_link_pop(host_link_t *hl);
/* True when nothing is waiting to go out or to be acked. */
bool host_link_idle(const host_link_t *hl);
bool host_link_dead(const host_link_t *hl);
/* Why the link is dead, as text ("" while alive). */
const char *host_link_error_text(const host_link_t *hl, char *buf, size_t cap);

/* The link's counters (frames, retransmits, CRC errors...), read-only: for
 * the heartbeat and `tlsrig console`. */
link_stats_t host_link_stats(const host_link_t *hl);

uint32_t host_now_ms(void);

#endif
