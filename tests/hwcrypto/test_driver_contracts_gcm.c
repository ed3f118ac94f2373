/*
 * GCM driver contracts the known-answer tests do not reach: every refused argument, IVs longer
 * than a block with other data behind them, long streamed updates and the counter's carry
 * between updates, short tags, and a damaged tag wiping the output.
 */
#include <criterion/criterion.h>

#include <stdint.h>
#include <string.h>

#include "hw_driver_fault.h"
#include "mbedtls/gcm.h"
#include "ossl_ref.h"
#include "periph_sim.h"
#include "rng_hw.h"

static void fresh(void)
{
    periph_sim_reset();
    hw_driver_fault_clear_all();
    hw_rng_reset();
}

TestSuite(hwcrypto_driver_contracts_gcm, .init = fresh);

static const unsigned char key[32] = {
    0x60, 0x3d, 0xeb, 0x10, 0x15, 0xca, 0x71, 0xbe, 0x2b, 0x73, 0xae, 0xf0, 0x85, 0x7d, 0x77, 0x81,
    0x1f, 0x35, 0x2c, 0x07, 0x3b, 0x61, 0x08, 0xd7, 0x2d, 0x98, 0x10, 0xa3, 0x09, 0x14, 0xdf, 0xf4};

static int all_bytes(const void *p, size_t n, unsigned char v)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++) {
        if (b[i] != v)
            return 0;
    }
    return 1;
}

Test(hwcrypto_driver_contracts_gcm, gcm_refuses_bad_arguments)
{
    unsigned char buf[64] = {0}, iv[12] = {0}, tag[17];
    mbedtls_gcm_context gcm;
    mbedtls_gcm_init(&gcm);
    cr_assert_eq(mbedtls_gcm_starts(&gcm, MBEDTLS_GCM_ENCRYPT, iv, 12, NULL, 0),
                 MBEDTLS_ERR_GCM_BAD_INPUT, "no key");
    cr_assert_eq(mbedtls_gcm_setkey(&gcm, MBEDTLS_CIPHER_ID_AES, key, 100),
                 MBEDTLS_ERR_GCM_BAD_INPUT);
    cr_assert_eq(mbedtls_gcm_setkey(&gcm, MBEDTLS_CIPHER_ID_AES, key, 192), 0);
    cr_assert_eq(mbedtls_gcm_starts(&gcm, MBEDTLS_GCM_ENCRYPT, NULL, 12, NULL, 0),
                 MBEDTLS_ERR_GCM_BAD_INPUT);
    cr_assert_eq(mbedtls_gcm_starts(&gcm, MBEDTLS_GCM_ENCRYPT, iv, 12, NULL, 5),
                 MBEDTLS_ERR_GCM_BAD_INPUT, "AAD length without AAD");
    cr_assert_eq(mbedtls_gcm_starts(&gcm, 5, iv, 12, NULL, 0), MBEDTLS_ERR_GCM_BAD_INPUT);
    cr_assert_eq(mbedtls_gcm_starts(&gcm, MBEDTLS_GCM_ENCRYPT, iv, (size_t)1 << 61, NULL, 0),
                 MBEDTLS_ERR_GCM_BAD_INPUT, "IV of 2^61 bytes");
    cr_assert_eq(mbedtls_gcm_starts(&gcm, MBEDTLS_GCM_ENCRYPT, iv, 12, buf, (size_t)1 << 61),
                 MBEDTLS_ERR_GCM_BAD_INPUT, "AAD of 2^61 bytes");
    cr_assert_eq(mbedtls_gcm_update(&gcm, 16, buf, buf), MBEDTLS_ERR_GCM_BAD_INPUT, "not started");
    cr_assert_eq(mbedtls_gcm_starts(&gcm, MBEDTLS_GCM_ENCRYPT, iv, 12, NULL, 0), 0);
    cr_assert_eq(mbedtls_gcm_update(&gcm, 16, NULL, buf), MBEDTLS_ERR_GCM_BAD_INPUT);
    cr_assert_eq(mbedtls_gcm_update(&gcm, 16, buf, NULL), MBEDTLS_ERR_GCM_BAD_INPUT);
    cr_assert_eq(mbedtls_gcm_update(&gcm, 16, buf, buf + 1), MBEDTLS_ERR_GCM_BAD_INPUT,
                 "output overlapping the input ahead of it");
    cr_assert_eq(mbedtls_gcm_update(&gcm, 16, buf, buf + 15), MBEDTLS_ERR_GCM_BAD_INPUT);
    cr_assert_eq(mbedtls_gcm_update(&gcm, 0xFFFFFFFE1ull, buf, buf), MBEDTLS_ERR_GCM_BAD_INPUT,
                 "more than 2^32 - 2 blocks");
    cr_assert_eq(mbedtls_gcm_update(&gcm, 0, NULL, NULL), 0, "empty update");
    cr_assert_eq(mbedtls_gcm_update(&gcm, 16, buf, buf + 16), 0, "output right after input");
    cr_assert_eq(mbedtls_gcm_update(&gcm, 16, buf + 16, buf), 0, "output behind the input");
    cr_assert_eq(mbedtls_gcm_update(&gcm, 32, buf, buf), 0, "in place");
    cr_assert_eq(mbedtls_gcm_update(&gcm, SIZE_MAX - 8, buf, buf), MBEDTLS_ERR_GCM_BAD_INPUT,
                 "length that wraps the message length");
    cr_assert_eq(mbedtls_gcm_finish(&gcm, NULL, 16), MBEDTLS_ERR_GCM_BAD_INPUT);
    cr_assert_eq(mbedtls_gcm_finish(&gcm, tag, 17), MBEDTLS_ERR_GCM_BAD_INPUT);
    cr_assert_eq(mbedtls_gcm_finish(&gcm, tag, 4), 0, "4-byte tags are allowed");
    cr_assert_eq(mbedtls_gcm_update(&gcm, 16, buf, buf), MBEDTLS_ERR_GCM_BAD_INPUT,
                 "finished (after whole blocks): starts() first");
    cr_assert_eq(mbedtls_gcm_finish(&gcm, tag, 16), MBEDTLS_ERR_GCM_BAD_INPUT, "finished twice");
    cr_assert_eq(mbedtls_gcm_auth_decrypt(&gcm, 16, iv, 12, NULL, 0, NULL, 16, buf, buf),
                 MBEDTLS_ERR_GCM_BAD_INPUT, "no tag");
    cr_assert_eq(mbedtls_gcm_auth_decrypt(&gcm, 16, iv, 12, NULL, 0, tag, 3, buf, buf),
                 MBEDTLS_ERR_GCM_BAD_INPUT, "a 3-byte tag");
    /* A new key ends the message in progress: the next update needs a new starts(). */
    cr_assert_eq(mbedtls_gcm_starts(&gcm, MBEDTLS_GCM_ENCRYPT, iv, 12, NULL, 0), 0);
    cr_assert_eq(mbedtls_gcm_setkey(&gcm, MBEDTLS_CIPHER_ID_AES, key, 128), 0);
    cr_assert_eq(mbedtls_gcm_update(&gcm, 16, buf, buf), MBEDTLS_ERR_GCM_BAD_INPUT,
                 "update after setkey without starts");
    mbedtls_gcm_free(&gcm);
}

