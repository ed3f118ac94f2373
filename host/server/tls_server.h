/* The controllable TLS server (mbedTLS 2.28): listens on loopback, inspects
 * each ClientHello before mbedTLS sees it, applies the profile's policy and
 * impairments, and records a view of every connection (plus capture files).
 * Connections run on their own threads, several at once. */
#ifndef TLSRIG_TLS_SERVER_H
#define TLSRIG_TLS_SERVER_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "profile.h"
#include "server_view.h"

typedef struct tls_server tls_server_t;

typedef struct tls_server_opts {
    const server_profile_t *profile; /* copied at start */
    const char *listen;              /* "127.0.0.1:0" when NULL */
    bool allow_remote;               /* refuse non-loopback addresses unless set */
    const char *capture_dir;         /* NULL = no capture files */
    const char *label;               /* capture subfolder of the first connections; NULL = "" */
    /* Only conn.pcap and server.log in each capture folder, for a caller that keeps the view
     * itself (tlsrig run: results.jsonl's `server`, with the ClientHello as clienthello and
     * clienthello_hex). false: view.json, clienthello.json and clienthello.bin too. */
    bool capture_streams_only;
    const char *recipes_path; /* certificate recipes (fixtures/certs/recipes.yaml) */
    const char *certs_cache;  /* where generated chains are cached */
    int debug_level;          /* mbedTLS debug threshold 0..4 for server.log */
    uint32_t io_timeout_ms;   /* per read while handshaking; 0 = 10000 */
    uint32_t silence_ms;      /* how long REACT_SILENCE lasts at most; 0 = 30000 */
    /* TEST ONLY: seed the server's DRBG from this string instead of the OS,
     * so emulated targets see the same key exchange every run (deterministic
     * instruction counts on QEMU). NULL (the default) = real entropy. */
    const char *test_seed;
} tls_server_opts_t;

tls_server_t *tls_server_start(const tls_server_opts_t *o, char *err, size_t errlen);
uint16_t tls_server_port(const tls_server_t *s);
/* A TLS 1.3 worker (mbedTLS 3.6) runs this server's TLS 1.3 handshakes: the
 * caps for policy_live_limits_caps(). issue 17 tls13. */
bool tls_server_speaks_tls13(const tls_server_t *s);
/* Capture subfolder (the scenario id) for connections accepted from now on. */
void tls_server_set_label(tls_server_t *s, const char *label);
/* The view of the next finished connection, oldest first, or NULL after
 * timeout_ms. The caller owns the reference (json_decref). */
json_t *tls_server_wait_view(tls_server_t *s, uint32_t timeout_ms);
/* The same, and the connection's typed view in *typed (server_view_init()
 * state when none came). typed may be NULL. */
json_t *tls_server_wait_view_typed(tls_server_t *s, uint32_t timeout_ms, server_view_t *typed);
/* Ends every connection (bounded), joins all threads, frees. NULL accepted. */
void tls_server_stop(tls_server_t *s);

#endif
