/*
 * AES-ECB, AES-CBC and AES-GCM through the device: the published vectors, the same output as
 * wolfCrypt's software for many lengths, the work visible at the CRYP model, tag failures.
 */
#include <criterion/criterion.h>

#include <string.h>

#include "periph_sim.h"
#include "selftest_vectors.h"
#include "wolf_hwtest.h"

TestSuite(wolfssl_hw_cipher, .init = wolf_hwtest_setup, .fini = wolf_hwtest_teardown);

static void aes_init_key(Aes *aes, int dev_id, const unsigned char *key, unsigned keybits,
                         const unsigned char *iv, int dir)
{
    cr_assert_eq(wc_AesInit(aes, NULL, dev_id), 0);
    cr_assert_eq(wc_AesSetKey(aes, key, keybits / 8, iv, dir), 0);
}

/* ECB or CBC over the whole vector, with one device or the other. */
static void aes_crypt(int dev_id, const selftest_aes_vector_t *v, int enc, const unsigned char *in,
                      unsigned char *out)
{
    Aes aes;
    /* ECB vectors carry no IV (an empty string): wolfSSL would read 16 bytes of it. */
    const unsigned char *iv = v->mode == SELFTEST_AES_ECB ? NULL : v->iv;
    aes_init_key(&aes, dev_id, v->key, v->keybits, iv, enc ? AES_ENCRYPTION : AES_DECRYPTION);
    int rc;
    if (v->mode == SELFTEST_AES_ECB)
        rc = enc ? wc_AesEcbEncrypt(&aes, out, in, (word32)v->len)
                 : wc_AesEcbDecrypt(&aes, out, in, (word32)v->len);
    else
        rc = enc ? wc_AesCbcEncrypt(&aes, out, in, (word32)v->len)
                 : wc_AesCbcDecrypt(&aes, out, in, (word32)v->len);
    cr_assert_eq(rc, 0, "%s", v->name);
    wc_AesFree(&aes);
}

Test(wolfssl_hw_cipher, ecb_and_cbc_vectors_match_the_published_values_and_software)
{
    unsigned done = 0;
    for (size_t i = 0; i < selftest_aes_vector_count; i++) {
        const selftest_aes_vector_t *v = &selftest_aes_vectors[i];
        if (v->mode == SELFTEST_AES_CTR)
            continue; /* not offloaded on wolfSSL */
        unsigned char hw[64], sw[64];
        cr_assert_leq(v->len, sizeof hw);
        wolf_hwtest_bus_reset();
        aes_crypt(HW_DEVID, v, 1, v->plain, hw);
        wolf_hwtest_bus_t bus;
        wolf_hwtest_bus(&bus);
        cr_assert_geq(bus.cryp_din, v->len / 4, "%s: the CRYP model saw no data", v->name);
        aes_crypt(SW_DEVID, v, 1, v->plain, sw);
        cr_assert_arr_eq(hw, v->cipher, v->len, "%s encrypt", v->name);
        cr_assert_arr_eq(sw, hw, v->len, "%s encrypt: sw", v->name);
        aes_crypt(HW_DEVID, v, 0, v->cipher, hw);
        cr_assert_arr_eq(hw, v->plain, v->len, "%s decrypt", v->name);
        done++;
    }
    cr_assert_geq(done, 5); /* ECB-128/192/256, CBC-128/256 */
    /* Every key size, both modes, both directions ran on the engine. */
    const tlsrig_wolf_hw_counter_t *ecb = tlsrig_wolf_hw_stats_get(TLSRIG_WOLF_HW_AES_ECB);
    const tlsrig_wolf_hw_counter_t *cbc = tlsrig_wolf_hw_stats_get(TLSRIG_WOLF_HW_AES_CBC);
    cr_assert_eq(ecb->hw_ops + cbc->hw_ops, 2 * done);
    cr_assert_eq(ecb->fallback_ops + cbc->fallback_ops, 0);
}

