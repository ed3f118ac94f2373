/* Key and certificate generation with mbedTLS 2.28's pk and x509write APIs.
 * Internal to tlsrig_certs: certs.c decides what to (re)generate. */
#ifndef TLSRIG_CERTS_CERT_WRITER_H
#define TLSRIG_CERTS_CERT_WRITER_H

#include "recipes.h"

#include <mbedtls/ctr_drbg.h>
#include <mbedtls/pk.h>

/* Generous: a certificate with ~2000 filler names plus PEM overhead. */
#define CERT_WRITER_PEM_MAX (160 * 1024)

/* Generate the recipe's key into `key` (initialised by the caller) and write
 * it as PEM into pem[pem_len]. */
int cert_writer_make_key(const cert_recipe_t *c, mbedtls_ctr_drbg_context *drbg,
                         mbedtls_pk_context *key, unsigned char *pem, size_t pem_len, char *err,
                         size_t errlen);

/* Write certificate `c` as PEM. For a root, issuer == c and issuer_key ==
 * subject_key. serial: 16 bytes, derived from the recipe hash. */
int cert_writer_make_cert(const recipe_file_t *rf, const cert_recipe_t *c,
                          mbedtls_pk_context *subject_key, const cert_recipe_t *issuer,
                          mbedtls_pk_context *issuer_key, const unsigned char serial[16],
                          mbedtls_ctr_drbg_context *drbg, unsigned char *pem, size_t pem_len,
                          char *err, size_t errlen);

/* "CN=<cn>,O=<organization>" for subject and issuer names alike. */
void cert_writer_subject(const recipe_file_t *rf, const cert_recipe_t *c, char *out, size_t len);

#endif
