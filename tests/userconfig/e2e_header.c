#define _POSIX_C_SOURCE 200809L
#include "e2e_header.h"

#include <criterion/criterion.h>
#include <mbedtls/sha256.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "e2e_util.h"

void e2e_make_header(const char *dir, const char *name, const char *profile, const char *drop,
                     char *path, size_t cap, char digest[65])
{
    char src[4200];
    snprintf(src, sizeof src, "%s/target/config/%s/tlsrig_mbedtls_config.h",
             getenv("TLSRIG_SOURCE_DIR"), profile);
    snprintf(path, cap, "%s/%s", dir, name);
    char *text = e2e_slurp(src);
    cr_assert_not_null(text, "%s", src);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    size_t total = 0;
    char *out = malloc(strlen(text) + 1);
    cr_assert_not_null(out);
    for (char *line = text; *line;) {
        char *nl = strchr(line, '\n');
        size_t len = nl ? (size_t)(nl - line) + 1 : strlen(line);
        bool skip = false;
        for (const char *d = drop; d && *d;) {
            const char *bar = strchr(d, '|');
            size_t dl = bar ? (size_t)(bar - d) : strlen(d);
            skip |= strncmp(line, d, dl) == 0 && (line[dl] == '\n' || line[dl] == '\0');
            d = bar ? bar + 1 : d + dl;
        }
        if (!skip) {
            memcpy(out + total, line, len);
            total += len;
        }
        line += len;
    }
    cr_assert_eq(fwrite(out, 1, total, f), total);
    cr_assert_eq(fclose(f), 0);
    unsigned char d[32];
    mbedtls_sha256_ret((const unsigned char *)out, total, d, 0);
    for (int i = 0; i < 32; i++)
        snprintf(digest + 2 * i, 3, "%02x", d[i]);
    free(out);
    free(text);
}