Test(hwcrypto_driver_contracts_gcm, gcm_long_ivs_and_long_streamed_updates)
{
    /* IVs of 20, 33 and 60 bytes with other data right behind them (J0 = GHASH of exactly the
     * IV), and a message streamed as 320 + 40 bytes (the counter moves by 20 blocks, then 3). */
    static unsigned char mem[64 + 360], pt[360], ct[360], ref[360];
    unsigned char tag[16], ref_tag[16];
    for (size_t i = 0; i < sizeof(mem); i++)
        mem[i] = (unsigned char)(i * 7u + 3u);
    for (size_t i = 0; i < sizeof(pt); i++)
        pt[i] = (unsigned char)(i ^ 0xC3u);
    mbedtls_gcm_context gcm;
    mbedtls_gcm_init(&gcm);
    cr_assert_eq(mbedtls_gcm_setkey(&gcm, MBEDTLS_CIPHER_ID_AES, key, 256), 0);
    static const size_t iv_lens[] = {20, 33, 60};
    for (size_t k = 0; k < 3; k++) {
        const unsigned char *iv = mem + 64 - iv_lens[k];
        cr_assert_eq(mbedtls_gcm_starts(&gcm, MBEDTLS_GCM_ENCRYPT, iv, iv_lens[k], mem, 5), 0);
        cr_assert_eq(mbedtls_gcm_update(&gcm, 320, pt, ct), 0);
        cr_assert_eq(mbedtls_gcm_update(&gcm, 40, pt + 320, ct + 320), 0);
        cr_assert_eq(mbedtls_gcm_finish(&gcm, tag, 16), 0);
        ossl_gcm(key, 256, iv, iv_lens[k], mem, 5, pt, 360, ref, ref_tag);
        cr_assert_arr_eq(ct, ref, 360, "IV of %zu bytes", iv_lens[k]);
        cr_assert_arr_eq(tag, ref_tag, 16, "IV of %zu bytes", iv_lens[k]);
    }
    mbedtls_gcm_free(&gcm);
}

