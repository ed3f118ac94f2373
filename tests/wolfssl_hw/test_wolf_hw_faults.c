/*
 * Every fault the rig injects (silicon faults in the models, driver bugs in the drivers) makes
 * the matching hw-vs-software comparison through wolfSSL fail, while an unrelated one still
 * passes: the same attribution tests/hwcrypto/test_faults.c pins for mbedTLS.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include <string.h>

#include "hw_driver_fault.h"
#include "periph_sim.h"
#include "rng_hw.h"
#include "wolf_hwtest.h"

/* Each check: 1 when the device agrees with wolfCrypt's software (or, for the seed, when no
 * word has four equal bytes), 0 otherwise. */
typedef int (*check_fn)(void);

/* Two keys alternating on the engine, as a TLS connection's read and write keys do. */
static int check_aes_ecb_alternating(void)
{
    unsigned char k[2][16], in[32], hw[32], sw[32];
    wolf_hwtest_fill(k[0], 16, 1);
    wolf_hwtest_fill(k[1], 16, 2);
    wolf_hwtest_fill(in, sizeof in, 3);
    Aes h[2], s[2];
    for (int i = 0; i < 2; i++) {
        cr_assert_eq(wc_AesInit(&h[i], NULL, HW_DEVID), 0);
        cr_assert_eq(wc_AesInit(&s[i], NULL, SW_DEVID), 0);
        cr_assert_eq(wc_AesSetKey(&h[i], k[i], 16, NULL, AES_ENCRYPTION), 0);
        cr_assert_eq(wc_AesSetKey(&s[i], k[i], 16, NULL, AES_ENCRYPTION), 0);
    }
    int same = 1;
    for (int round = 0; round < 4; round++) {
        int i = round % 2;
        if (wc_AesEcbEncrypt(&h[i], hw, in, sizeof in) != 0)
            same = 0;
        cr_assert_eq(wc_AesEcbEncrypt(&s[i], sw, in, sizeof in), 0);
        same &= memcmp(hw, sw, sizeof hw) == 0;
    }
    for (int i = 0; i < 2; i++) {
        wc_AesFree(&h[i]);
        wc_AesFree(&s[i]);
    }
    return same;
}

static int check_aes_cbc(void)
{
    unsigned char key[32], iv[16], in[64], hw[64], sw[64];
    wolf_hwtest_fill(key, 32, 4);
    wolf_hwtest_fill(iv, 16, 5);
    wolf_hwtest_fill(in, sizeof in, 6);
    Aes h, s;
    cr_assert_eq(wc_AesInit(&h, NULL, HW_DEVID), 0);
    cr_assert_eq(wc_AesInit(&s, NULL, SW_DEVID), 0);
    cr_assert_eq(wc_AesSetKey(&h, key, 32, iv, AES_ENCRYPTION), 0);
    cr_assert_eq(wc_AesSetKey(&s, key, 32, iv, AES_ENCRYPTION), 0);
    int same = wc_AesCbcEncrypt(&h, hw, in, sizeof in) == 0;
    cr_assert_eq(wc_AesCbcEncrypt(&s, sw, in, sizeof in), 0);
    same &= memcmp(hw, sw, sizeof hw) == 0;
    wc_AesFree(&h);
    wc_AesFree(&s);
    return same;
}

/* Encrypt on the device, then decrypt-and-verify in software. */
static int check_aes_gcm(void)
{
    unsigned char key[16], iv[12], aad[13], in[40], ct[40], back[40], tag[16];
    wolf_hwtest_fill(key, 16, 7);
    wolf_hwtest_fill(iv, 12, 8);
    wolf_hwtest_fill(aad, 13, 9);
    wolf_hwtest_fill(in, sizeof in, 10);
    Aes h, s;
    cr_assert_eq(wc_AesInit(&h, NULL, HW_DEVID), 0);
    cr_assert_eq(wc_AesInit(&s, NULL, SW_DEVID), 0);
    cr_assert_eq(wc_AesGcmSetKey(&h, key, 16), 0);
    cr_assert_eq(wc_AesGcmSetKey(&s, key, 16), 0);
    int ok = wc_AesGcmEncrypt(&h, ct, in, sizeof in, iv, 12, tag, 16, aad, 13) == 0 &&
             wc_AesGcmDecrypt(&s, back, ct, sizeof ct, iv, 12, tag, 16, aad, 13) == 0 &&
             memcmp(back, in, sizeof in) == 0;
    wc_AesFree(&h);
    wc_AesFree(&s);
    return ok;
}

