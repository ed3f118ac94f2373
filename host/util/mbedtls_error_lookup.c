#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mbedtls_error_names.h"

static const char *exact(int code)
{
    for (const mbedtls_error_name_t *e = mbedtls_error_names; e->name; e++) {
        if (e->value == code) {
            return e->name;
        }
    }
    return NULL;
}

const char *mbedtls_error_name(int code, char *out, size_t cap)
{
    if (code == 0) {
        snprintf(out, cap, "%s", "");
        return out;
    }
    const char *n = exact(code);
    if (n) {
        snprintf(out, cap, "%s", n);
        return out;
    }
    if (code < 0) {
        /* mbedTLS adds a low-level code (bits 0..6) to a high-level one. */
        int pos = -code;
        const char *hi = exact(-(pos & 0xFF80));
        const char *lo = exact(-(pos & 0x007F));
        if (hi && lo) {
            snprintf(out, cap, "%s + %s", hi, lo);
            return out;
        }
    }
    snprintf(out, cap, "%s0x%04X", code < 0 ? "-" : "", (unsigned)(code < 0 ? -code : code));
    return out;
}

int mbedtls_error_parse(const char *text, int *code)
{
    if (!text || !*text) {
        return 0;
    }
    if (strncmp(text, "MBEDTLS_ERR_", 12) == 0) {
        for (const mbedtls_error_name_t *e = mbedtls_error_names; e->name; e++) {
            if (strcmp(e->name, text) == 0) {
                *code = e->value;
                return 1;
            }
        }
        return 0;
    }
    char *end = NULL;
    long v = strtol(text, &end, 0);
    if (end == text || *end != '\0' || v < -0xFFFF || v > 0) {
        return 0;
    }
    *code = (int)v;
    return 1;
}
