#include "prim_stats.h"

#include <string.h>

#include "mbedtls/aes.h"
#include "mbedtls/ecp.h"
#include "mbedtls/gcm.h"
#include "mbedtls/rsa.h"
#include "mbedtls/sha1.h"
#include "mbedtls/sha256.h"
#include "mbedtls/sha512.h"
#include "mbedtls_compat.h"
#include "port.h"
#include "proto.h"

static prim_counter_t g_prims[PRIM_COUNT];
static unsigned g_depth; /* only the outermost call counts (GCM calls AES, ...) */

static const char *const k_names[PRIM_COUNT] = {"aes-gcm", "aes-cbc", "aes-ecb", "sha256",
                                                "sha1",    "sha512",  "ecp-mul", "rsa-public"};

void prim_stats_reset(void)
{
    memset(g_prims, 0, sizeof g_prims);
    g_depth = 0;
}

const prim_counter_t *prim_stats_get(prim_id_t id)
{
    return &g_prims[id];
}

const char *prim_stats_name(prim_id_t id)
{
    return k_names[id];
}

void prim_stats_put(tlv_writer_t *w)
{
    for (int i = 0; i < PRIM_COUNT; i++) {
        if (g_prims[i].ops == 0) {
            continue;
        }
        uint8_t buf[64];
        tlv_writer_t in;
        tlv_writer_init(&in, buf, sizeof buf);
        tlv_put_str(&in, T_PRIM_NAME, k_names[i]);
        tlv_put_u32(&in, T_PRIM_OPS, g_prims[i].ops);
        tlv_put_u32(&in, T_PRIM_BYTES, g_prims[i].bytes);
        tlv_put_u64(&in, T_PRIM_NS, g_prims[i].ns);
        tlv_put_bytes(w, T_PRIMITIVE, buf, in.len);
    }
}

/* Time in ns on sim (CLOCK_MONOTONIC), cycles on boards with a counter. */
static uint64_t enter(void)
{
    g_depth++;
    return port_now_ns();
}

static void leave(prim_id_t id, uint64_t t0, size_t bytes)
{
    g_depth--;
    if (g_depth == 0) {
        g_prims[id].ops++;
        g_prims[id].bytes += (uint32_t)bytes;
        g_prims[id].ns += port_now_ns() - t0;
    }
}

/* Wrapped symbols (see agent_core.cmake). Each exists only when the image's
 * configuration compiles the primitive in. */
#if defined(MBEDTLS_GCM_C)
int __real_mbedtls_gcm_crypt_and_tag(mbedtls_gcm_context *ctx, int mode, size_t length,
                                     const unsigned char *iv, size_t iv_len,
                                     const unsigned char *add, size_t add_len,
                                     const unsigned char *input, unsigned char *output,
                                     size_t tag_len, unsigned char *tag);
int __wrap_mbedtls_gcm_crypt_and_tag(mbedtls_gcm_context *ctx, int mode, size_t length,
                                     const unsigned char *iv, size_t iv_len,
                                     const unsigned char *add, size_t add_len,
                                     const unsigned char *input, unsigned char *output,
                                     size_t tag_len, unsigned char *tag);
int __wrap_mbedtls_gcm_crypt_and_tag(mbedtls_gcm_context *ctx, int mode, size_t length,
                                     const unsigned char *iv, size_t iv_len,
                                     const unsigned char *add, size_t add_len,
                                     const unsigned char *input, unsigned char *output,
                                     size_t tag_len, unsigned char *tag)
{
    uint64_t t0 = enter();
    int ret = __real_mbedtls_gcm_crypt_and_tag(ctx, mode, length, iv, iv_len, add, add_len, input,
                                               output, tag_len, tag);
    leave(PRIM_AES_GCM, t0, length);
    return ret;
}

int __real_mbedtls_gcm_auth_decrypt(mbedtls_gcm_context *ctx, size_t length,
                                    const unsigned char *iv, size_t iv_len,
                                    const unsigned char *add, size_t add_len,
                                    const unsigned char *tag, size_t tag_len,
                                    const unsigned char *input, unsigned char *output);
int __wrap_mbedtls_gcm_auth_decrypt(mbedtls_gcm_context *ctx, size_t length,
                                    const unsigned char *iv, size_t iv_len,
                                    const unsigned char *add, size_t add_len,
                                    const unsigned char *tag, size_t tag_len,
                                    const unsigned char *input, unsigned char *output);
int __wrap_mbedtls_gcm_auth_decrypt(mbedtls_gcm_context *ctx, size_t length,
                                    const unsigned char *iv, size_t iv_len,
                                    const unsigned char *add, size_t add_len,
                                    const unsigned char *tag, size_t tag_len,
                                    const unsigned char *input, unsigned char *output)
{
    uint64_t t0 = enter();
    int ret = __real_mbedtls_gcm_auth_decrypt(ctx, length, iv, iv_len, add, add_len, tag, tag_len,
                                              input, output);
    leave(PRIM_AES_GCM, t0, length);
    return ret;
}
#endif

#if defined(MBEDTLS_AES_C) && defined(MBEDTLS_CIPHER_MODE_CBC)
int __real_mbedtls_aes_crypt_cbc(mbedtls_aes_context *ctx, int mode, size_t length,
                                 unsigned char iv[16], const unsigned char *input,
                                 unsigned char *output);
int __wrap_mbedtls_aes_crypt_cbc(mbedtls_aes_context *ctx, int mode, size_t length,
                                 unsigned char iv[16], const unsigned char *input,
                                 unsigned char *output);
