/* Certificate properties come from the certificate: the key type and curve
 * of each chain's leaf, read with mbedTLS, for the policy's suite choice. */
#ifndef TLSRIG_CHAIN_KEYS_H
#define TLSRIG_CHAIN_KEYS_H

#include <mbedtls/x509_crt.h>
#include <stddef.h>

#include "profile.h"

/* The key of a parsed certificate (known = false for a key type the policy
 * has no suites for). */
chain_key_t server_crt_key(const mbedtls_x509_crt *crt);

/* Reads every chain's leaf certificate of p (generating it from its recipe
 * when not cached) and sets p->chain_keys. recipes/cache may be NULL for the
 * defaults. 0, or -1 with err naming the chain. */
int server_chain_keys(server_profile_t *p, const char *recipes, const char *cache, char *err,
                      size_t errlen);

#endif
