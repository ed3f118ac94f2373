/* The wolfSSL images' pieces of the agent (target/core/wolfssl/, docs/stacks.md "wolfSSL"):
 * platform glue, the I/O callbacks over the tunnel, the mapping of the handshake settings. */
#ifndef TLSRIG_WOLFSSL_GLUE_H
#define TLSRIG_WOLFSSL_GLUE_H

#include <stdbool.h>
#include <stdint.h>

#include <wolfssl/wolfcrypt/settings.h>
#include <wolfssl/ssl.h>
#include <wolfssl/error-ssl.h>
#include <wolfssl/wolfcrypt/error-crypt.h>

#include "hs_settings.h"
#include "tlv.h"
#include "tunnel_bio.h"

/* wolfSSL's debug messages on the LOG channel, or none (wolfSSL_Debugging_ON/OFF). */
void wolfssl_glue_log(bool on);

/* The I/O context of one handshake: the tunnel and the read timeout. */
typedef struct wolfssl_io {
    tunnel_bio_t bio;
    uint32_t read_timeout_ms;
} wolfssl_io_t;

/* wolfSSL_SSLSetIORecv/Send callbacks over the agent's tunnel (ctx: wolfssl_io_t). */
int wolfssl_io_recv(WOLFSSL *ssl, char *buf, int sz, void *ctx);
int wolfssl_io_send(WOLFSSL *ssl, char *buf, int sz, void *ctx);

/* The context of one handshake for the settings: versions (the method), minimum version,
 * verify mode, trust list. NULL with *err set (a wolfSSL error code) on failure. */
WOLFSSL_CTX *wolfssl_settings_ctx(const hs_settings_t *s, const uint8_t *ca, size_t ca_len,
                                  int *err);
/* The per-connection settings: suites (IANA ids), groups, SNI and host name check, max
 * fragment length. 0, or a wolfSSL error code. */
int wolfssl_settings_apply(WOLFSSL *ssl, const hs_settings_t *s);
/* "ECDHE-RSA-AES128-GCM-SHA256:..." for the IANA ids this build knows (unknown ids are left
 * out, as mbedTLS does); false when none is known or out is too small. */
bool wolfssl_settings_cipher_list(const int *suites, size_t n, char *out, size_t cap);

/* issue 18 wolfint: the hw backend (wolfssl_hw.c); no-ops on sw images. Register the crypto
 * callback device after wolfSSL_Init(); give each CTX its devId before wolfSSL_new(); begin
 * resets the counters, put_prims writes them as T_PRIMITIVE, end (after wolfSSL_free())
 * releases the hash slots. init and use return 0 or a wolfSSL error code. */
int wolfssl_hw_init(void);
int wolfssl_hw_use(WOLFSSL_CTX *ctx);
void wolfssl_hw_begin(void);
void wolfssl_hw_put_prims(tlv_writer_t *w);
void wolfssl_hw_end(void);

#endif
