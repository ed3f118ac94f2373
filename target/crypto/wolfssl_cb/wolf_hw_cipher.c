/*
 * AES-ECB, AES-CBC and AES-GCM requests on the CRYP engine (cryp_hw.c, gcm_hw.c: the drivers
 * the mbedTLS hw backend uses). The key comes from aes->devKey, which wolfSSL fills at setkey
 * when the Aes object has a devId; the Aes object's address is its key's owner on the engine,
 * so contexts that alternate (read key, write key) reload their key as on mbedTLS.
 *
 * Handed back to software (CRYPTOCB_UNAVAILABLE): a length that is not whole blocks (ECB, CBC:
 * wolfSSL then applies its own rule), GCM output overlapping the input from behind, and every
 * other cipher (CTR, CCM, CFB, OFB, XTS, DES3). All AES key sizes and all GCM IV lengths run
 * on the engine.
 */
#include "wolf_hw_internal.h"

#include <wolfssl/wolfcrypt/aes.h>

#include "cryp_hw.h"
#include "gcm_hw.h"
#include "stm32_regs.h"

#include <string.h>

#define AES_BLOCK 16u

static unsigned key_bits(const Aes *aes)
{
    if (aes->keylen == 16 || aes->keylen == 24 || aes->keylen == 32)
        return (unsigned)aes->keylen * 8u;
    return 0;
}

static const unsigned char *dev_key(const Aes *aes)
{
    return (const unsigned char *)aes->devKey;
}

#if defined(HAVE_AES_ECB)
static int aes_ecb(Aes *aes, int enc, byte *out, const byte *in, word32 sz)
{
    unsigned bits = key_bits(aes);
    if (bits == 0 || sz % AES_BLOCK != 0 || (sz > 0 && (in == NULL || out == NULL))) {
        wolf_hw_count_fallback(TLSRIG_WOLF_HW_AES_ECB);
        return CRYPTOCB_UNAVAILABLE;
    }
    if (cryp_hw_aes_run(aes, dev_key(aes), bits, CRYP_ALGO_AES_ECB, !enc, NULL, in, out,
                        sz / AES_BLOCK) != 0) {
        wolf_hw_count_error(TLSRIG_WOLF_HW_AES_ECB);
        return WC_HW_E;
    }
    wolf_hw_count_hw(TLSRIG_WOLF_HW_AES_ECB, sz);
    return 0;
}
#endif

#if defined(HAVE_AES_CBC)
/* aes->reg is the chaining IV: wolfSSL expects it to end as the last ciphertext block. */
static int aes_cbc(Aes *aes, int enc, byte *out, const byte *in, word32 sz)
{
    unsigned bits = key_bits(aes);
    if (bits == 0 || sz % AES_BLOCK != 0 || (sz > 0 && (in == NULL || out == NULL))) {
        wolf_hw_count_fallback(TLSRIG_WOLF_HW_AES_CBC);
        return CRYPTOCB_UNAVAILABLE;
    }
    if (sz == 0)
        return 0;
    unsigned char *iv = (unsigned char *)aes->reg;
    unsigned char next_iv[AES_BLOCK];
    /* Kept before an in-place decrypt overwrites it. */
    if (!enc)
        memcpy(next_iv, in + sz - AES_BLOCK, AES_BLOCK);
    if (cryp_hw_aes_run(aes, dev_key(aes), bits, CRYP_ALGO_AES_CBC, !enc, iv, in, out,
                        sz / AES_BLOCK) != 0) {
        wolf_hw_count_error(TLSRIG_WOLF_HW_AES_CBC);
        return WC_HW_E;
    }
    memcpy(iv, enc ? out + sz - AES_BLOCK : next_iv, AES_BLOCK);
    wolf_hw_count_hw(TLSRIG_WOLF_HW_AES_CBC, sz);
    return 0;
}
#endif

#if defined(HAVE_AESGCM)
typedef struct {
    Aes *aes;
    byte *out;
    const byte *in;
    word32 sz;
    const byte *iv;
    word32 iv_sz;
    const byte *aad;
    word32 aad_sz;
} gcm_args_t;

