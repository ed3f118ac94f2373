/* Reference AES (FIPS 197) and GF(2^128) multiply for the CRYP model; see ref_aes.h. */
#include "ref_aes.h"

#include <string.h>

static uint8_t xtime(uint8_t b)
{
    return (uint8_t)((b << 1) ^ ((b & 0x80u) ? 0x1Bu : 0x00u));
}

static uint8_t gf_mul(uint8_t a, uint8_t b)
{
    uint8_t r = 0;
    while (b) {
        if (b & 1u)
            r ^= a;
        a = xtime(a);
        b >>= 1;
    }
    return r;
}

/* S-box computed from its definition (inverse in GF(2^8), then the affine map). */
static uint8_t sbox_of(uint8_t x)
{
    uint8_t inv = 0;
    if (x) {
        for (unsigned c = 1; c < 256; c++) {
            if (gf_mul(x, (uint8_t)c) == 1) {
                inv = (uint8_t)c;
                break;
            }
        }
    }
    uint8_t s = inv;
    for (unsigned i = 1; i <= 4; i++)
        s ^= (uint8_t)((inv << i) | (inv >> (8 - i)));
    return (uint8_t)(s ^ 0x63u);
}

static uint8_t sbox[256];
static uint8_t inv_sbox[256];
static int tables_ready;

static void make_tables(void)
{
    if (tables_ready)
        return;
    for (unsigned i = 0; i < 256; i++) {
        sbox[i] = sbox_of((uint8_t)i);
        inv_sbox[sbox[i]] = (uint8_t)i;
    }
    tables_ready = 1;
}

int ref_aes_set_key(ref_aes_key_t *k, const uint8_t *key, size_t key_len)
{
    if (key_len != 16 && key_len != 24 && key_len != 32)
        return -1;
    make_tables();
    unsigned nk = (unsigned)key_len / 4;
    k->rounds = nk + 6;
    unsigned total = 4 * (k->rounds + 1);
    uint8_t w[60][4];
    memcpy(w, key, key_len);
    uint8_t rcon = 1;
    for (unsigned i = nk; i < total; i++) {
        uint8_t t[4];
        memcpy(t, w[i - 1], 4);
        if (i % nk == 0) {
            uint8_t first = t[0];
            t[0] = (uint8_t)(sbox[t[1]] ^ rcon);
            t[1] = sbox[t[2]];
            t[2] = sbox[t[3]];
            t[3] = sbox[first];
            rcon = xtime(rcon);
        } else if (nk > 6 && i % nk == 4) {
            for (unsigned j = 0; j < 4; j++)
                t[j] = sbox[t[j]];
        }
        for (unsigned j = 0; j < 4; j++)
            w[i][j] = (uint8_t)(w[i - nk][j] ^ t[j]);
    }
    memcpy(k->round_keys, w, 4 * total);
    return 0;
}

static void add_round_key(uint8_t s[16], const uint8_t rk[16])
{
    for (unsigned i = 0; i < 16; i++)
        s[i] ^= rk[i];
}

/* State is column-major as in FIPS 197: byte r + 4c is row r, column c. */
static void shift_rows(uint8_t s[16], int inverse)
{
    uint8_t t[16];
    for (unsigned r = 0; r < 4; r++) {
        for (unsigned c = 0; c < 4; c++) {
            unsigned from = inverse ? (c + 4 - r) % 4 : (c + r) % 4;
            t[r + 4 * c] = s[r + 4 * from];
        }
    }
    memcpy(s, t, 16);
}

static void mix_columns(uint8_t s[16], int inverse)
{
    static const uint8_t fwd[4] = {2, 3, 1, 1};
    static const uint8_t inv[4] = {14, 11, 13, 9};
    const uint8_t *m = inverse ? inv : fwd;
    for (unsigned c = 0; c < 4; c++) {
        uint8_t col[4];
        memcpy(col, s + 4 * c, 4);
        for (unsigned r = 0; r < 4; r++) {
            s[4 * c + r] =
                (uint8_t)(gf_mul(col[0], m[(4 - r) % 4]) ^ gf_mul(col[1], m[(5 - r) % 4]) ^
                          gf_mul(col[2], m[(6 - r) % 4]) ^ gf_mul(col[3], m[(7 - r) % 4]));
        }
    }
}

void ref_aes_encrypt(const ref_aes_key_t *k, const uint8_t in[16], uint8_t out[16])
{
    uint8_t s[16];
    memcpy(s, in, 16);
    add_round_key(s, k->round_keys[0]);
    for (unsigned round = 1; round <= k->rounds; round++) {
        for (unsigned i = 0; i < 16; i++)
            s[i] = sbox[s[i]];
        shift_rows(s, 0);
        if (round != k->rounds)
            mix_columns(s, 0);
        add_round_key(s, k->round_keys[round]);
    }
    memcpy(out, s, 16);
}

void ref_aes_decrypt(const ref_aes_key_t *k, const uint8_t in[16], uint8_t out[16])
{
    uint8_t s[16];
    memcpy(s, in, 16);
    add_round_key(s, k->round_keys[k->rounds]);
    for (unsigned round = k->rounds; round >= 1; round--) {
        shift_rows(s, 1);
        for (unsigned i = 0; i < 16; i++)
            s[i] = inv_sbox[s[i]];
        add_round_key(s, k->round_keys[round - 1]);
        if (round != 1)
            mix_columns(s, 1);
    }
    memcpy(out, s, 16);
}

void ref_gf128_mul(const uint8_t x[16], const uint8_t y[16], uint8_t out[16])
{
    uint8_t z[16] = {0};
    uint8_t v[16];
    memcpy(v, y, 16);
    for (unsigned i = 0; i < 128; i++) {
        if (x[i / 8] & (0x80u >> (i % 8))) {
            for (unsigned j = 0; j < 16; j++)
                z[j] ^= v[j];
        }
        unsigned lsb = v[15] & 1u;
        for (unsigned j = 15; j > 0; j--)
            v[j] = (uint8_t)((v[j] >> 1) | (v[j - 1] << 7));
        v[0] >>= 1;
        if (lsb)
            v[0] ^= 0xE1u;
    }
    memcpy(out, z, 16);
}
