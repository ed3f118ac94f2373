/* mbedTLS BIO callbacks over the TUNNEL channel. The host's open, close and
 * reset events become the errors mbedTLS's own net layer would return, so a
 * server-side reset reaches the client as MBEDTLS_ERR_NET_CONN_RESET. */
#ifndef TLSRIG_TUNNEL_BIO_H
#define TLSRIG_TUNNEL_BIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct tunnel_bio {
    uint32_t bytes_in;
    uint32_t bytes_out;
    bool link_error;    /* the link failed under us: an infrastructure error */
    int alert_sent;     /* description of a plaintext alert we sent, or -1 */
    bool out_encrypted; /* set once our ChangeCipherSpec went out */
} tunnel_bio_t;

void tunnel_bio_reset(tunnel_bio_t *b);

/* Ask the host to connect; 0 when connected, else an mbedTLS net error. */
int tunnel_open(tunnel_bio_t *b, uint32_t timeout_ms);
void tunnel_close(tunnel_bio_t *b);
/* The handshake is over (whether or not the tunnel opened): what the host
 * still sends on TUNNEL is taken and dropped. */
void tunnel_finish(void);

int tunnel_send(void *ctx, const unsigned char *buf, size_t len);
int tunnel_recv_timeout(void *ctx, unsigned char *buf, size_t len, uint32_t timeout_ms);

#endif
