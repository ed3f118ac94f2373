#include "host_seed.h"

#include <string.h>

#if defined(TLSRIG_STACK_WOLFSSL)
#include <wolfssl/wolfcrypt/settings.h>
#include <wolfssl/wolfcrypt/hash.h>
#else
#include "mbedtls/sha256.h"
#include "mbedtls_compat.h"
#endif

/* SHA-256 from the image's own TLS stack. */
static int seed_sha256(const uint8_t *in, size_t len, uint8_t out[32])
{
#if defined(TLSRIG_STACK_WOLFSSL)
    return wc_Sha256Hash(in, (word32)len, out);
#else
    return mbedtls_sha256_ret(in, len, out, 0);
#endif
}

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
        if (seed_sha256(block, g_seed_len + 4u, digest) != 0) {
            return -1;
        }
        size_t n = len < sizeof digest ? len : sizeof digest;
        memcpy(buf, digest, n);
        buf += n;
        len -= n;
    }
    return 0;
}
