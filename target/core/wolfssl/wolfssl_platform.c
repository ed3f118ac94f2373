/* wolfSSL platform glue for the agent (tls_platform.h on the wolfssl stack):
 *  - memory: every XMALLOC of wolfSSL goes through wolfSSL_Malloc to the allocators installed
 *    here, on the agent's static heap managed by mbedTLS's memory_buffer_alloc (the same
 *    allocator and peak measure as the mbedTLS images; three files of mbedTLS 2.28 are
 *    linked for it, no TLS code). No malloc() of the C library is called.
 *  - random: wolfSSL's Hash-DRBG (one per WOLFSSL object) is seeded through
 *    CUSTOM_RAND_GENERATE_SEED from port_entropy(): the port's RNG, or the host's TEST ONLY
 *    seed on emulated boards, so seeded runs repeat.
 *  - time: XTIME() is the clock the host sets per scenario.
 *  - log: wolfSSL's logging callback writes each message as one text line on LOG. */
#include <string.h>

#include "debug_log.h"
#include "mbedtls/memory_buffer_alloc.h"
#include "mbedtls/platform.h"
#include "port.h"
#include "tls_platform.h"
#include "wolfssl_glue.h"

#include <wolfssl/wolfcrypt/settings.h>
#include <wolfssl/ssl.h>
#include <wolfssl/wolfcrypt/logging.h>
#include <wolfssl/wolfcrypt/memory.h>

static _Alignas(8) unsigned char g_heap[AGENT_HEAP_SIZE];
static bool g_has_time;
static uint64_t g_time_base;   /* unix seconds at g_time_set_ms */
static uint32_t g_time_set_ms; /* uptime when the host set the clock */
static bool g_log_on;

/* wolfSSL's realloc needs the old block's size: each block starts with it. */
#define BLOCK_HDR 8u

static void *heap_alloc(size_t size)
{
    if (size > SIZE_MAX - BLOCK_HDR) {
        return NULL;
    }
    unsigned char *p = mbedtls_calloc(1, size + BLOCK_HDR);
    if (p == NULL) {
        return NULL;
    }
    memcpy(p, &size, sizeof size);
    return p + BLOCK_HDR;
}

static void heap_free(void *ptr)
{
    if (ptr != NULL) {
        mbedtls_free((unsigned char *)ptr - BLOCK_HDR);
    }
}

static void *heap_realloc(void *ptr, size_t size)
{
    if (ptr == NULL) {
        return heap_alloc(size);
    }
    size_t old = 0;
    memcpy(&old, (unsigned char *)ptr - BLOCK_HDR, sizeof old);
    void *n = heap_alloc(size);
    if (n != NULL) {
        memcpy(n, ptr, old < size ? old : size);
        heap_free(ptr);
    }
    return n;
}

static void log_line(const int level, const char *const msg)
{
    (void)level;
    if (g_log_on && msg != NULL) {
        /* wolfSSL's own default logger prints "%s\n": the same lines. */
        debug_log_printf("%.250s\n", msg);
    }
}

void wolfssl_glue_log(bool on)
{
    g_log_on = on;
    if (on) {
        (void)wolfSSL_Debugging_ON();
    } else {
        wolfSSL_Debugging_OFF();
    }
}

int tls_platform_init(void)
{
    mbedtls_memory_buffer_alloc_init(g_heap, sizeof g_heap);
    if (wolfSSL_SetAllocators(heap_alloc, heap_free, heap_realloc) != 0) {
        return -1;
    }
    (void)wolfSSL_SetLoggingCb(log_line);
    return wolfSSL_Init() == WOLFSSL_SUCCESS ? 0 : -1;
}

/* Each handshake's WOLFSSL object seeds a new DRBG when it is created: nothing to redo. */
int tls_platform_reseed(void)
{
    return 0;
}

int tls_platform_random(void *ctx, unsigned char *out, size_t len)
{
    (void)ctx;
    return port_entropy(out, len);
}

int tlsrig_wolfssl_seed(unsigned char *output, unsigned int sz)
{
    return port_entropy(output, sz) == 0 ? 0 : -1;
}

time_t tlsrig_wolfssl_time(time_t *t)
{
    uint32_t up_s = (port_now_ms() - g_time_set_ms) / 1000u;
    time_t now = g_has_time ? (time_t)(g_time_base + up_s) : (time_t)(port_now_ms() / 1000u);
    if (t) {
        *t = now;
    }
    return now;
}

void tls_platform_set_time(bool has_time, uint64_t unix_seconds)
{
    g_has_time = has_time;
    g_time_base = unix_seconds;
    g_time_set_ms = port_now_ms();
}

bool tls_platform_heap_restart(void)
{
    size_t used = 0, blocks = 0;
    mbedtls_memory_buffer_alloc_cur_get(&used, &blocks);
    if (blocks != 0) {
        return false; /* something still lives on the heap: keep it */
    }
    mbedtls_memory_buffer_alloc_init(g_heap, sizeof g_heap);
    return true;
}

void tls_platform_heap_reset_peak(void)
{
    mbedtls_memory_buffer_alloc_max_reset();
}

size_t tls_platform_heap_peak(void)
{
    size_t max_used = 0, max_blocks = 0;
    mbedtls_memory_buffer_alloc_max_get(&max_used, &max_blocks);
    return max_used;
}

size_t tls_platform_heap_size(void)
{
    return sizeof g_heap;
}
