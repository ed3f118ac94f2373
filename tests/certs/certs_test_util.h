/* Shared helpers for the certs tests: one cache under TLSRIG_BUILD_DIR so
 * the slow RSA-4096 keys are generated once for all test binaries. */
#ifndef TLSRIG_CERTS_TEST_UTIL_H
#define TLSRIG_CERTS_TEST_UTIL_H

#include "certs.h"

#include <mbedtls/x509_crt.h>

const char *ct_recipes(void); /* <repo>/fixtures/certs/recipes.yaml */
const char *ct_cache(void);   /* <build>/certs-test-cache (shared) */
/* A fresh, empty directory under the build dir: <build>/certs-test-tmp/<tag>. */
const char *ct_fresh_dir(const char *tag);
/* certs_ensure on the shared cache; fails the test on error. */
void ct_ensure(const char *name, cert_chain_files_t *out);
/* Parse a PEM file into crt (initialised here); fails the test on error. */
void ct_parse(const char *path, mbedtls_x509_crt *crt);
/* Copy the real recipes with every `from` replaced by `to`, into dir/name. */
const char *ct_edited_recipes(const char *dir, const char *from, const char *to);
/* Write text to dir/name; returns the path (static buffer). */
const char *ct_write_file(const char *dir, const char *name, const char *text);

#endif