/* One message: setkey (H), IV and AAD, payload, the full 16-byte tag. */
static int gcm_run(const gcm_args_t *a, int enc, unsigned char tag[16])
{
    gcm_hw_state_t st;
    /* H from wolfSSL's setkey (aes->gcm.H, E(K, 0) in software): no engine work before the
     * message's own key load, so an Aes object switch shows where it does on mbedTLS. */
    int rc = gcm_hw_setkey_h(&st, a->aes, dev_key(a->aes), key_bits(a->aes), a->aes->gcm.H);
    if (rc == 0)
        rc = gcm_hw_start(&st, !enc, a->iv, a->iv_sz, a->aad, a->aad_sz);
    if (rc == 0)
        rc = gcm_hw_update(&st, a->in, a->out, a->sz);
    if (rc == 0)
        rc = gcm_hw_finish(&st, tag, 16);
    gcm_hw_wipe(&st, sizeof(st));
    return rc;
}

static int aes_gcm(const gcm_args_t *a, int enc, byte *tag_out, const byte *tag_in, word32 tag_sz)
{
    int overlap = a->sz > 0 && a->out > a->in && (size_t)(a->out - a->in) < a->sz;
    if (key_bits(a->aes) == 0 || overlap || tag_sz > 16 || a->iv == NULL || a->iv_sz == 0 ||
        (a->sz > 0 && (a->in == NULL || a->out == NULL)) || (a->aad_sz > 0 && a->aad == NULL)) {
        wolf_hw_count_fallback(TLSRIG_WOLF_HW_AES_GCM);
        return CRYPTOCB_UNAVAILABLE;
    }
    unsigned char tag[16];
    if (gcm_run(a, enc, tag) != 0) {
        wolf_hw_count_error(TLSRIG_WOLF_HW_AES_GCM);
        return WC_HW_E;
    }
    int ret = 0;
    if (enc) {
        memcpy(tag_out, tag, tag_sz);
    } else {
        unsigned char diff = 0;
        for (word32 i = 0; i < tag_sz; i++)
            diff |= (unsigned char)(tag[i] ^ tag_in[i]);
        if (diff != 0) {
            /* No plaintext of a forged message leaves the device. */
            gcm_hw_wipe(a->out, a->sz);
            wolf_hw_count_error(TLSRIG_WOLF_HW_AES_GCM);
            ret = AES_GCM_AUTH_E;
        }
    }
    gcm_hw_wipe(tag, sizeof(tag));
    if (ret == 0)
        wolf_hw_count_hw(TLSRIG_WOLF_HW_AES_GCM, a->sz);
    return ret;
}
#endif

int wolf_hw_cipher(wc_CryptoInfo *info)
{
    int enc = info->cipher.enc;
    switch (info->cipher.type) {
#if defined(HAVE_AES_ECB)
    case WC_CIPHER_AES_ECB:
        return aes_ecb(info->cipher.aesecb.aes, enc, info->cipher.aesecb.out,
                       info->cipher.aesecb.in, info->cipher.aesecb.sz);
#endif
#if defined(HAVE_AES_CBC)
    case WC_CIPHER_AES_CBC:
        return aes_cbc(info->cipher.aescbc.aes, enc, info->cipher.aescbc.out,
                       info->cipher.aescbc.in, info->cipher.aescbc.sz);
#endif
#if defined(HAVE_AESGCM)
    case WC_CIPHER_AES_GCM:
        if (enc) {
            gcm_args_t a = {info->cipher.aesgcm_enc.aes,    info->cipher.aesgcm_enc.out,
                            info->cipher.aesgcm_enc.in,     info->cipher.aesgcm_enc.sz,
                            info->cipher.aesgcm_enc.iv,     info->cipher.aesgcm_enc.ivSz,
                            info->cipher.aesgcm_enc.authIn, info->cipher.aesgcm_enc.authInSz};
            return aes_gcm(&a, 1, info->cipher.aesgcm_enc.authTag, NULL,
                           info->cipher.aesgcm_enc.authTagSz);
        } else {
            gcm_args_t a = {info->cipher.aesgcm_dec.aes,    info->cipher.aesgcm_dec.out,
                            info->cipher.aesgcm_dec.in,     info->cipher.aesgcm_dec.sz,
                            info->cipher.aesgcm_dec.iv,     info->cipher.aesgcm_dec.ivSz,
                            info->cipher.aesgcm_dec.authIn, info->cipher.aesgcm_dec.authInSz};
            return aes_gcm(&a, 0, NULL, info->cipher.aesgcm_dec.authTag,
                           info->cipher.aesgcm_dec.authTagSz);
        }
#endif
    default:
        wolf_hw_count_fallback(TLSRIG_WOLF_HW_OTHER);
        return CRYPTOCB_UNAVAILABLE;
    }
}
