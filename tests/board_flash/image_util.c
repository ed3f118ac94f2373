#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "image_util.h"

uint8_t *image_bytes(size_t len, uint32_t seed)
{
    uint8_t *p = malloc(len ? len : 1);
    cr_assert_not_null(p);
    uint32_t x = seed;
    for (size_t i = 0; i < len; i++) {
        x = x * 1103515245u + 12345u;
        p[i] = (uint8_t)(x >> 16);
    }
    return p;
}

void image_write(const uint8_t *data, size_t len, char *path, size_t cap)
{
    /* Under the build tree when run by ctest: nothing left in /tmp. */
    const char *build = getenv("TLSRIG_BUILD_DIR");
    char dir[4096];
    if (build) {
        char parent[4000];
        snprintf(parent, sizeof parent, "%s/test-output", build);
        (void)mkdir(parent, 0755);
        snprintf(dir, sizeof dir, "%s/board-flash-XXXXXX", parent);
    } else {
        snprintf(dir, sizeof dir, "/tmp/tlsrig-flash-XXXXXX");
    }
    cr_assert_not_null(mkdtemp(dir));
    snprintf(path, cap, "%s/fw", dir);
    char bin[4200];
    snprintf(bin, sizeof bin, "%s.bin", path);
    FILE *f = fopen(bin, "wb");
    cr_assert_not_null(f);
    if (len) {
        cr_assert_eq(fwrite(data, 1, len, f), len);
    }
    cr_assert_eq(fclose(f), 0);
}

uint32_t f4_sector_of(uint32_t off, uint32_t *size)
{
    uint32_t bank = off >= 1024u * 1024u ? 1024u * 1024u : 0;
    uint32_t o = off - bank;
    if (o < 65536) {
        *size = 16384;
        return bank + o / 16384 * 16384;
    }
    if (o < 131072) {
        *size = 65536;
        return bank + 65536;
    }
    *size = 131072;
    return bank + o / 131072 * 131072;
}
