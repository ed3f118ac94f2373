/* The agent's side of the TUNNEL channel: which connection the host's
 * messages belong to, and the receive ring for the server's bytes.
 *
 * Flow control: TUN_DATA that does not fit the ring is refused (the link
 * does not ack it; the host sends it again once mbedTLS has read some), so a
 * chunk is never acknowledged and then dropped. Messages of a connection that
 * is over (after our TUN_CLOSE, or before the host's TUN_OPENED for the next
 * one) are taken and dropped: refusing them would leave them queued on the
 * host, to be taken later for the next connection's bytes. */
#ifndef TLSRIG_TUNNEL_RX_H
#define TLSRIG_TUNNEL_RX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "byte_ring.h"

typedef enum tunnel_state {
    TUNNEL_IDLE = 0, /* no connection of ours: everything is stale */
    TUNNEL_OPENING,  /* TUN_OPEN sent: waiting for TUN_OPENED or TUN_RESET */
    TUNNEL_OPEN,     /* the server's bytes go to the ring */
} tunnel_state_t;

typedef struct tunnel_rx {
    byte_ring_t ring;
    tunnel_state_t state;
    bool opened;             /* TUN_OPENED came */
    bool peer_closed;        /* TUN_CLOSE: EOF after the ring's bytes */
    bool peer_reset;         /* TUN_RESET: the server reset, or the connect failed */
    uint32_t stale_messages; /* taken and dropped: belonged to a finished connection */
    uint32_t refused;        /* TUN_DATA refused for want of room */
} tunnel_rx_t;

/* storage: BYTE_RING_STORAGE(capacity) bytes. */
void tunnel_rx_init(tunnel_rx_t *t, uint8_t *storage, size_t size);
/* A new connection: forget the last one; from here on wait for TUN_OPENED. */
void tunnel_rx_begin(tunnel_rx_t *t);
/* Our side is done with the connection: drop what is buffered and what comes. */
void tunnel_rx_end(tunnel_rx_t *t);

/* The link's deliver callback for the TUNNEL channel: true = taken (ack). */
bool tunnel_rx_deliver(tunnel_rx_t *t, uint8_t type, const uint8_t *payload, size_t len);

/* Up to cap buffered bytes of the open connection. */
size_t tunnel_rx_read(tunnel_rx_t *t, uint8_t *out, size_t cap);

#endif