Test(hwcrypto_driver_contracts_gcm, gcm_counter_carries_across_updates)
{
    /* 65535 blocks then 2: the driver's copy of the counter crosses into its third byte
     * (0x0000ffff + 2) between the two updates. */
    enum { FIRST = 65535 * 16, LEN = FIRST + 32 };
    static unsigned char pt[LEN], ct[LEN], ref[LEN];
    unsigned char iv[12], tag[16], ref_tag[16];
    for (size_t i = 0; i < sizeof(pt); i++)
        pt[i] = (unsigned char)(i >> 3);
    memset(iv, 0x4D, sizeof(iv));
    mbedtls_gcm_context gcm;
    mbedtls_gcm_init(&gcm);
    cr_assert_eq(mbedtls_gcm_setkey(&gcm, MBEDTLS_CIPHER_ID_AES, key, 128), 0);
    cr_assert_eq(mbedtls_gcm_starts(&gcm, MBEDTLS_GCM_ENCRYPT, iv, 12, NULL, 0), 0);
    cr_assert_eq(mbedtls_gcm_update(&gcm, FIRST, pt, ct), 0);
    cr_assert_eq(mbedtls_gcm_update(&gcm, LEN - FIRST, pt + FIRST, ct + FIRST), 0);
    cr_assert_eq(mbedtls_gcm_finish(&gcm, tag, 16), 0);
    ossl_gcm(key, 128, iv, 12, NULL, 0, pt, LEN, ref, ref_tag);
    cr_assert_arr_eq(ct + FIRST, ref + FIRST, LEN - FIRST, "the blocks after the carry");
    cr_assert_arr_eq(tag, ref_tag, 16);
    mbedtls_gcm_free(&gcm);
}

Test(hwcrypto_driver_contracts_gcm, gcm_short_tags_and_a_damaged_tag)
{
    unsigned char pt[40], ct[40], out[40], iv[12], tag[16], ref_ct[40], ref_tag[16];
    for (unsigned i = 0; i < sizeof(pt); i++)
        pt[i] = (unsigned char)(i + 1);
    memset(iv, 7, sizeof(iv));
    ossl_gcm(key, 128, iv, 12, pt, 7, pt, 40, ref_ct, ref_tag);
    mbedtls_gcm_context gcm;
    mbedtls_gcm_init(&gcm);
    cr_assert_eq(mbedtls_gcm_setkey(&gcm, MBEDTLS_CIPHER_ID_AES, key, 128), 0);
    for (size_t tl = 4; tl <= 16; tl += 4) {
        memset(tag, 0, sizeof(tag));
        cr_assert_eq(mbedtls_gcm_crypt_and_tag(&gcm, MBEDTLS_GCM_ENCRYPT, 40, iv, 12, pt, 7, pt, ct,
                                               tl, tag),
                     0);
        cr_assert_arr_eq(ct, ref_ct, 40);
        cr_assert_arr_eq(tag, ref_tag, tl, "tag of %zu bytes", tl);
        cr_assert(all_bytes(tag + tl, 16 - tl, 0), "wrote past a %zu-byte tag", tl);
        cr_assert_eq(mbedtls_gcm_auth_decrypt(&gcm, 40, iv, 12, pt, 7, ref_tag, tl, ref_ct, out),
                     0);
        cr_assert_arr_eq(out, pt, 40);
    }
    for (size_t i = 0; i < 16; i++) {
        unsigned char bad[16];
        memcpy(bad, ref_tag, 16);
        bad[i] ^= 0x80u;
        memset(out, 0x5C, sizeof(out));
        cr_assert_eq(mbedtls_gcm_auth_decrypt(&gcm, 40, iv, 12, pt, 7, bad, 16, ref_ct, out),
                     MBEDTLS_ERR_GCM_AUTH_FAILED, "tag byte %zu damaged", i);
        cr_assert(all_bytes(out, sizeof(out), 0), "unauthenticated plaintext released");
    }
    mbedtls_gcm_free(&gcm);
}
