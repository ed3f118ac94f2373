/* Lookups in the generated wolfSSL error table. */
#include "wolfssl_errors.h"

#include <stddef.h>

const wolfssl_error_name_t *wolfssl_error_lookup(int code)
{
    for (const wolfssl_error_name_t *e = wolfssl_error_names; e->name; e++) {
        if (e->code == code)
            return e;
    }
    return NULL;
}

const char *wolfssl_error_name(int code)
{
    const wolfssl_error_name_t *e = wolfssl_error_lookup(code);
    return e ? e->name : "UNKNOWN";
}