static void sha256_sw(const unsigned char *msg, size_t len, unsigned char out[32])
{
    wc_Sha256 s;
    cr_assert_eq(wc_InitSha256_ex(&s, NULL, SW_DEVID), 0);
    cr_assert_eq(wc_Sha256Update(&s, msg, (word32)len), 0);
    cr_assert_eq(wc_Sha256Final(&s, out), 0);
    wc_Sha256Free(&s);
}

/* Two hashes taking turns on the engine, whole blocks each time. */
static int check_sha_interleaved(void)
{
    unsigned char m[2][256], got[32], want[32];
    wolf_hwtest_fill(m[0], 256, 11);
    wolf_hwtest_fill(m[1], 256, 12);
    wc_Sha256 h[2];
    for (int i = 0; i < 2; i++)
        cr_assert_eq(wc_InitSha256_ex(&h[i], NULL, HW_DEVID), 0);
    int ok = 1;
    for (int off = 0; off < 256; off += 64)
        for (int i = 0; i < 2; i++)
            ok &= wc_Sha256Update(&h[i], m[i] + off, 64) == 0;
    for (int i = 0; i < 2; i++) {
        ok &= wc_Sha256Final(&h[i], got) == 0;
        sha256_sw(m[i], 256, want);
        ok &= memcmp(got, want, 32) == 0;
        wc_Sha256Free(&h[i]);
    }
    return ok;
}

/* A running hash copied mid-stream (wc_Sha256Copy), both going on: the handshake pattern. */
static int check_sha_clone(void)
{
    unsigned char msg[300], alt[200], got[32], want[32];
    wolf_hwtest_fill(msg, sizeof msg, 13);
    wc_Sha256 run, copy;
    cr_assert_eq(wc_InitSha256_ex(&run, NULL, HW_DEVID), 0);
    int ok = wc_Sha256Update(&run, msg, 128) == 0;
    ok &= wc_Sha256Copy(&run, &copy) == 0;
    ok &= wc_Sha256Update(&copy, msg + 200, 72) == 0; /* the copy is cloned here */
    ok &= wc_Sha256Update(&run, msg + 128, 72) == 0;
    ok &= wc_Sha256Final(&copy, got) == 0;
    memcpy(alt, msg, 128);
    memcpy(alt + 128, msg + 200, 72);
    sha256_sw(alt, 200, want);
    ok &= memcmp(got, want, 32) == 0;
    ok &= wc_Sha256Final(&run, got) == 0;
    sha256_sw(msg, 200, want);
    ok &= memcmp(got, want, 32) == 0;
    wc_Sha256Free(&run);
    wc_Sha256Free(&copy);
    return ok;
}

/* Seed words as wolfSSL draws them (wc_GenerateSeed with the device's devId). */
static int check_seed_words(void)
{
    OS_Seed os;
    memset(&os, 0, sizeof os);
    os.devId = HW_DEVID;
    unsigned char seed[64];
    if (wc_GenerateSeed(&os, seed, sizeof seed) != 0)
        return 0;
    for (size_t i = 0; i < sizeof seed; i += 4) {
        if (seed[i] == seed[i + 1] && seed[i] == seed[i + 2] && seed[i] == seed[i + 3])
            return 0;
    }
    return 1;
}

typedef struct {
    char fault[24];
    int fails;        /* index into checks[] */
    int still_passes; /* index into checks[] */
} fault_case_t;

enum { AES_ECB, AES_CBC, AES_GCM, SHA_INTERLEAVE, SHA_CLONE, SEED };
static const check_fn checks[] = {check_aes_ecb_alternating, check_aes_cbc,   check_aes_gcm,
                                  check_sha_interleaved,     check_sha_clone, check_seed_words};
static const char *const check_names[] = {
    "aes-ecb alternating keys", "aes-cbc",       "aes-gcm", "sha256 interleaved",
    "sha256 copy mid-stream",   "rng seed words"};

static fault_case_t cases[] = {
    {"aes-key-interleave", AES_ECB, SHA_CLONE},
    {"sha-clone", SHA_CLONE, AES_GCM},
    {"rng-byte-replicate", SEED, AES_CBC},
    {"aes-bitflip", AES_ECB, SHA_INTERLEAVE},
    {"stale-iv", AES_CBC, SHA_CLONE},
    {"gcm-tag", AES_GCM, AES_CBC},
    {"sha-interleave", SHA_INTERLEAVE, AES_GCM},
    {"rng-stuck", SEED, AES_ECB},
};

