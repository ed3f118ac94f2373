/* Certificate recipes (fixtures/certs/recipes.yaml): the in-memory form after
 * loading with libcyaml and checking every field. Internal to tlsrig_certs. */
#ifndef TLSRIG_CERTS_RECIPES_H
#define TLSRIG_CERTS_RECIPES_H

#include <stdbool.h>
#include <stddef.h>

#define RECIPE_MAX_DEPTH 12 /* longest issuer walk; also catches issuer loops */

typedef enum recipe_key_kind { RECIPE_KEY_RSA, RECIPE_KEY_EC } recipe_key_kind_t;

/* One certificate as written in the YAML (strings owned by libcyaml). */
typedef struct cert_recipe {
    char *name;
    char *key;    /* "rsa-2048", "rsa-4096", "ec-p256", "ec-p384" */
    char *issuer; /* another certificate's name, or "self" */
    char *hash;   /* "sha1", "sha256", "sha384", "sha512" */
    char *cn;
    char *not_before; /* optional: "YYYY-MM-DD" or "YYYY-MM-DD hh:mm:ss" */
    char *not_after;
    bool ca;
    int *pathlen; /* optional; absent = no path length constraint */
    char **dns;
    unsigned dns_count;
    char **ip;
    unsigned ip_count;
    unsigned filler_dns; /* extra generated dNSNames, to make large certificates */
    char **key_usage;
    unsigned key_usage_count;
    char **ext_key_usage;
    unsigned ext_key_usage_count;
    /* optional, ECDSA-signed certificates only: "rfc5758" (default: no parameters after
     * ecdsa-with-SHA*) or "legacy-null" (a NULL parameter, as mbedTLS 2.x writes it) */
    char *ecdsa_sig_encoding;
} cert_recipe_t;

typedef struct chain_recipe {
    char *name;
    char *leaf;
    char *description;
} chain_recipe_t;

typedef struct recipe_file {
    char *organization; /* O= of every subject; must say TEST ONLY */
    char *not_before;   /* defaults for certificates that give none */
    char *not_after;
    cert_recipe_t *certificates;
    unsigned certificates_count;
    chain_recipe_t *chains;
    unsigned chains_count;
} recipe_file_t;

/* Load and validate; on error returns NULL and writes a message naming the
 * file, the recipe and the key at fault. */
recipe_file_t *recipes_load(const char *path, char *err, size_t errlen);
void recipes_free(recipe_file_t *rf);

const cert_recipe_t *recipes_find_cert(const recipe_file_t *rf, const char *name);
const chain_recipe_t *recipes_find_chain(const recipe_file_t *rf, const char *name);

/* Parsed views of validated fields. */
recipe_key_kind_t recipe_key_kind(const cert_recipe_t *c);
unsigned recipe_key_bits(const cert_recipe_t *c);
bool recipe_is_root(const cert_recipe_t *c);
/* The certificate keeps mbedTLS 2.x's NULL after its ecdsa-with-SHA* OIDs. */
bool recipe_legacy_null_params(const cert_recipe_t *c);
/* mbedTLS time string "YYYYMMDDhhmmss" for a recipe date (validated). */
void recipe_time_to_x509(const char *date, char out[15]);

#endif
