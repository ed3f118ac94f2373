/* wolfSSL I/O callbacks over the agent's tunnel (WOLFSSL_USER_IO): the tunnel's codes, which
 * are mbedTLS's net errors, become wolfSSL's CBIO codes, so a server reset reaches wolfSSL as
 * a connection reset (SOCKET_ERROR_E) and a close as a peer close (SOCKET_PEER_CLOSED_E). */
#include "wolfssl_glue.h"

#include <wolfssl/wolfio.h>

int wolfssl_io_recv(WOLFSSL *ssl, char *buf, int sz, void *ctx)
{
    (void)ssl;
    wolfssl_io_t *io = ctx;
    if (sz <= 0) {
        return 0;
    }
    int n = tunnel_recv_timeout(&io->bio, (unsigned char *)buf, (size_t)sz, io->read_timeout_ms);
    if (n > 0) {
        return n;
    }
    switch (n) {
    case 0:
        return WOLFSSL_CBIO_ERR_CONN_CLOSE;
    case TUNNEL_ERR_CONN_RESET:
        return WOLFSSL_CBIO_ERR_CONN_RST;
    case TUNNEL_ERR_TIMEOUT:
        return WOLFSSL_CBIO_ERR_TIMEOUT;
    default:
        return WOLFSSL_CBIO_ERR_GENERAL;
    }
}

int wolfssl_io_send(WOLFSSL *ssl, char *buf, int sz, void *ctx)
{
    (void)ssl;
    wolfssl_io_t *io = ctx;
    if (sz <= 0) {
        return 0;
    }
    int n = tunnel_send(&io->bio, (const unsigned char *)buf, (size_t)sz);
    if (n >= 0) {
        return n;
    }
    return n == TUNNEL_ERR_CONN_RESET ? WOLFSSL_CBIO_ERR_CONN_RST : WOLFSSL_CBIO_ERR_GENERAL;
}
