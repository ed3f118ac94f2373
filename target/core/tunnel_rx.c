/* TUNNEL receive side; see tunnel_rx.h. */
#include "tunnel_rx.h"

#include "proto.h"

void tunnel_rx_init(tunnel_rx_t *t, uint8_t *storage, size_t size)
{
    byte_ring_init(&t->ring, storage, size);
    t->state = TUNNEL_IDLE;
    t->opened = false;
    t->peer_closed = false;
    t->peer_reset = false;
    t->stale_messages = 0;
    t->refused = 0;
}

void tunnel_rx_begin(tunnel_rx_t *t)
{
    byte_ring_clear(&t->ring);
    t->state = TUNNEL_OPENING;
    t->opened = false;
    t->peer_closed = false;
    t->peer_reset = false;
}

void tunnel_rx_end(tunnel_rx_t *t)
{
    byte_ring_clear(&t->ring);
    t->state = TUNNEL_IDLE;
}

static bool stale(tunnel_rx_t *t)
{
    t->stale_messages++;
    return true;
}

bool tunnel_rx_deliver(tunnel_rx_t *t, uint8_t type, const uint8_t *payload, size_t len)
{
    if (t->state == TUNNEL_IDLE) {
        return stale(t);
    }
    if (t->state == TUNNEL_OPENING) {
        /* The channel is in order and the host sends nothing of a new
         * connection before answering its TUN_OPEN: data and closes before
         * that answer are the previous connection's tail. */
        if (type == TUN_OPENED) {
            t->state = TUNNEL_OPEN;
            t->opened = true;
        } else if (type == TUN_RESET) {
            t->peer_reset = true; /* the host could not connect */
        } else {
            return stale(t);
        }
        return true;
    }
    switch (type) {
    case TUN_DATA:
        if (!byte_ring_put(&t->ring, payload, len)) {
            t->refused++;
            return false; /* not acked: the host sends it again */
        }
        break;
    case TUN_CLOSE:
        t->peer_closed = true;
        break;
    case TUN_RESET:
        t->peer_reset = true;
        break;
    default:
        break; /* a repeated TUN_OPENED, an unknown type: nothing to keep */
    }
    return true;
}

size_t tunnel_rx_read(tunnel_rx_t *t, uint8_t *out, size_t cap)
{
    return byte_ring_get(&t->ring, out, cap);
}
