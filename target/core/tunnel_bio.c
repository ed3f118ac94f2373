#include "tunnel_bio.h"

#include <string.h>

#include "agent.h"
#include "port.h"
#include "proto.h"

#if !defined(TLSRIG_STACK_WOLFSSL)
#include "mbedtls/net_sockets.h"
#include "mbedtls/ssl.h"
_Static_assert(TUNNEL_ERR_CONNECT_FAILED == MBEDTLS_ERR_NET_CONNECT_FAILED, "tunnel code");
_Static_assert(TUNNEL_ERR_RECV_FAILED == MBEDTLS_ERR_NET_RECV_FAILED, "tunnel code");
_Static_assert(TUNNEL_ERR_SEND_FAILED == MBEDTLS_ERR_NET_SEND_FAILED, "tunnel code");
_Static_assert(TUNNEL_ERR_CONN_RESET == MBEDTLS_ERR_NET_CONN_RESET, "tunnel code");
_Static_assert(TUNNEL_ERR_TIMEOUT == MBEDTLS_ERR_SSL_TIMEOUT, "tunnel code");
#endif

/* TLS record layer values (RFC 5246 6.2.1, 7.2). */
#define TLS_CT_CHANGE_CIPHER_SPEC 20
#define TLS_CT_ALERT 21
#define TLS_ALERT_LEVEL_FATAL 2

void tunnel_bio_reset(tunnel_bio_t *b)
{
    memset(b, 0, sizeof *b);
    b->alert_sent = -1;
    tunnel_rx_begin(agent_tunnel());
}

int tunnel_open(tunnel_bio_t *b, uint32_t timeout_ms)
{
    agent_tunnel_t *t = agent_tunnel();
    if (agent_send_reliable(LINK_CH_TUNNEL, TUN_OPEN, NULL, 0) < 0) {
        b->link_error = true;
        return TUNNEL_ERR_CONNECT_FAILED;
    }
    uint32_t start = port_now_ms();
    while (!t->opened) {
        if (t->peer_reset || t->peer_closed) {
            return TUNNEL_ERR_CONNECT_FAILED;
        }
        if (agent_pump(20) < 0 || port_now_ms() - start > timeout_ms) {
            b->link_error = true;
            return TUNNEL_ERR_CONNECT_FAILED;
        }
    }
    return 0;
}

/* Sends what waits in b->out: 0, or TUNNEL_ERR_SEND_FAILED (the link failed). */
static int flush_out(tunnel_bio_t *b)
{
#if TUNNEL_OUT_MAX > 0
    if (b->out_len == 0) {
        return 0;
    }
    size_t n = b->out_len;
    b->out_len = 0;
    if (agent_send_reliable(LINK_CH_TUNNEL, TUN_DATA, b->out, n) < 0) {
        b->link_error = true;
        return TUNNEL_ERR_SEND_FAILED;
    }
#else
    (void)b;
#endif
    return 0;
}

/* len bytes into b->out, sent whenever it fills (without a buffer: sent now, in messages of
 * LINK_MAX_PAYLOAD). 0, or TUNNEL_ERR_SEND_FAILED. */
static int put_out(tunnel_bio_t *b, const unsigned char *buf, size_t len)
{
    size_t taken = 0;
    while (taken < len) {
#if TUNNEL_OUT_MAX > 0
        size_t room = sizeof b->out - b->out_len;
        size_t n = len - taken < room ? len - taken : room;
        memcpy(b->out + b->out_len, buf + taken, n);
        b->out_len = (uint16_t)(b->out_len + n);
        taken += n;
        if (b->out_len == sizeof b->out && flush_out(b) != 0) {
            return TUNNEL_ERR_SEND_FAILED;
        }
#else
        size_t n = len - taken > LINK_MAX_PAYLOAD ? LINK_MAX_PAYLOAD : len - taken;
        if (agent_send_reliable(LINK_CH_TUNNEL, TUN_DATA, buf + taken, n) < 0) {
            b->link_error = true;
            return TUNNEL_ERR_SEND_FAILED;
        }
        taken += n;
#endif
    }
    return 0;
}

void tunnel_close(tunnel_bio_t *b)
{
    agent_tunnel_t *t = agent_tunnel();
    if (!t->peer_reset && !t->peer_closed) {
        (void)flush_out(b); /* a failure is link_error, as for the close itself */
    }
    /* Whatever the server still sends is for a connection we are done with. */
    tunnel_rx_end(t);
    if (agent_send_reliable(LINK_CH_TUNNEL, TUN_CLOSE, NULL, 0) < 0) {
        b->link_error = true;
    }
}

void tunnel_finish(void)
{
    tunnel_rx_end(agent_tunnel());
}

/* Note what we say: a plaintext alert record before our keys are active. */
static void watch_outgoing(tunnel_bio_t *b, const unsigned char *buf, size_t len)
{
    if (len >= 7 && buf[0] == TLS_CT_ALERT && !b->out_encrypted &&
        buf[5] == TLS_ALERT_LEVEL_FATAL) {
        b->alert_sent = buf[6];
    }
    if (len >= 1 && buf[0] == TLS_CT_CHANGE_CIPHER_SPEC) {
        b->out_encrypted = true;
    }
}

int tunnel_send(void *ctx, const unsigned char *buf, size_t len)
{
    tunnel_bio_t *b = ctx;
    agent_tunnel_t *t = agent_tunnel();
    if (t->peer_reset || t->peer_closed) {
        /* What a socket write after the peer's RST/FIN gives (EPIPE/ECONNRESET). */
        return TUNNEL_ERR_CONN_RESET;
    }
    watch_outgoing(b, buf, len);
    if (put_out(b, buf, len) != 0) {
        return TUNNEL_ERR_SEND_FAILED;
    }
    b->bytes_out += (uint32_t)len;
    return (int)len;
}

int tunnel_recv_timeout(void *ctx, unsigned char *buf, size_t len, uint32_t timeout_ms)
{
    tunnel_bio_t *b = ctx;
    agent_tunnel_t *t = agent_tunnel();
    uint32_t start = port_now_ms();
    /* The stack reads: what it wrote goes first (unless the peer is gone, as a socket's
     * unsent bytes after a reset). */
    if (!t->peer_reset && !t->peer_closed && flush_out(b) != 0) {
        return TUNNEL_ERR_SEND_FAILED;
    }
    for (;;) {
        size_t n = tunnel_rx_read(t, buf, len);
        if (n > 0) {
            b->bytes_in += (uint32_t)n;
            return (int)n;
        }
        if (t->peer_reset) {
            return TUNNEL_ERR_CONN_RESET;
        }
        if (t->peer_closed) {
            return 0; /* EOF: mbedTLS reports MBEDTLS_ERR_SSL_CONN_EOF */
        }
        uint32_t waited = port_now_ms() - start;
        if (timeout_ms != 0 && waited >= timeout_ms) {
            return TUNNEL_ERR_TIMEOUT;
        }
        if (agent_pump(20) < 0) {
            b->link_error = true;
            return TUNNEL_ERR_RECV_FAILED;
        }
    }
}
