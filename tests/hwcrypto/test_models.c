/*
 * Register-level behaviour of the sim models, driven without the drivers: FIFO flags and BUSY,
 * DATATYPE swapping, key preparation, the GCM partial-block erratum, HASH NBLW/DCAL and
 * context save/restore, RNG DRDY/SECS/CECS, fault switches.
 */
#include <criterion/criterion.h>

#include <string.h>

#include "ossl_ref.h"
#include "periph_sim.h"
#include "stm32_regs.h"

TestSuite(hwcrypto_models, .init = periph_sim_reset);

static const unsigned char key[16] = {0x2b, 0x7e, 0x15, 0x16, 0x28, 0xae, 0xd2, 0xa6,
                                      0xab, 0xf7, 0x15, 0x88, 0x09, 0xcf, 0x4f, 0x3c};

static uint32_t be32(const unsigned char *b)
{
    return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

static uint32_t cr_aes(unsigned algo, unsigned datatype)
{
    return ((algo & 7u) << CRYP_CR_ALGOMODE_LO_SHIFT) | ((algo & 8u) ? CRYP_CR_ALGOMODE_HI : 0u) |
           (datatype << CRYP_CR_DATATYPE_SHIFT);
}

static void load_key128(void)
{
    for (unsigned i = 0; i < 4; i++)
        periph_write32(i % 2 ? CRYP_KRR(2 + i / 2) : CRYP_KLR(2 + i / 2), be32(key + 4 * i));
}

/* Four words in, four words out, for one block with the given DATATYPE. */
static void one_block(uint32_t cr, const uint32_t in[4], uint32_t out[4])
{
    periph_write32(CRYP_CR, cr | CRYP_CR_FFLUSH);
    periph_write32(CRYP_CR, cr | CRYP_CR_CRYPEN);
    for (unsigned i = 0; i < 4; i++)
        periph_write32(CRYP_DIN, in[i]);
    for (unsigned i = 0; i < 4; i++)
        out[i] = periph_read32(CRYP_DOUT);
}

Test(hwcrypto_models, cryp_fifo_flags_and_busy)
{
    load_key128();
    uint32_t cr = cr_aes(CRYP_ALGO_AES_ECB, CRYP_DATATYPE_32);
    periph_write32(CRYP_CR, cr | CRYP_CR_FFLUSH);
    cr_assert_eq(periph_read32(CRYP_SR), CRYP_SR_IFEM | CRYP_SR_IFNF);
    for (unsigned i = 0; i < 8; i++)
        periph_write32(CRYP_DIN, i);
    /* Disabled: data waits; a full IN FIFO clears IFNF. */
    cr_assert_eq(periph_read32(CRYP_SR) & (CRYP_SR_IFNF | CRYP_SR_IFEM | CRYP_SR_OFNE), 0);
    periph_write32(CRYP_CR, cr | CRYP_CR_CRYPEN);
    uint32_t sr = periph_read32(CRYP_SR);
    cr_assert(sr & CRYP_SR_OFFU, "two blocks fill the OUT FIFO");
    cr_assert(sr & CRYP_SR_IFEM);
    /* A third block cannot move on: BUSY until the OUT FIFO is read. */
    for (unsigned i = 0; i < 4; i++)
        periph_write32(CRYP_DIN, i);
    cr_assert(periph_read32(CRYP_SR) & CRYP_SR_BUSY);
    for (unsigned i = 0; i < 4; i++)
        (void)periph_read32(CRYP_DOUT);
    sr = periph_read32(CRYP_SR);
    cr_assert_eq(sr & CRYP_SR_BUSY, 0);
    cr_assert(sr & CRYP_SR_OFFU, "the held block went through");
}

Test(hwcrypto_models, cryp_datatype_swaps_bytes)
{
    static const unsigned char pt[16] = {0x6b, 0xc1, 0xbe, 0xe2, 0x2e, 0x40, 0x9f, 0x96,
                                         0xe9, 0x3d, 0x7e, 0x11, 0x73, 0x93, 0x17, 0x2a};
    unsigned char ref[16];
    ossl_aes("ecb", key, 128, NULL, pt, 16, ref);
    load_key128();
    uint32_t in32[4], in8[4], out32[4], out8[4];
    for (unsigned i = 0; i < 4; i++) {
        in32[i] = be32(pt + 4 * i);
        in8[i] = __builtin_bswap32(in32[i]);
    }
    one_block(cr_aes(CRYP_ALGO_AES_ECB, CRYP_DATATYPE_32), in32, out32);
    one_block(cr_aes(CRYP_ALGO_AES_ECB, CRYP_DATATYPE_8), in8, out8);
    for (unsigned i = 0; i < 4; i++) {
        cr_assert_eq(out32[i], be32(ref + 4 * i), "32-bit word %u", i);
        cr_assert_eq(out8[i], __builtin_bswap32(out32[i]), "8-bit word %u", i);
    }
}

Test(hwcrypto_models, cryp_ecb_decrypt_needs_key_preparation)
{
    load_key128();
    uint32_t ct[4] = {0x3ad77bb4u, 0x0d7a3660u, 0xa89ecaf3u, 0x2466ef97u}, out[4];
    uint32_t pt[4] = {0x6bc1bee2u, 0x2e409f96u, 0xe93d7e11u, 0x7393172au};
    uint32_t dec = cr_aes(CRYP_ALGO_AES_ECB, CRYP_DATATYPE_32) | CRYP_CR_ALGODIR;
    one_block(dec, ct, out);
    cr_assert_neq(out[0], pt[0], "no key preparation: wrong schedule");
    uint32_t prep = cr_aes(CRYP_ALGO_AES_KEYPREP, CRYP_DATATYPE_32) | CRYP_CR_ALGODIR;
    periph_write32(CRYP_CR, prep); /* the mode changes with CRYPEN clear */
    periph_write32(CRYP_CR, prep | CRYP_CR_CRYPEN);
    cr_assert_eq(periph_read32(CRYP_CR) & CRYP_CR_CRYPEN, 0, "CRYPEN clears when done");
    one_block(dec, ct, out);
    cr_assert_arr_eq(out, pt, sizeof(pt));
}

/* GCM through the registers, no correction: the tag of a partial last block is wrong when
 * encrypting, right when decrypting. */
static void raw_gcm(int decrypt, const unsigned char *in, size_t len, unsigned char *out,
                    unsigned char tag[16], const unsigned char iv[12])
{
    uint32_t base = cr_aes(CRYP_ALGO_AES_GCM, CRYP_DATATYPE_32) | (decrypt ? CRYP_CR_ALGODIR : 0);
    load_key128();
    periph_write32(CRYP_CR, base | CRYP_CR_FFLUSH);
    periph_write32(CRYP_IVLR(0), be32(iv));
    periph_write32(CRYP_IVRR(0), be32(iv + 4));
    periph_write32(CRYP_IVLR(1), be32(iv + 8));
    periph_write32(CRYP_IVRR(1), 2);
    periph_write32(CRYP_CR, base | CRYP_CR_CRYPEN);
    cr_assert_eq(periph_read32(CRYP_CR) & CRYP_CR_CRYPEN, 0, "init phase ends by itself");
    periph_write32(CRYP_CR,
                   base | (CRYP_PHASE_PAYLOAD << CRYP_CR_GCM_CCMPH_SHIFT) | CRYP_CR_CRYPEN);
    for (size_t off = 0; off < len; off += 16) {
        unsigned char blk[16] = {0}, o[16];
        memcpy(blk, in + off, len - off < 16 ? len - off : 16);
        for (unsigned i = 0; i < 4; i++)
            periph_write32(CRYP_DIN, be32(blk + 4 * i));
        for (unsigned i = 0; i < 4; i++) {
            uint32_t w = periph_read32(CRYP_DOUT);
            o[4 * i] = (unsigned char)(w >> 24);
            o[4 * i + 1] = (unsigned char)(w >> 16);
            o[4 * i + 2] = (unsigned char)(w >> 8);
            o[4 * i + 3] = (unsigned char)w;
        }
        memcpy(out + off, o, len - off < 16 ? len - off : 16);
    }
    periph_write32(CRYP_CR, base | (CRYP_PHASE_FINAL << CRYP_CR_GCM_CCMPH_SHIFT) | CRYP_CR_CRYPEN);
    uint32_t lengths[4] = {0, 0, (uint32_t)(len * 8 >> 32), (uint32_t)(len * 8)};
    for (unsigned i = 0; i < 4; i++)
        periph_write32(CRYP_DIN, lengths[i]);
    for (unsigned i = 0; i < 4; i++) {
        uint32_t w = periph_read32(CRYP_DOUT);
        tag[4 * i] = (unsigned char)(w >> 24);
        tag[4 * i + 1] = (unsigned char)(w >> 16);
        tag[4 * i + 2] = (unsigned char)(w >> 8);
        tag[4 * i + 3] = (unsigned char)w;
    }
}

Test(hwcrypto_models, gcm_partial_block_erratum)
{
    unsigned char iv[12] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, pt[40], ct[40], back[40];
    unsigned char tag[16], ref_ct[40], ref_tag[16];
    for (unsigned i = 0; i < sizeof(pt); i++)
        pt[i] = (unsigned char)(i * 7);
    /* Whole blocks: exact. */
    raw_gcm(0, pt, 32, ct, tag, iv);
    ossl_gcm(key, 128, iv, 12, NULL, 0, pt, 32, ref_ct, ref_tag);
    cr_assert_arr_eq(ct, ref_ct, 32);
    cr_assert_arr_eq(tag, ref_tag, 16);
    /* Partial last block: ciphertext right, tag wrong (the erratum the driver corrects). */
    raw_gcm(0, pt, 40, ct, tag, iv);
    ossl_gcm(key, 128, iv, 12, NULL, 0, pt, 40, ref_ct, ref_tag);
    cr_assert_arr_eq(ct, ref_ct, 40);
    cr_assert_arr_neq(tag, ref_tag, 16);
    /* Decryption hashes the (zero-padded) input: right. */
    raw_gcm(1, ref_ct, 40, back, tag, iv);
    cr_assert_arr_eq(back, pt, 40);
    cr_assert_arr_eq(tag, ref_tag, 16);
}

static void hash_words(const unsigned char *msg, size_t len, unsigned *nblw)
{
    for (size_t off = 0; off < len; off += 4) {
        unsigned char w[4] = {0};
        memcpy(w, msg + off, len - off < 4 ? len - off : 4);
        periph_write32(HASH_DIN, be32(w));
    }
    *nblw = (unsigned)(len % 4) * 8;
}

static void hash_digest(unsigned words, unsigned char *out)
{
    for (unsigned i = 0; i < words; i++) {
        uint32_t w = periph_read32(HASH_HR(i));
        out[4 * i] = (unsigned char)(w >> 24);
        out[4 * i + 1] = (unsigned char)(w >> 16);
        out[4 * i + 2] = (unsigned char)(w >> 8);
        out[4 * i + 3] = (unsigned char)w;
    }
}

Test(hwcrypto_models, hash_nblw_dcal_and_sha1_registers)
{
    static const unsigned char msg[] =
        "The quick brown fox jumps over the lazy dog, 67 bytes long here.!!";
    size_t len = sizeof(msg) - 1;
    unsigned char d[32], ref[32];
    unsigned nblw;
    periph_write32(HASH_CR, HASH_CR_ALGO_SHA256 | HASH_CR_INIT);
    hash_words(msg, len, &nblw);
    cr_assert_eq(periph_read32(HASH_SR) & HASH_SR_DCIS, 0);
    periph_write32(HASH_STR, nblw);
    periph_write32(HASH_STR, nblw | HASH_STR_DCAL);
    cr_assert(periph_read32(HASH_SR) & HASH_SR_DCIS);
    hash_digest(8, d);
    ossl_digest("sha256", msg, len, ref);
    cr_assert_arr_eq(d, ref, 32);

    periph_write32(HASH_CR, HASH_CR_ALGO_SHA1 | HASH_CR_INIT);
    hash_words(msg, 3, &nblw);
    periph_write32(HASH_STR, nblw | HASH_STR_DCAL);
    ossl_digest("sha1", msg, 3, ref);
    for (unsigned i = 0; i < 5; i++)
        cr_assert_eq(periph_read32(HASH_HR_SHA1(i)), be32(ref + 4 * i), "legacy HR%u", i);
}

Test(hwcrypto_models, hash_context_save_restore)
{
    unsigned char a[128], b[64], d[32], ref[32];
    uint32_t csr[HASH_CSR_COUNT_NO_HMAC];
    unsigned nblw;
    memset(a, 'a', sizeof(a));
    memset(b, 'b', sizeof(b));
    periph_write32(HASH_CR, HASH_CR_ALGO_SHA256 | HASH_CR_INIT);
    hash_words(a, 64, &nblw);
    cr_assert(periph_read32(HASH_SR) & HASH_SR_DINIS, "block boundary: save allowed");
    for (unsigned i = 0; i < HASH_CSR_COUNT_NO_HMAC; i++)
        csr[i] = periph_read32(HASH_CSR(i));
    /* Another message in between. */
    periph_write32(HASH_CR, HASH_CR_ALGO_SHA224 | HASH_CR_INIT);
    hash_words(b, 64, &nblw);
    periph_write32(HASH_STR, HASH_STR_DCAL);
    /* Restore and finish the first. */
    periph_write32(HASH_CR, HASH_CR_ALGO_SHA256 | HASH_CR_INIT);
    for (unsigned i = 0; i < HASH_CSR_COUNT_NO_HMAC; i++)
        periph_write32(HASH_CSR(i), csr[i]);
    hash_words(a + 64, 64, &nblw);
    periph_write32(HASH_STR, HASH_STR_DCAL);
    hash_digest(8, d);
    ossl_digest("sha256", a, 128, ref);
    cr_assert_arr_eq(d, ref, 32);

    /* sha-interleave: the restore is lost, the digest is that of the second half only. */
    cr_assert_eq(periph_fault_set("sha-interleave", 1), 0);
    periph_write32(HASH_CR, HASH_CR_ALGO_SHA256 | HASH_CR_INIT);
    for (unsigned i = 0; i < HASH_CSR_COUNT_NO_HMAC; i++)
        periph_write32(HASH_CSR(i), csr[i]);
    hash_words(a + 64, 64, &nblw);
    periph_write32(HASH_STR, HASH_STR_DCAL);
    hash_digest(8, d);
    ossl_digest("sha256", a, 64, ref);
    cr_assert_arr_eq(d, ref, 32);
}

Test(hwcrypto_models, rng_flags)
{
    cr_assert_eq(periph_read32(RNG_SR) & RNG_SR_DRDY, 0, "disabled: no data");
    periph_write32(RNG_CR, RNG_CR_RNGEN);
    cr_assert(periph_read32(RNG_SR) & RNG_SR_DRDY);
    uint32_t w1 = periph_read32(RNG_DR), w2 = periph_read32(RNG_DR);
    cr_assert_neq(w1, w2);

    cr_assert_eq(periph_fault_set("rng-stuck", 1), 0);
    uint32_t s1 = periph_read32(RNG_DR), s2 = periph_read32(RNG_DR);
    cr_assert_eq(s1, s2, "stuck output repeats");

    cr_assert_eq(periph_fault_set("rng-seed-error", 1), 0);
    uint32_t sr = periph_read32(RNG_SR);
    cr_assert(sr & RNG_SR_SECS);
    cr_assert(sr & RNG_SR_SEIS);
    cr_assert_eq(sr & RNG_SR_DRDY, 0, "no data during a seed error");
    cr_assert_eq(periph_fault_set("rng-seed-error", 0), 0);
    cr_assert(periph_read32(RNG_SR) & RNG_SR_SEIS, "SEIS stays until written 0");
    periph_write32(RNG_SR, ~RNG_SR_SEIS);
    cr_assert_eq(periph_read32(RNG_SR) & (RNG_SR_SEIS | RNG_SR_SECS), 0);
}

Test(hwcrypto_models, rng_seed_makes_runs_repeat)
{
    periph_rng_seed(1234);
    periph_write32(RNG_CR, RNG_CR_RNGEN);
    uint32_t first = periph_read32(RNG_DR);
    periph_sim_reset();
    periph_rng_seed(1234);
    periph_write32(RNG_CR, RNG_CR_RNGEN);
    cr_assert_eq(periph_read32(RNG_DR), first);
    periph_rng_seed(999);
    cr_assert_neq(periph_read32(RNG_DR), first);
}

Test(hwcrypto_models, unmapped_and_unaligned_accesses_count_as_bus_errors)
{
    cr_assert_eq(periph_bus_errors(), 0);
    (void)periph_read32(0x40000000u);
    periph_write32(CRYP_BASE + 2, 1);
    (void)periph_read32(HASH_BASE + 0x200u);
    cr_assert_eq(periph_bus_errors(), 3);
}
