/* IANA names <-> ids for TLS cipher suites, named groups, extensions, alerts,
 * protocol versions and signature schemes. Lookups by name accept the IANA
 * spelling and the mbedTLS one (dashes for underscores), case-insensitive. */
#ifndef TLSRIG_TLS_NAMES_H
#define TLSRIG_TLS_NAMES_H

#include <stdbool.h>
#include <stdint.h>

/* How a cipher suite authenticates and agrees keys; decides which
 * certificate and which groups a server needs to pick it. */
typedef enum tls_kx {
    TLS_KX_OTHER = 0, /* PSK, SRP, ... : never chosen by the policy */
    TLS_KX_RSA,
    TLS_KX_DHE_RSA,
    TLS_KX_ECDHE_RSA,
    TLS_KX_ECDHE_ECDSA,
    TLS_KX_ECDH_RSA,   /* static ECDH */
    TLS_KX_ECDH_ECDSA, /* static ECDH */
    TLS_KX_TLS13,      /* TLS 1.3 suite: any certificate, group from key_share */
    TLS_KX_SCSV,       /* signalling value, not a suite */
} tls_kx_t;

typedef struct tls_suite_info {
    uint16_t id;
    const char *name; /* IANA name */
} tls_suite_info_t;

/* NULL when the id is not in the table (GREASE, rare suites). */
const char *tls_suite_name(uint16_t id);
/* IANA or mbedTLS name, or a number ("0xc02f"); false when unknown. */
bool tls_suite_by_name(const char *name, uint16_t *id);
tls_kx_t tls_suite_kx(uint16_t id);
bool tls_suite_is_aead(uint16_t id);
/* Lowest protocol version that may negotiate the suite (0x0303 for SHA-2 /
 * AEAD suites, 0x0304 for TLS 1.3 ones, 0x0301 otherwise). */
uint16_t tls_suite_min_version(uint16_t id);
/* The table, for listing and default preference orders. */
const tls_suite_info_t *tls_suite_table(unsigned *count);

const char *tls_group_name(uint16_t id);
/* Also accepts P-256, prime256v1, X25519, ... */
bool tls_group_by_name(const char *name, uint16_t *id);
bool tls_group_is_ec(uint16_t id); /* elliptic curve group (not FFDHE) */

const char *tls_ext_name(uint16_t type);
bool tls_ext_by_name(const char *name, uint16_t *type);

const char *tls_alert_name(uint8_t code);
bool tls_alert_by_name(const char *name, uint8_t *code);

/* "TLS1.2" for 0x0303; accepts "TLS1.2", "TLSv1.2", "tls12", "1.2". */
const char *tls_version_name(uint16_t v);
bool tls_version_by_name(const char *name, uint16_t *v);

const char *tls_sigalg_name(uint16_t id);

const char *tls_hs_type_name(uint8_t type);
bool tls_hs_type_by_name(const char *name, uint8_t *type);

/* GREASE values (RFC 8701): 0x0a0a, 0x1a1a, ... 0xfafa. */
bool tls_is_grease(uint16_t v);

#endif