Test(wolfssl_hw_cipher, cbc_chains_across_calls_in_place_like_software)
{
    unsigned char key[32], iv[16], msg[16 * 9];
    wolf_hwtest_fill(key, sizeof key, 1);
    wolf_hwtest_fill(iv, sizeof iv, 2);
    wolf_hwtest_fill(msg, sizeof msg, 3);
    for (unsigned keybits = 128; keybits <= 256; keybits += 64) {
        Aes hw, sw;
        aes_init_key(&hw, HW_DEVID, key, keybits, iv, AES_ENCRYPTION);
        aes_init_key(&sw, SW_DEVID, key, keybits, iv, AES_ENCRYPTION);
        unsigned char a[sizeof msg], b[sizeof msg];
        memcpy(a, msg, sizeof msg);
        memcpy(b, msg, sizeof msg);
        /* Pieces of 1, 3 and 5 blocks, in place: the IV carries over in aes->reg. */
        size_t off = 0;
        for (size_t n = 16; off < sizeof msg; n += 32) {
            cr_assert_eq(wc_AesCbcEncrypt(&hw, a + off, a + off, (word32)n), 0);
            cr_assert_eq(wc_AesCbcEncrypt(&sw, b + off, b + off, (word32)n), 0);
            off += n;
        }
        cr_assert_arr_eq(a, b, sizeof msg, "AES-%u CBC encrypt", keybits);
        cr_assert_arr_eq(hw.reg, sw.reg, 16, "AES-%u next IV", keybits);
        /* Decrypt in place in two pieces. */
        cr_assert_eq(wc_AesSetKey(&hw, key, keybits / 8, iv, AES_DECRYPTION), 0);
        cr_assert_eq(wc_AesCbcDecrypt(&hw, a, a, 48), 0);
        cr_assert_eq(wc_AesCbcDecrypt(&hw, a + 48, a + 48, sizeof msg - 48), 0);
        cr_assert_arr_eq(a, msg, sizeof msg, "AES-%u CBC decrypt", keybits);
        wc_AesFree(&hw);
        wc_AesFree(&sw);
    }
}

Test(wolfssl_hw_cipher, cbc_length_not_whole_blocks_falls_back_to_software)
{
    unsigned char key[16] = {1}, iv[16] = {2}, in[20] = {3}, hw[20] = {0}, sw[20] = {0};
    Aes h, s;
    aes_init_key(&h, HW_DEVID, key, 128, iv, AES_ENCRYPTION);
    aes_init_key(&s, SW_DEVID, key, 128, iv, AES_ENCRYPTION);
    /* wolfSSL's software applies its own rule to the stray bytes: the device does not guess. */
    cr_assert_eq(wc_AesCbcEncrypt(&h, hw, in, sizeof in), wc_AesCbcEncrypt(&s, sw, in, sizeof in));
    cr_assert_arr_eq(hw, sw, sizeof hw);
    cr_assert_eq(tlsrig_wolf_hw_stats_get(TLSRIG_WOLF_HW_AES_CBC)->fallback_ops, 1);
    cr_assert_eq(tlsrig_wolf_hw_stats_get(TLSRIG_WOLF_HW_AES_CBC)->hw_ops, 0);
    wc_AesFree(&h);
    wc_AesFree(&s);
}

static int gcm_encrypt(int dev_id, const unsigned char *key, unsigned keybits,
                       const unsigned char *iv, size_t iv_len, const unsigned char *aad,
                       size_t aad_len, const unsigned char *in, unsigned char *out, size_t len,
                       unsigned char *tag, size_t tag_len)
{
    Aes aes;
    cr_assert_eq(wc_AesInit(&aes, NULL, dev_id), 0);
    cr_assert_eq(wc_AesGcmSetKey(&aes, key, keybits / 8), 0);
    int rc = wc_AesGcmEncrypt(&aes, out, in, (word32)len, iv, (word32)iv_len, tag, (word32)tag_len,
                              aad, (word32)aad_len);
    wc_AesFree(&aes);
    return rc;
}

static int gcm_decrypt(int dev_id, const unsigned char *key, unsigned keybits,
                       const unsigned char *iv, size_t iv_len, const unsigned char *aad,
                       size_t aad_len, const unsigned char *in, unsigned char *out, size_t len,
                       const unsigned char *tag, size_t tag_len)
{
    Aes aes;
    cr_assert_eq(wc_AesInit(&aes, NULL, dev_id), 0);
    cr_assert_eq(wc_AesGcmSetKey(&aes, key, keybits / 8), 0);
    int rc = wc_AesGcmDecrypt(&aes, out, in, (word32)len, iv, (word32)iv_len, tag, (word32)tag_len,
                              aad, (word32)aad_len);
    wc_AesFree(&aes);
    return rc;
}