ParameterizedTestParameters(wolfssl_hw_faults, detected_and_attributed)
{
    return cr_make_param_array(fault_case_t, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(const fault_case_t *c, wolfssl_hw_faults, detected_and_attributed,
                  .init = wolf_hwtest_setup, .fini = wolf_hwtest_teardown)
{
    /* Without the fault both checks pass: the failure below is the fault's doing. */
    cr_assert(checks[c->fails](), "%s fails with no fault", check_names[c->fails]);
    cr_assert(checks[c->still_passes](), "%s fails with no fault", check_names[c->still_passes]);
    int in_model = periph_fault_set(c->fault, 1) == 0;
    int in_driver = hw_driver_fault_set(c->fault, 1) == 0;
    cr_assert(in_model != in_driver, "fault %s", c->fault);
    cr_assert_not(checks[c->fails](), "%s: %s went unnoticed", c->fault, check_names[c->fails]);
    cr_assert(checks[c->still_passes](), "%s: %s failed too", c->fault,
              check_names[c->still_passes]);
}

Test(wolfssl_hw_faults, gcm_key_interleave_breaks_the_tag_of_alternating_keys,
     .init = wolf_hwtest_setup, .fini = wolf_hwtest_teardown)
{
    /* The driver bug on the TLS path: two GCM keys (write, read) taking turns. The key load
     * skipped on the switch is the init phase's (H and E(K, J0) from the other key); the
     * payload phase reloads it, so the ciphertext is right and the tag is wrong: the peer
     * answers bad_record_mac, as with the mbedTLS drivers (the same gcm_hw.c). */
    unsigned char k[2][16], iv[12] = {0}, in[32] = {0}, ct[32], back[32], tag[16];
    wolf_hwtest_fill(k[0], 16, 31);
    wolf_hwtest_fill(k[1], 16, 32);
    Aes a[2], sw;
    for (int i = 0; i < 2; i++) {
        cr_assert_eq(wc_AesInit(&a[i], NULL, HW_DEVID), 0);
        cr_assert_eq(wc_AesGcmSetKey(&a[i], k[i], 16), 0);
    }
    cr_assert_eq(wc_AesInit(&sw, NULL, SW_DEVID), 0);
    cr_assert_eq(wc_AesGcmSetKey(&sw, k[1], 16), 0);
    cr_assert_eq(hw_driver_fault_set("aes-key-interleave", 1), 0);
    cr_assert_eq(wc_AesGcmEncrypt(&a[0], ct, in, 32, iv, 12, tag, 16, NULL, 0), 0);
    cr_assert_eq(wc_AesGcmEncrypt(&a[1], ct, in, 32, iv, 12, tag, 16, NULL, 0), 0);
    cr_assert_eq(wc_AesGcmDecrypt(&sw, back, ct, 32, iv, 12, tag, 16, NULL, 0), AES_GCM_AUTH_E);
    /* Without the bug the same sequence verifies. */
    hw_driver_fault_clear_all();
    cr_assert_eq(wc_AesGcmEncrypt(&a[0], ct, in, 32, iv, 12, tag, 16, NULL, 0), 0);
    cr_assert_eq(wc_AesGcmEncrypt(&a[1], ct, in, 32, iv, 12, tag, 16, NULL, 0), 0);
    cr_assert_eq(wc_AesGcmDecrypt(&sw, back, ct, 32, iv, 12, tag, 16, NULL, 0), 0);
    for (int i = 0; i < 2; i++)
        wc_AesFree(&a[i]);
    wc_AesFree(&sw);
}

Test(wolfssl_hw_faults, wolfssl_accepts_a_byte_replicated_seed, .init = wolf_hwtest_setup,
     .fini = wolf_hwtest_teardown)
{
    /* Why the seed check above matters: Hash_DRBG's own seed test (consecutive blocks differ)
     * does not notice a quarter of the entropy. */
    cr_assert_eq(hw_driver_fault_set("rng-byte-replicate", 1), 0);
    WC_RNG rng;
    cr_assert_eq(wc_InitRng_ex(&rng, NULL, HW_DEVID), 0);
    cr_assert_eq(wc_FreeRng(&rng), 0);
}
