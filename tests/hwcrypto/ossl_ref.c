/* OpenSSL reference implementations for test_drivers.c; aborts on any OpenSSL error. */
#include "ossl_ref.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdlib.h>
#include <string.h>

static const EVP_CIPHER *aes_cipher(const char *mode, unsigned keybits)
{
    int k = keybits == 256 ? 2 : keybits == 192 ? 1 : 0;
    if (strcmp(mode, "ecb") == 0)
        return (const EVP_CIPHER *[]){EVP_aes_128_ecb(), EVP_aes_192_ecb(), EVP_aes_256_ecb()}[k];
    if (strcmp(mode, "cbc") == 0)
        return (const EVP_CIPHER *[]){EVP_aes_128_cbc(), EVP_aes_192_cbc(), EVP_aes_256_cbc()}[k];
    if (strcmp(mode, "ctr") == 0)
        return (const EVP_CIPHER *[]){EVP_aes_128_ctr(), EVP_aes_192_ctr(), EVP_aes_256_ctr()}[k];
    return (const EVP_CIPHER *[]){EVP_aes_128_gcm(), EVP_aes_192_gcm(), EVP_aes_256_gcm()}[k];
}

static void check(int ok)
{
    if (!ok)
        abort();
}

void ossl_aes(const char *mode, const unsigned char *key, unsigned keybits, const unsigned char *iv,
              const unsigned char *in, size_t len, unsigned char *out)
{
    EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
    int n = 0, m = 0;
    check(c != NULL && EVP_EncryptInit_ex(c, aes_cipher(mode, keybits), NULL, key, iv));
    check(EVP_CIPHER_CTX_set_padding(c, 0));
    check(EVP_EncryptUpdate(c, out, &n, in, (int)len));
    check(EVP_EncryptFinal_ex(c, out + n, &m));
    EVP_CIPHER_CTX_free(c);
}

void ossl_gcm(const unsigned char *key, unsigned keybits, const unsigned char *iv, size_t iv_len,
              const unsigned char *aad, size_t aad_len, const unsigned char *in, size_t len,
              unsigned char *out, unsigned char tag[16])
{
    EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
    int n = 0;
    check(c != NULL && EVP_EncryptInit_ex(c, aes_cipher("gcm", keybits), NULL, NULL, NULL));
    check(EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_IVLEN, (int)iv_len, NULL));
    check(EVP_EncryptInit_ex(c, NULL, NULL, key, iv));
    if (aad_len > 0)
        check(EVP_EncryptUpdate(c, NULL, &n, aad, (int)aad_len));
    if (len > 0)
        check(EVP_EncryptUpdate(c, out, &n, in, (int)len));
    check(EVP_EncryptFinal_ex(c, out + (len > 0 ? n : 0), &n));
    check(EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_GET_TAG, 16, tag));
    EVP_CIPHER_CTX_free(c);
}

size_t ossl_digest(const char *name, const unsigned char *in, size_t len, unsigned char *out)
{
    unsigned int n = 0;
    const EVP_MD *md = EVP_get_digestbyname(name);
    check(md != NULL && EVP_Digest(in, len, out, &n, md, NULL));
    return n;
}

void ossl_hmac_sha256(const unsigned char *key, size_t key_len, const unsigned char *in, size_t len,
                      unsigned char out[32])
{
    unsigned int n = 0;
    check(HMAC(EVP_sha256(), key, (int)key_len, in, len, out, &n) != NULL && n == 32);
}