Test(wolfssl_hw_cipher, gcm_vectors_match_including_non_96_bit_ivs)
{
    for (size_t i = 0; i < selftest_gcm_vector_count; i++) {
        const selftest_gcm_vector_t *v = &selftest_gcm_vectors[i];
        unsigned char out[128], tag[16], back[128];
        cr_assert_leq(v->len, sizeof out);
        wolf_hwtest_bus_reset();
        cr_assert_eq(gcm_encrypt(HW_DEVID, v->key, v->keybits, v->iv, v->iv_len, v->aad, v->aad_len,
                                 v->plain, out, v->len, tag, 16),
                     0, "%s", v->name);
        wolf_hwtest_bus_t bus;
        wolf_hwtest_bus(&bus);
        cr_assert_geq(bus.cryp_din, 4 + 4 * ((v->len + 15) / 16), "%s: not on the model", v->name);
        cr_assert_arr_eq(out, v->cipher, v->len, "%s ciphertext", v->name);
        cr_assert_arr_eq(tag, v->tag, 16, "%s tag", v->name);
        cr_assert_eq(gcm_decrypt(HW_DEVID, v->key, v->keybits, v->iv, v->iv_len, v->aad, v->aad_len,
                                 v->cipher, back, v->len, v->tag, 16),
                     0, "%s decrypt", v->name);
        cr_assert_arr_eq(back, v->plain, v->len, "%s plaintext", v->name);
    }
    cr_assert_eq(tlsrig_wolf_hw_stats_get(TLSRIG_WOLF_HW_AES_GCM)->hw_ops,
                 2 * selftest_gcm_vector_count);
    cr_assert_eq(tlsrig_wolf_hw_stats_get(TLSRIG_WOLF_HW_AES_GCM)->fallback_ops, 0);
}

/* Lengths around the block size, several AAD and IV lengths, tags of 12..16 bytes (the shared
 * GCM driver's full sweep against OpenSSL is hwcrypto_drivers'; this one is the device's). */
Test(wolfssl_hw_cipher, gcm_matches_software_across_lengths)
{
    static const size_t lens[] = {0, 1, 15, 16, 17, 31, 32, 33, 47, 64, 70};
    static const size_t aad_lens[] = {0, 1, 13, 17, 33};
    static const size_t iv_lens[] = {12, 8, 16, 60};
    unsigned char key[32], iv[60], aad[33], in[70], hw[70], sw[70], thw[16], tsw[16];
    wolf_hwtest_fill(key, sizeof key, 7);
    wolf_hwtest_fill(iv, sizeof iv, 8);
    wolf_hwtest_fill(aad, sizeof aad, 9);
    wolf_hwtest_fill(in, sizeof in, 10);
    unsigned n = 0;
    for (unsigned keybits = 128; keybits <= 256; keybits += 64)
        for (size_t a = 0; a < sizeof aad_lens / sizeof *aad_lens; a++)
            for (size_t v = 0; v < sizeof iv_lens / sizeof *iv_lens; v++)
                for (size_t l = 0; l < sizeof lens / sizeof *lens; l++) {
                    size_t len = lens[l], tag_len = 12 + (len % 5);
                    cr_assert_eq(gcm_encrypt(HW_DEVID, key, keybits, iv, iv_lens[v], aad,
                                             aad_lens[a], in, hw, len, thw, tag_len),
                                 0);
                    cr_assert_eq(gcm_encrypt(SW_DEVID, key, keybits, iv, iv_lens[v], aad,
                                             aad_lens[a], in, sw, len, tsw, tag_len),
                                 0);
                    cr_assert_arr_eq(hw, sw, len, "AES-%u len %zu aad %zu iv %zu", keybits, len,
                                     aad_lens[a], iv_lens[v]);
                    cr_assert_arr_eq(thw, tsw, tag_len, "tag: AES-%u len %zu aad %zu iv %zu",
                                     keybits, len, aad_lens[a], iv_lens[v]);
                    n++;
                }
    cr_assert_eq(tlsrig_wolf_hw_stats_get(TLSRIG_WOLF_HW_AES_GCM)->hw_ops, n);
}