int __wrap_mbedtls_aes_crypt_cbc(mbedtls_aes_context *ctx, int mode, size_t length,
                                 unsigned char iv[16], const unsigned char *input,
                                 unsigned char *output)
{
    uint64_t t0 = enter();
    int ret = __real_mbedtls_aes_crypt_cbc(ctx, mode, length, iv, input, output);
    leave(PRIM_AES_CBC, t0, length);
    return ret;
}
#endif

#if defined(MBEDTLS_AES_C)
int __real_mbedtls_aes_crypt_ecb(mbedtls_aes_context *ctx, int mode, const unsigned char input[16],
                                 unsigned char output[16]);
int __wrap_mbedtls_aes_crypt_ecb(mbedtls_aes_context *ctx, int mode, const unsigned char input[16],
                                 unsigned char output[16]);
int __wrap_mbedtls_aes_crypt_ecb(mbedtls_aes_context *ctx, int mode, const unsigned char input[16],
                                 unsigned char output[16])
{
    uint64_t t0 = enter();
    int ret = __real_mbedtls_aes_crypt_ecb(ctx, mode, input, output);
    leave(PRIM_AES_ECB, t0, 16);
    return ret;
}
#endif

#define WRAP_HASH_UPDATE(fn, ctx_t, id)                                                            \
    int __real_##fn(ctx_t *ctx, const unsigned char *input, size_t ilen);                          \
    int __wrap_##fn(ctx_t *ctx, const unsigned char *input, size_t ilen);                          \
    int __wrap_##fn(ctx_t *ctx, const unsigned char *input, size_t ilen)                           \
    {                                                                                              \
        uint64_t t0 = enter();                                                                     \
        int ret = __real_##fn(ctx, input, ilen);                                                   \
        leave(id, t0, ilen);                                                                       \
        return ret;                                                                                \
    }

/* The symbols wrapped (agent_core.cmake): 3.0 dropped the _ret suffix. Named directly, because
 * ## pastes the argument unexpanded (the compat header's macros would not apply). */
#if TLSRIG_MBEDTLS_3
#if defined(MBEDTLS_SHA256_C)
WRAP_HASH_UPDATE(mbedtls_sha256_update, mbedtls_sha256_context, PRIM_SHA256)
#endif
#if defined(MBEDTLS_SHA1_C)
WRAP_HASH_UPDATE(mbedtls_sha1_update, mbedtls_sha1_context, PRIM_SHA1)
#endif
#if defined(MBEDTLS_SHA512_C)
WRAP_HASH_UPDATE(mbedtls_sha512_update, mbedtls_sha512_context, PRIM_SHA512)
#endif
#else
#if defined(MBEDTLS_SHA256_C)
WRAP_HASH_UPDATE(mbedtls_sha256_update_ret, mbedtls_sha256_context, PRIM_SHA256)
#endif
#if defined(MBEDTLS_SHA1_C)
WRAP_HASH_UPDATE(mbedtls_sha1_update_ret, mbedtls_sha1_context, PRIM_SHA1)
#endif
#if defined(MBEDTLS_SHA512_C)
WRAP_HASH_UPDATE(mbedtls_sha512_update_ret, mbedtls_sha512_context, PRIM_SHA512)
#endif
#endif

#if defined(MBEDTLS_ECP_C)
int __real_mbedtls_ecp_mul_restartable(mbedtls_ecp_group *grp, mbedtls_ecp_point *R,
                                       const mbedtls_mpi *m, const mbedtls_ecp_point *P,
                                       int (*f_rng)(void *, unsigned char *, size_t), void *p_rng,
                                       mbedtls_ecp_restart_ctx *rs_ctx);
int __wrap_mbedtls_ecp_mul_restartable(mbedtls_ecp_group *grp, mbedtls_ecp_point *R,
                                       const mbedtls_mpi *m, const mbedtls_ecp_point *P,
                                       int (*f_rng)(void *, unsigned char *, size_t), void *p_rng,
                                       mbedtls_ecp_restart_ctx *rs_ctx);
int __wrap_mbedtls_ecp_mul_restartable(mbedtls_ecp_group *grp, mbedtls_ecp_point *R,
                                       const mbedtls_mpi *m, const mbedtls_ecp_point *P,
                                       int (*f_rng)(void *, unsigned char *, size_t), void *p_rng,
                                       mbedtls_ecp_restart_ctx *rs_ctx)
{
    uint64_t t0 = enter();
    int ret = __real_mbedtls_ecp_mul_restartable(grp, R, m, P, f_rng, p_rng, rs_ctx);
    leave(PRIM_ECP_MUL, t0, 0);
    return ret;
}
#endif

#if defined(MBEDTLS_RSA_C)
int __real_mbedtls_rsa_public(mbedtls_rsa_context *ctx, const unsigned char *input,
                              unsigned char *output);
int __wrap_mbedtls_rsa_public(mbedtls_rsa_context *ctx, const unsigned char *input,
                              unsigned char *output);
int __wrap_mbedtls_rsa_public(mbedtls_rsa_context *ctx, const unsigned char *input,
                              unsigned char *output)
{
    uint64_t t0 = enter();
    int ret = __real_mbedtls_rsa_public(ctx, input, output);
    leave(PRIM_RSA_PUBLIC, t0, mbedtls_rsa_get_len(ctx));
    return ret;
}
#endif
