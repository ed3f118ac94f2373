#include "host_seed.h"

#include <string.h>

#include "mbedtls/sha256.h"
#include "mbedtls_compat.h"

static uint8_t g_seed[HOST_SEED_MAX];
static size_t g_seed_len;
static uint32_t g_counter;

int host_seed_set(const uint8_t *seed, size_t len)
{
    if (len < HOST_SEED_MIN || len > HOST_SEED_MAX) {
        return -1;
    }
    memcpy(g_seed, seed, len);
    g_seed_len = len;
    g_counter = 0;
    return 0;
}

bool host_seed_present(void)
{
    return g_seed_len > 0;
}

int host_seed_fill(uint8_t *buf, size_t len)
{
    if (g_seed_len == 0) {
        return -1;
    }
    while (len > 0) {
        uint8_t block[HOST_SEED_MAX + 4];
        uint8_t digest[32];
        memcpy(block, g_seed, g_seed_len);
        block[g_seed_len] = (uint8_t)(g_counter >> 24);
        block[g_seed_len + 1] = (uint8_t)(g_counter >> 16);
        block[g_seed_len + 2] = (uint8_t)(g_counter >> 8);
        block[g_seed_len + 3] = (uint8_t)g_counter;
        g_counter++;
        if (mbedtls_sha256_ret(block, g_seed_len + 4u, digest, 0) != 0) {
            return -1;
        }
        size_t n = len < sizeof digest ? len : sizeof digest;
        memcpy(buf, digest, n);
        buf += n;
        len -= n;
    }
    return 0;
}
