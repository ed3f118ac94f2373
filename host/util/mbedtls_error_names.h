/* MBEDTLS_ERR_* names of the host's mbedTLS release (generated table). */
#ifndef TLSRIG_MBEDTLS_ERROR_NAMES_H
#define TLSRIG_MBEDTLS_ERROR_NAMES_H

#include <stddef.h>

typedef struct mbedtls_error_name {
    const char *name;
    int value;
} mbedtls_error_name_t;

extern const mbedtls_error_name_t mbedtls_error_names[];

/* Name of an error code: an exact macro name, or "HIGH + LOW" for codes that
 * combine a high-level and a low-level error (e.g. -0x262E), or "-0xNNNN"
 * when unknown; "" for 0. Writes into out and returns it. */
const char *mbedtls_error_name(int code, char *out, size_t cap);

/* Parse "MBEDTLS_ERR_X", "-0x7780" or "-30592"; returns 1 and sets *code. */
int mbedtls_error_parse(const char *text, int *code);

#endif