Test(wolfssl_hw_cipher, gcm_damaged_tag_fails_on_decrypt_and_releases_no_plaintext)
{
    const selftest_gcm_vector_t *v = &selftest_gcm_vectors[selftest_gcm_vector_count - 1];
    cr_assert_gt(v->len, 0);
    unsigned char tag[16], out[128];
    memcpy(tag, v->tag, 16);
    tag[15] ^= 0x01;
    memset(out, 0xA5, sizeof out);
    cr_assert_eq(gcm_decrypt(HW_DEVID, v->key, v->keybits, v->iv, v->iv_len, v->aad, v->aad_len,
                             v->cipher, out, v->len, tag, 16),
                 AES_GCM_AUTH_E);
    for (size_t i = 0; i < v->len; i++)
        cr_assert_eq(out[i], 0, "plaintext byte %zu left after a failed tag", i);
    /* A damaged ciphertext byte fails the same way; software agrees. */
    unsigned char bad[128];
    memcpy(bad, v->cipher, v->len);
    bad[0] ^= 0x80;
    cr_assert_eq(gcm_decrypt(HW_DEVID, v->key, v->keybits, v->iv, v->iv_len, v->aad, v->aad_len,
                             bad, out, v->len, v->tag, 16),
                 AES_GCM_AUTH_E);
    cr_assert_eq(gcm_decrypt(SW_DEVID, v->key, v->keybits, v->iv, v->iv_len, v->aad, v->aad_len,
                             bad, out, v->len, v->tag, 16),
                 AES_GCM_AUTH_E);
    cr_assert_eq(tlsrig_wolf_hw_stats_get(TLSRIG_WOLF_HW_AES_GCM)->errors, 2);
}

/* A TLS 1.2 record in place, as wolfSSL's record layer does it, alternating two keys. */
Test(wolfssl_hw_cipher, gcm_records_in_place_with_interleaved_keys)
{
    unsigned char k1[16], k2[16], iv[12], aad[13], rec[300], ref[300], tag[16], tref[16];
    wolf_hwtest_fill(k1, 16, 21);
    wolf_hwtest_fill(k2, 16, 22);
    wolf_hwtest_fill(aad, 13, 23);
    Aes w, r, sw;
    cr_assert_eq(wc_AesInit(&w, NULL, HW_DEVID), 0);
    cr_assert_eq(wc_AesInit(&r, NULL, HW_DEVID), 0);
    cr_assert_eq(wc_AesInit(&sw, NULL, SW_DEVID), 0);
    cr_assert_eq(wc_AesGcmSetKey(&w, k1, 16), 0);
    cr_assert_eq(wc_AesGcmSetKey(&r, k2, 16), 0);
    for (unsigned i = 0; i < 6; i++) {
        int use_w = i % 2 == 0;
        wolf_hwtest_fill(iv, 12, 30 + i);
        wolf_hwtest_fill(rec, sizeof rec, 40 + i);
        memcpy(ref, rec, sizeof rec);
        size_t len = 100 + 37 * i;
        cr_assert_eq(
            wc_AesGcmEncrypt(use_w ? &w : &r, rec, rec, (word32)len, iv, 12, tag, 16, aad, 13), 0);
        cr_assert_eq(wc_AesGcmSetKey(&sw, use_w ? k1 : k2, 16), 0);
        cr_assert_eq(wc_AesGcmEncrypt(&sw, ref, ref, (word32)len, iv, 12, tref, 16, aad, 13), 0);
        cr_assert_arr_eq(rec, ref, len, "record %u", i);
        cr_assert_arr_eq(tag, tref, 16, "record %u tag", i);
    }
    wc_AesFree(&w);
    wc_AesFree(&r);
    wc_AesFree(&sw);
}

Test(wolfssl_hw_cipher, a_silicon_fault_in_the_model_shows_in_the_device_output)
{
    /* The output comes from the model: a bit flipped there is a bit flipped here. */
    const selftest_aes_vector_t *v = &selftest_aes_vectors[0];
    cr_assert_eq(v->mode, SELFTEST_AES_ECB);
    unsigned char out[64];
    cr_assert_eq(periph_fault_set("aes-bitflip", 1), 0);
    aes_crypt(HW_DEVID, v, 1, v->plain, out);
    cr_assert(memcmp(out, v->cipher, v->len) != 0);
    periph_fault_clear_all();
    aes_crypt(HW_DEVID, v, 1, v->plain, out);
    cr_assert_arr_eq(out, v->cipher, v->len);
}

Test(wolfssl_hw_cipher, a_dead_engine_is_an_error_not_a_result)
{
    const selftest_gcm_vector_t *v = &selftest_gcm_vectors[0];
    unsigned char out[128], tag[16];
    periph_sim_set_latency(1000000u); /* past every driver's wait budget */
    cr_assert_eq(gcm_encrypt(HW_DEVID, v->key, v->keybits, v->iv, v->iv_len, v->aad, v->aad_len,
                             v->plain, out, v->len, tag, 16),
                 WC_HW_E);
    periph_sim_set_latency(0);
    cr_assert_eq(tlsrig_wolf_hw_stats_get(TLSRIG_WOLF_HW_AES_GCM)->errors, 1);
}
