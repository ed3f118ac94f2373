/* Certificate chains parsed once per process: the rig starts a server per
 * scenario, and each parsed the PEM files of its profile's chains afresh
 * (base64 and X.509 for every certificate, three chains for the default
 * profile: a tenth of a scenario's host time). The cache keeps one parsed
 * chain per file and hands servers a shared, read-only pointer to it
 * (mbedTLS only reads its own certificate during a handshake). A chain is
 * parsed again when its file (inode, size, time) changed; the old parse
 * lives on until its last user puts it back. */
#ifndef TLSRIG_CHAIN_CACHE_H
#define TLSRIG_CHAIN_CACHE_H

#include <mbedtls/x509_crt.h>
#include <stddef.h>

/* The parsed chain of path in *out, held until chain_cache_put(*out).
 * 0, or an mbedTLS error (< 0) with err naming the file. */
int chain_cache_get(const char *path, mbedtls_x509_crt **out, char *err, size_t errlen);

/* Gives back a chain from chain_cache_get (NULL is ignored). */
void chain_cache_put(mbedtls_x509_crt *crt);

/* How many times a chain was parsed from its file (tests). */
unsigned long chain_cache_parses(void);

/* Forgets every chain nobody holds (tests, leak checks). */
void chain_cache_clear(void);

#endif
