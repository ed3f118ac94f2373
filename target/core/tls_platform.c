#include "tls_platform.h"

#include "mbedtls/entropy.h"
#include "mbedtls/memory_buffer_alloc.h"
#include "mbedtls/platform.h"
#include "mbedtls/platform_time.h"
#include "mbedtls_compat.h"
#include "port.h"
#if defined(MBEDTLS_PSA_CRYPTO_C)
#include "psa/crypto.h"
#endif

static _Alignas(8) unsigned char g_heap[AGENT_HEAP_SIZE];
static mbedtls_entropy_context g_entropy;
static mbedtls_ctr_drbg_context g_drbg;
static bool g_drbg_seeded;
static bool g_has_time;
static uint64_t g_time_base;   /* unix seconds at g_time_set_ms */
static uint32_t g_time_set_ms; /* uptime when the host set the clock */

static int entropy_source(void *data, unsigned char *out, size_t len, size_t *olen)
{
    (void)data;
    if (port_entropy(out, len) != 0) {
        return MBEDTLS_ERR_ENTROPY_SOURCE_FAILED;
    }
    *olen = len;
    return 0;
}

static mbedtls_time_t agent_time(mbedtls_time_t *t)
{
    uint32_t up_s = (port_now_ms() - g_time_set_ms) / 1000u;
    mbedtls_time_t now =
        g_has_time ? (mbedtls_time_t)(g_time_base + up_s) : (mbedtls_time_t)(port_now_ms() / 1000u);
    if (t) {
        *t = now;
    }
    return now;
}

int tls_platform_init(void)
{
    mbedtls_memory_buffer_alloc_init(g_heap, sizeof g_heap);
    mbedtls_platform_set_time(agent_time);
    int ret = tls_platform_reseed();
#if defined(MBEDTLS_PSA_CRYPTO_C)
    /* 3.x: TLS 1.3 (and the handshake transcript of every version once TLS 1.3 is compiled
     * in) runs on PSA, which must be initialised before the first mbedtls_ssl_setup(). Its
     * random bytes come from our DRBG (mbedtls_psa_external_get_random below), so PSA needs
     * no entropy of its own and nothing on the heap until a handshake. */
    if (ret == 0 && psa_crypto_init() != PSA_SUCCESS) {
        ret = MBEDTLS_ERR_ENTROPY_SOURCE_FAILED;
    }
#endif
    return ret;
}

#if defined(MBEDTLS_PSA_CRYPTO_EXTERNAL_RNG)
/* PSA's random generator is the agent's: seeded from the port (or the host in seed mode),
 * so TLS 1.3 key shares repeat between runs exactly like TLS 1.2's. */
psa_status_t mbedtls_psa_external_get_random(mbedtls_psa_external_random_context_t *context,
                                             uint8_t *output, size_t output_size,
                                             size_t *output_length)
{
    (void)context;
    if (tls_platform_random(NULL, output, output_size) != 0) {
        *output_length = 0;
        return PSA_ERROR_INSUFFICIENT_ENTROPY;
    }
    *output_length = output_size;
    return PSA_SUCCESS;
}
#endif

#if defined(MBEDTLS_PLATFORM_MS_TIME_ALT)
/* 3.x's millisecond clock (TLS 1.3 ticket ages, session lifetimes). The Cortex-M images set
 * MBEDTLS_PLATFORM_MS_TIME_ALT (target/cross: newlib has no POSIX clock, and 3.6's own
 * mbedtls_ms_time() stops the build there): the port's monotonic uptime. */
mbedtls_ms_time_t mbedtls_ms_time(void)
{
    return (mbedtls_ms_time_t)port_now_ms();
}
#endif

int tls_platform_reseed(void)
{
    g_drbg_seeded = false;
    mbedtls_ctr_drbg_free(&g_drbg);
    mbedtls_entropy_free(&g_entropy);
    mbedtls_entropy_init(&g_entropy);
    mbedtls_ctr_drbg_init(&g_drbg);
    int ret = mbedtls_entropy_add_source(&g_entropy, entropy_source, NULL, 32,
                                         MBEDTLS_ENTROPY_SOURCE_STRONG);
    if (ret != 0) {
        return ret;
    }
    static const unsigned char pers[] = "tlsrig-agent";
    ret = mbedtls_ctr_drbg_seed(&g_drbg, mbedtls_entropy_func, &g_entropy, pers, sizeof pers - 1u);
    g_drbg_seeded = ret == 0;
    return ret;
}

int tls_platform_random(void *ctx, unsigned char *out, size_t len)
{
    (void)ctx;
    /* mbedTLS 2.28's CTR_DRBG would still produce output after a failed
     * seeding (from a fixed key): refuse instead. */
    if (!g_drbg_seeded) {
        return MBEDTLS_ERR_CTR_DRBG_ENTROPY_SOURCE_FAILED;
    }
    return mbedtls_ctr_drbg_random(&g_drbg, out, len);
}

mbedtls_ctr_drbg_context *tls_platform_drbg(void)
{
    return &g_drbg;
}

void tls_platform_set_time(bool has_time, uint64_t unix_seconds)
{
    g_has_time = has_time;
    g_time_base = unix_seconds;
    g_time_set_ms = port_now_ms();
}

bool tls_platform_heap_restart(void)
{
#if defined(MBEDTLS_MEMORY_DEBUG)
    size_t used = 0, blocks = 0;
    mbedtls_memory_buffer_alloc_cur_get(&used, &blocks);
    if (blocks != 0) {
        return false; /* something still lives on the heap: keep it */
    }
    /* One free block again: the allocator's walks, the block sizes it hands
     * out and so the heap peak no longer depend on earlier handshakes. */
    mbedtls_memory_buffer_alloc_init(g_heap, sizeof g_heap);
    return true;
#else
    return false; /* cannot tell whether the heap is empty */
#endif
}

void tls_platform_heap_reset_peak(void)
{
#if defined(MBEDTLS_MEMORY_DEBUG)
    mbedtls_memory_buffer_alloc_max_reset();
#endif
}

size_t tls_platform_heap_peak(void)
{
#if defined(MBEDTLS_MEMORY_DEBUG)
    size_t max_used = 0, max_blocks = 0;
    mbedtls_memory_buffer_alloc_max_get(&max_used, &max_blocks);
    return max_used;
#else
    return 0;
#endif
}

size_t tls_platform_heap_size(void)
{
    return sizeof g_heap;
}
