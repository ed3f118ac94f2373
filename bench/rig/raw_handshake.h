/* Raw TLS handshakes: an mbedTLS 2.28 client and server in one process (two
 * threads) over loopback TCP with TCP_NODELAY on both ends, one suite, one
 * group and one certificate chain, no logging. The reference the rig's own
 * time per handshake is compared with. */
#ifndef TLSRIG_RAW_HANDSHAKE_H
#define TLSRIG_RAW_HANDSHAKE_H

#include <stddef.h>

typedef struct raw_setup {
    const char *chain_pem; /* server: leaf first */
    const char *key_pem;
    const char *ca_pem; /* client trust */
    const char *hostname;
    int suite;    /* IANA id, e.g. 0xC02F */
    int group_id; /* mbedtls_ecp_group_id */
} raw_setup_t;

/* Runs n sequential handshakes (each: connect, handshake, one request and
 * answer as the rig's client and server exchange, close_notify); writes the
 * wall time of each in ms to ms_out[0..n-1]. 0, or -1 with err set. */
int raw_handshakes(const raw_setup_t *s, size_t n, double *ms_out, char *err, size_t errlen);

#endif
