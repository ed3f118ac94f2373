/* mbedTLS BIO callbacks over the TUNNEL channel. The host's open, close and
 * reset events become the errors mbedTLS's own net layer would return, so a
 * server-side reset reaches the client as MBEDTLS_ERR_NET_CONN_RESET. The
 * wolfSSL images (no mbedTLS) call the same functions from their I/O
 * callbacks and map these codes to wolfSSL's (wolfssl_io.c). */
#ifndef TLSRIG_TUNNEL_BIO_H
#define TLSRIG_TUNNEL_BIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "link.h"

/* The codes returned below: mbedTLS's values (checked against its headers in
 * mbedTLS images), named here so images of another stack need no mbedTLS. */
#define TUNNEL_ERR_CONNECT_FAILED (-0x0044) /* MBEDTLS_ERR_NET_CONNECT_FAILED */
#define TUNNEL_ERR_RECV_FAILED (-0x004C)    /* MBEDTLS_ERR_NET_RECV_FAILED */
#define TUNNEL_ERR_SEND_FAILED (-0x004E)    /* MBEDTLS_ERR_NET_SEND_FAILED */
#define TUNNEL_ERR_CONN_RESET (-0x0050)     /* MBEDTLS_ERR_NET_CONN_RESET */
#define TUNNEL_ERR_TIMEOUT (-0x6800)        /* MBEDTLS_ERR_SSL_TIMEOUT */

/* The write buffer (bytes, at most LINK_MAX_PAYLOAD): the sim's images hold a flight in it
 * (target/port/sim/CMakeLists.txt); 0, the Cortex-M images' default, sends each write as
 * it comes: their SRAM has no kilobyte to spare beside the stack (link.ld's check). */
#ifndef TUNNEL_OUT_MAX
#define TUNNEL_OUT_MAX 0
#endif
#if TUNNEL_OUT_MAX > LINK_MAX_PAYLOAD
#error "TUNNEL_OUT_MAX: one TUNNEL message at most"
#endif

typedef struct tunnel_bio {
    uint32_t bytes_in;
    uint32_t bytes_out;
    bool link_error;    /* the link failed under us: an infrastructure error */
    int alert_sent;     /* description of a plaintext alert we sent, or -1 */
    bool out_encrypted; /* set once our ChangeCipherSpec went out */
#if TUNNEL_OUT_MAX > 0
    /* What the stack wrote since it last read: sent as one TUNNEL message when it next
     * reads or closes, or when full. A flight's records (ClientKeyExchange,
     * ChangeCipherSpec, Finished) cross the link together, as a socket's Nagle-free
     * writes of one burst would reach a server, and the host relays them in one send. */
    uint16_t out_len;
    uint8_t out[TUNNEL_OUT_MAX];
#endif
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
