/*
 * Flag timing of the sim models (periph_sim_set_latency()), driven through registers alone:
 * BUSY and a block's output only after N polls, CRYPEN cleared mid-block cuts the block off,
 * key/IV writes while BUSY are disregarded, key preparation and GCM init hold CRYPEN, HASH
 * BUSY alongside DINIS (CSR0..7 mid-update), DCIS N polls after DCAL, RNG DRDY after each word.
 */
#include <criterion/criterion.h>

#include <string.h>

#include "ossl_ref.h"
#include "periph_sim.h"
#include "stm32_regs.h"

TestSuite(hwcrypto_models_timing, .init = periph_sim_reset);

static const unsigned char key[16] = {0x2b, 0x7e, 0x15, 0x16, 0x28, 0xae, 0xd2, 0xa6,
                                      0xab, 0xf7, 0x15, 0x88, 0x09, 0xcf, 0x4f, 0x3c};

static uint32_t be32(const unsigned char *b)
{
    return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

static uint32_t cr_of(unsigned algo)
{
    return ((algo & 7u) << CRYP_CR_ALGOMODE_LO_SHIFT) | ((algo & 8u) ? CRYP_CR_ALGOMODE_HI : 0u) |
           (CRYP_DATATYPE_32 << CRYP_CR_DATATYPE_SHIFT);
}

static void load_key(const unsigned char k[16])
{
    for (unsigned i = 0; i < 4; i++)
        periph_write32(i % 2 ? CRYP_KRR(2 + i / 2) : CRYP_KLR(2 + i / 2), be32(k + 4 * i));
}

static void start(unsigned algo)
{
    periph_write32(CRYP_CR, cr_of(algo) | CRYP_CR_FFLUSH);
    periph_write32(CRYP_CR, cr_of(algo) | CRYP_CR_CRYPEN);
}

static void put_block(const unsigned char b[16])
{
    for (unsigned i = 0; i < 4; i++)
        periph_write32(CRYP_DIN, be32(b + 4 * i));
}

static void get_block(unsigned char b[16])
{
    for (unsigned i = 0; i < 4; i++) {
        uint32_t w = periph_read32(CRYP_DOUT);
        b[4 * i] = (unsigned char)(w >> 24);
        b[4 * i + 1] = (unsigned char)(w >> 16);
        b[4 * i + 2] = (unsigned char)(w >> 8);
        b[4 * i + 3] = (unsigned char)w;
    }
}

/* Polls of SR until `mask` is set; the number of reads it took. */
static unsigned polls_until(uint32_t sr_addr, uint32_t mask)
{
    for (unsigned n = 1; n < 1000; n++) {
        if (periph_read32(sr_addr) & mask)
            return n;
    }
    return 0;
}

/* Polls of a register until `mask` is clear; the number of reads it took. */
static unsigned polls_until_clear(uint32_t addr, uint32_t mask)
{
    for (unsigned n = 1; n < 1000; n++) {
        if (!(periph_read32(addr) & mask))
            return n;
    }
    return 0;
}

Test(hwcrypto_models_timing, cryp_block_is_busy_for_the_latency)
{
    static const unsigned char pt[16] = "sixteen byte msg";
    unsigned char ct[16], ref[16];
    periph_sim_set_latency(5);
    load_key(key);
    start(CRYP_ALGO_AES_ECB);
    put_block(pt);
    uint32_t sr = periph_read32(CRYP_SR); /* poll 1 */
    cr_assert(sr & CRYP_SR_BUSY, "the block is in the core");
    cr_assert_eq(sr & CRYP_SR_OFNE, 0, "no output yet");
    cr_assert_eq(polls_until(CRYP_SR, CRYP_SR_OFNE), 4, "output on the 5th poll");
    cr_assert_eq(periph_read32(CRYP_SR) & CRYP_SR_BUSY, 0);
    get_block(ct);
    ossl_aes("ecb", key, 128, NULL, pt, 16, ref);
    cr_assert_arr_eq(ct, ref, 16);
}

Test(hwcrypto_models_timing, crypen_cleared_mid_block_loses_the_block)
{
    static const unsigned char pt[16] = "sixteen byte msg";
    static const unsigned char iv[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
    periph_sim_set_latency(5);
    load_key(key);
    periph_write32(CRYP_CR, cr_of(CRYP_ALGO_AES_CBC) | CRYP_CR_FFLUSH);
    for (unsigned i = 0; i < 4; i++)
        periph_write32(i % 2 ? CRYP_IVRR(i / 2) : CRYP_IVLR(i / 2), be32(iv + 4 * i));
    periph_write32(CRYP_CR, cr_of(CRYP_ALGO_AES_CBC) | CRYP_CR_CRYPEN);
    put_block(pt);
    periph_write32(CRYP_CR, cr_of(CRYP_ALGO_AES_CBC)); /* CRYPEN cleared while BUSY */
    for (unsigned i = 0; i < 10; i++)
        (void)periph_read32(CRYP_SR);
    cr_assert_eq(periph_read32(CRYP_SR) & (CRYP_SR_OFNE | CRYP_SR_BUSY), 0, "no output");
    cr_assert_eq(periph_read32(CRYP_IVLR(0)), be32(iv), "the chaining value never moved");
    cr_assert_eq(periph_read32(CRYP_IVRR(1)), be32(iv + 12));
}

Test(hwcrypto_models_timing, key_and_iv_writes_while_busy_are_disregarded)
{
    static const unsigned char pt[16] = "sixteen byte msg";
    unsigned char other[16], ct[16], ref[16];
    memset(other, 0x33, sizeof(other));
    periph_sim_set_latency(3);
    load_key(key);
    start(CRYP_ALGO_AES_ECB);
    put_block(pt);
    load_key(other); /* BUSY: ignored */
    periph_write32(CRYP_IVLR(0), 0x12345678u);
    cr_assert_eq(periph_read32(CRYP_IVLR(0)), 0, "IV write while BUSY ignored");
    cr_assert_neq(polls_until(CRYP_SR, CRYP_SR_OFNE), 0);
    get_block(ct);
    put_block(pt); /* the same key as the first block */
    cr_assert_neq(polls_until(CRYP_SR, CRYP_SR_OFNE), 0);
    get_block(ct);
    ossl_aes("ecb", key, 128, NULL, pt, 16, ref);
    cr_assert_arr_eq(ct, ref, 16, "the key loaded while BUSY did not take");
}

Test(hwcrypto_models_timing, key_preparation_and_gcm_init_hold_crypen)
{
    periph_sim_set_latency(4);
    load_key(key);
    periph_write32(CRYP_CR, cr_of(CRYP_ALGO_AES_KEYPREP) | CRYP_CR_ALGODIR | CRYP_CR_CRYPEN);
    cr_assert(periph_read32(CRYP_SR) & CRYP_SR_BUSY, "key preparation runs (poll 1)");
    cr_assert_eq(polls_until_clear(CRYP_CR, CRYP_CR_CRYPEN), 3, "CRYPEN clears on poll 4");

    periph_write32(CRYP_CR, cr_of(CRYP_ALGO_AES_GCM) | CRYP_CR_CRYPEN);
    cr_assert_eq(polls_until_clear(CRYP_CR, CRYP_CR_CRYPEN), 4, "GCM init done on poll 4");
}

Test(hwcrypto_models_timing, key_preparation_cut_off_gives_a_wrong_decryption_key)
{
    static const unsigned char pt[16] = "sixteen byte msg";
    unsigned char ct[16], back[16];
    ossl_aes("ecb", key, 128, NULL, pt, 16, ct);
    periph_sim_set_latency(4);
    load_key(key);
    uint32_t prep = cr_of(CRYP_ALGO_AES_KEYPREP) | CRYP_CR_ALGODIR;
    periph_write32(CRYP_CR, prep | CRYP_CR_CRYPEN);
    periph_write32(CRYP_CR, 0); /* no wait for CRYPEN = 0 */
    uint32_t dec = cr_of(CRYP_ALGO_AES_ECB) | CRYP_CR_ALGODIR;
    periph_write32(CRYP_CR, dec | CRYP_CR_FFLUSH);
    periph_write32(CRYP_CR, dec | CRYP_CR_CRYPEN);
    put_block(ct);
    cr_assert_neq(polls_until(CRYP_SR, CRYP_SR_OFNE), 0);
    get_block(back);
    cr_assert_arr_neq(back, pt, 16, "decrypted without a finished key preparation");
}

Test(hwcrypto_models_timing, hash_busy_with_dinis_shows_the_old_state)
{
    periph_sim_set_latency(6);
    periph_write32(HASH_CR, HASH_CR_ALGO_SHA256 | HASH_CR_INIT);
    uint32_t h0 = periph_read32(HASH_CSR(0));
    for (unsigned i = 0; i < 17; i++) /* the 17th word sends block 1 to the core */
        periph_write32(HASH_DIN, i);
    for (unsigned i = 0; i < 15; i++)
        periph_write32(HASH_DIN, i);
    uint32_t sr = periph_read32(HASH_SR); /* poll 1 */
    cr_assert(sr & HASH_SR_DINIS, "the FIFO is free again");
    cr_assert(sr & HASH_SR_BUSY, "block 1 is still in the core");
    cr_assert_eq(periph_read32(HASH_CSR(0)), h0, "CSR0 mid-update: the state before block 1");
    cr_assert_eq(polls_until_clear(HASH_SR, HASH_SR_BUSY), 5, "BUSY clears on poll 6");
    cr_assert_neq(periph_read32(HASH_CSR(0)), h0, "block 1 is in the state now");
}

Test(hwcrypto_models_timing, hash_digest_comes_after_the_latency)
{
    static const unsigned char msg[3] = {'a', 'b', 'c'};
    unsigned char ref[32];
    ossl_digest("sha256", msg, 3, ref);
    periph_sim_set_latency(3);
    periph_write32(HASH_CR, HASH_CR_ALGO_SHA256 | HASH_CR_INIT);
    periph_write32(HASH_DIN, be32((const unsigned char[4]){'a', 'b', 'c', 0}));
    periph_write32(HASH_STR, 24u | HASH_STR_DCAL);
    cr_assert_neq(periph_read32(HASH_HR(0)), be32(ref), "HR0 before DCIS");
    cr_assert_eq(polls_until(HASH_SR, HASH_SR_DCIS), 3);
    cr_assert_eq(periph_read32(HASH_HR(0)), be32(ref));
    cr_assert_eq(periph_read32(HASH_HR(7)), be32(ref + 28));
}

Test(hwcrypto_models_timing, rng_word_is_ready_after_the_latency)
{
    periph_sim_set_latency(4);
    periph_write32(RNG_CR, RNG_CR_RNGEN);
    cr_assert_eq(periph_read32(RNG_DR), 0, "DR before DRDY");
    cr_assert_eq(polls_until(RNG_SR, RNG_SR_DRDY), 4);
    uint32_t w1 = periph_read32(RNG_DR);
    cr_assert_eq(periph_read32(RNG_SR) & RNG_SR_DRDY, 0, "DRDY clears with the read");
    cr_assert_eq(polls_until(RNG_SR, RNG_SR_DRDY), 3);
    cr_assert_neq(periph_read32(RNG_DR), w1);
}

Test(hwcrypto_models_timing, reset_makes_the_models_instantaneous_again)
{
    periph_sim_set_latency(9);
    periph_sim_reset();
    periph_write32(RNG_CR, RNG_CR_RNGEN);
    cr_assert(periph_read32(RNG_SR) & RNG_SR_DRDY);
}
