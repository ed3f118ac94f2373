/* Test certificates generated from recipes (fixtures/certs/recipes.yaml) with
 * mbedTLS's x509 writer, cached as PEM files keyed by a hash of the recipe.
 * Everything produced here is TEST ONLY: every subject says so in its O=. */
#ifndef TLSRIG_CERTS_H
#define TLSRIG_CERTS_H

#include <stddef.h>

typedef struct cert_chain_files {
    char name[64];
    char chain_pem[4096];   /* path: leaf first then intermediates */
    char key_pem[4096];     /* path: leaf private key */
    char ca_pem[4096];      /* path: root CA that anchors this chain */
    char key_type[8];       /* "rsa" or "ec" */
    unsigned key_bits;      /* RSA modulus bits or EC curve bits */
    size_t chain_der_bytes; /* sum of the DER sizes of leaf and intermediates */
} cert_chain_files_t;

typedef struct cert_chain_info {
    char name[64];
    char leaf[64];
    char root[64];
    char key_type[8];
    unsigned key_bits;
    unsigned depth; /* certificates in the chain file (leaf + intermediates) */
    char description[256];
} cert_chain_info_t;

/* Defaults for NULL arguments: <repo>/fixtures/certs/recipes.yaml and
 * <repo>/.cache/certs (the environment variable TLSRIG_CERTS_CACHE, when
 * set, overrides the cache directory). */
const char *certs_default_recipes(void);
const char *certs_default_cache_dir(void);

/* Generate (or reuse from the cache) chain `name` and everything it needs.
 * recipes_path/cache_dir may be NULL for the defaults. Safe against other
 * threads and processes using the same cache (flock + rename).
 * 0 ok, -1 error with a message naming the recipe and key at fault. */
int certs_ensure(const char *recipes_path, const char *cache_dir, const char *name,
                 cert_chain_files_t *out, char *err, size_t errlen);

/* Path of a root CA's PEM (a certificate recipe with issuer: self), e.g. for a
 * client that trusts other-root. 0 ok, -1 error. */
int certs_root_pem(const char *recipes_path, const char *cache_dir, const char *root_name,
                   char *path_out, size_t path_len, char *err, size_t errlen);

/* The chains the recipe file defines, without generating anything. Fills up
 * to `max` entries; *count gets the total number. 0 ok, -1 error. */
int certs_list(const char *recipes_path, cert_chain_info_t *out, size_t max, size_t *count,
               char *err, size_t errlen);

/* Files (keys, certificates, chain files) this process wrote to a cache:
 * lets tests prove that a second call reuses the cache. */
unsigned long certs_generated_count(void);

#endif
