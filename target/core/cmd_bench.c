/* BENCH: throughput of each offloadable primitive at 16 B to 16 KB, and the
 * cost of one ECDHE P-256 exchange, through the mbedTLS API, so sw and hw
 * images measure the same calls. Each measurement is bounded in time. */
#include <string.h>

#include "commands.h"
#include "mbedtls/aes.h"
#include "mbedtls/ecdh.h"
#include "mbedtls/gcm.h"
#include "mbedtls/sha1.h"
#include "mbedtls/sha256.h"
#include "mbedtls_compat.h"
#include "port.h"
#include "proto.h"
#include "tls_platform.h"
#include "tlv.h"

#define BENCH_BUDGET_NS 4000000u /* per measurement: 4 ms, at least one call */
#define BENCH_MAX_LEN 16384u

static unsigned char g_in[BENCH_MAX_LEN];
static unsigned char g_out[BENCH_MAX_LEN];

typedef int (*bench_fn)(size_t len);

static int bench_aes_cbc(size_t len)
{
    static const unsigned char key[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
    unsigned char iv[16] = {0};
    mbedtls_aes_context ctx;
    mbedtls_aes_init(&ctx);
    int ret = mbedtls_aes_setkey_enc(&ctx, key, 128);
    if (ret == 0) {
        ret = mbedtls_aes_crypt_cbc(&ctx, MBEDTLS_AES_ENCRYPT, len, iv, g_in, g_out);
    }
    mbedtls_aes_free(&ctx);
    return ret;
}

static int bench_aes_gcm(size_t len)
{
    static const unsigned char key[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
    unsigned char iv[12] = {0}, aad[13] = {0}, tag[16];
    mbedtls_gcm_context ctx;
    mbedtls_gcm_init(&ctx);
    int ret = mbedtls_gcm_setkey(&ctx, MBEDTLS_CIPHER_ID_AES, key, 128);
    if (ret == 0) {
        ret = mbedtls_gcm_crypt_and_tag(&ctx, MBEDTLS_GCM_ENCRYPT, len, iv, sizeof iv, aad,
                                        sizeof aad, g_in, g_out, sizeof tag, tag);
    }
    mbedtls_gcm_free(&ctx);
    return ret;
}

static int bench_sha256(size_t len)
{
    return mbedtls_sha256_ret(g_in, len, g_out, 0);
}

#if defined(MBEDTLS_SHA1_C)
static int bench_sha1(size_t len)
{
    return mbedtls_sha1_ret(g_in, len, g_out);
}
#endif

#if defined(MBEDTLS_ECDH_C) && defined(MBEDTLS_ECP_DP_SECP256R1_ENABLED)
static int bench_ecdhe_p256(size_t len)
{
    (void)len;
    mbedtls_ecdh_context a, b;
    mbedtls_ecdh_init(&a);
    mbedtls_ecdh_init(&b);
    unsigned char buf[100];
    size_t olen = 0;
    int ret = mbedtls_ecdh_setup(&a, MBEDTLS_ECP_DP_SECP256R1);
    if (ret == 0) {
        ret = mbedtls_ecdh_setup(&b, MBEDTLS_ECP_DP_SECP256R1);
    }
    if (ret == 0) {
        ret = mbedtls_ecdh_make_params(&a, &olen, buf, sizeof buf, mbedtls_ctr_drbg_random,
                                       tls_platform_drbg());
    }
    if (ret == 0) {
        const unsigned char *p = buf;
        ret = mbedtls_ecdh_read_params(&b, &p, buf + olen);
    }
    if (ret == 0) {
        ret = mbedtls_ecdh_make_public(&b, &olen, buf, sizeof buf, mbedtls_ctr_drbg_random,
                                       tls_platform_drbg());
    }
    if (ret == 0) {
        ret = mbedtls_ecdh_read_public(&a, buf, olen);
    }
    if (ret == 0) {
        ret = mbedtls_ecdh_calc_secret(&a, &olen, buf, sizeof buf, mbedtls_ctr_drbg_random,
                                       tls_platform_drbg());
    }
    mbedtls_ecdh_free(&a);
    mbedtls_ecdh_free(&b);
    return ret;
}
#endif

/* One measurement as a T_PRIMITIVE item: name "<prim>/<len>", ops, bytes, ns. */
static void measure(tlv_writer_t *w, const char *name, size_t len, bench_fn fn)
{
    uint64_t t0 = port_now_ns(), elapsed = 0;
    uint32_t ops = 0;
    do {
        if (fn(len) != 0) {
            return; /* not available in this image: leave it out */
        }
        ops++;
        elapsed = port_now_ns() - t0;
    } while (elapsed < BENCH_BUDGET_NS);
    char label[32];
    size_t n = strlen(name);
    memcpy(label, name, n);
    label[n++] = '/';
    /* len as decimal without printf */
    char digits[8];
    size_t d = 0;
    size_t v = len;
    do {
        digits[d++] = (char)('0' + v % 10u);
        v /= 10u;
    } while (v != 0 && d < sizeof digits);
    while (d > 0 && n < sizeof label - 1u) {
        label[n++] = digits[--d];
    }
    label[n] = '\0';
    uint8_t buf[64];
    tlv_writer_t in;
    tlv_writer_init(&in, buf, sizeof buf);
    tlv_put_str(&in, T_PRIM_NAME, label);
    tlv_put_u32(&in, T_PRIM_OPS, ops);
    tlv_put_u32(&in, T_PRIM_BYTES, (uint32_t)(len * ops));
    tlv_put_u64(&in, T_PRIM_NS, elapsed);
    tlv_put_bytes(w, T_PRIMITIVE, buf, in.len);
}

size_t cmd_bench(uint8_t *out, size_t cap)
{
    static const size_t sizes[] = {16, 256, 1024, 16384};
    tlv_writer_t w;
    tlv_writer_init(&w, out, cap);
    tlv_put_u8(&w, T_STATUS, ST_OK);
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        measure(&w, "aes-cbc", sizes[i], bench_aes_cbc);
        measure(&w, "aes-gcm", sizes[i], bench_aes_gcm);
        measure(&w, "sha256", sizes[i], bench_sha256);
#if defined(MBEDTLS_SHA1_C)
        measure(&w, "sha1", sizes[i], bench_sha1);
#endif
    }
#if defined(MBEDTLS_ECDH_C) && defined(MBEDTLS_ECP_DP_SECP256R1_ENABLED)
    measure(&w, "ecdhe-p256", 0, bench_ecdhe_p256);
#endif
    return w.overflow ? 0 : w.len;
}
