/*
 * HASH model (RM0090 section 24): SHA-1, SHA-224, SHA-256 (MD5 and HMAC are not modelled),
 * 16-word input FIFO, DATATYPE swapping, NBLW + DCAL for the last word, digest registers,
 * and the context swap registers CSR0..CSR53.
 *
 * A full FIFO is compressed when the 17th word arrives (or on DCAL), because only then is it
 * known not to be the last block, whose last word NBLW may cut. DINIS is set at block
 * boundaries (FIFO empty or full), when a context save is allowed. CSR layout (opaque on
 * silicon, the model's own): CSR0..7 chaining state, CSR8/9 words accepted (low/high),
 * CSR10 = CR latched at INIT, CSR11 FIFO word count, CSR12..27 FIFO.
 *
 * Timing (periph_sim_set_latency()): a compressed block keeps BUSY set for N polls (reads of SR
 * or CR), and the digest (DCIS, HR registers) comes N polls after DCAL. The FIFO is free again
 * as soon as the block is in the core, so DINIS can be set while BUSY is: a context saved then
 * holds the chaining state from before the block (CSR0..7 are mid-update), which is why RM0090
 * saves only with DINIS = 1 and BUSY = 0.
 */
#include "periph_models.h"
#include "ref_sha.h"
#include "stm32_regs.h"

#include <string.h>

static struct {
    uint32_t cr, str, imr;
    uint32_t algo_cr; /* CR as latched by INIT: algorithm and DATATYPE */
    uint32_t state[8];
    uint64_t words; /* 32-bit words accepted since INIT */
    uint32_t fifo[HASH_FIFO_WORDS];
    unsigned fifo_count;
    uint32_t digest[8];
    int digest_ready;
    int restore_dropped; /* sha-interleave: this context restore is being lost */
    uint32_t csr_extra[HASH_CSR_COUNT];
    unsigned busy_polls;      /* a block or the digest still in the core */
    uint32_t state_before[8]; /* what CSR0..7 show while busy */
    uint32_t digest_next[8];  /* the digest once the core is done */
    int digest_pending;
} h;

static int is_sha1(void)
{
    return (h.algo_cr & HASH_CR_ALGO_MASK) == HASH_CR_ALGO_SHA1;
}

static void init_state(void)
{
    uint32_t algo = h.algo_cr & HASH_CR_ALGO_MASK;
    if (algo == HASH_CR_ALGO_SHA224)
        ref_sha224_init(h.state);
    else if (algo == HASH_CR_ALGO_SHA256)
        ref_sha256_init(h.state);
    else
        ref_sha1_init(h.state);
    h.words = 0;
    h.fifo_count = 0;
    h.digest_ready = 0;
    h.digest_pending = 0;
    h.busy_polls = 0;
}

void hash_model_reset(void)
{
    memset(&h, 0, sizeof(h));
    init_state();
}

static void compress(const uint32_t block[16])
{
    if (h.busy_polls == 0)
        memcpy(h.state_before, h.state, sizeof(h.state));
    h.busy_polls = periph_sim_latency();
    if (is_sha1())
        ref_sha1_block(h.state, block);
    else
        ref_sha256_block(h.state, block);
}

/* DCAL: pad the words in the FIFO (last one has NBLW valid bits, 0 = all 32) and finish. */
static void finalize(void)
{
    unsigned nblw = h.str & HASH_STR_NBLW_MASK;
    uint64_t bits = h.words * 32u;
    uint32_t block[34] = {0};
    unsigned n = h.fifo_count;
    memcpy(block, h.fifo, n * sizeof(uint32_t));
    if (nblw != 0 && n > 0) {
        bits -= 32u - nblw;
        block[n - 1] &= 0xFFFFFFFFu << (32 - nblw);
        block[n - 1] |= 1u << (31 - nblw);
    } else {
        block[n++] = 0x80000000u;
    }
    /* n is at most 17 here (16 held words + the padding word). */
    unsigned total = n + 2 <= 16 ? 16 : 32;
    block[total - 2] = (uint32_t)(bits >> 32);
    block[total - 1] = (uint32_t)bits;
    compress(block);
    if (total == 32)
        compress(block + 16);
    memcpy(h.digest_next, h.state, sizeof(h.digest_next));
    h.fifo_count = 0;
    h.digest_pending = 1;
    if (h.busy_polls == 0) {
        memcpy(h.digest, h.digest_next, sizeof(h.digest));
        h.digest_ready = 1;
        h.digest_pending = 0;
    }
}

/* One poll of SR or CR: time passes for the core. */
static void poll_tick(void)
{
    if (h.busy_polls == 0 || --h.busy_polls > 0)
        return;
    if (h.digest_pending) {
        memcpy(h.digest, h.digest_next, sizeof(h.digest));
        h.digest_ready = 1;
        h.digest_pending = 0;
    }
}

static void push_word(uint32_t value)
{
    unsigned dt = (h.algo_cr & HASH_CR_DATATYPE_MASK) >> HASH_CR_DATATYPE_SHIFT;
    if (h.fifo_count == HASH_FIFO_WORDS) {
        compress(h.fifo);
        h.fifo_count = 0;
    }
    h.fifo[h.fifo_count++] = periph_swap_in(value, dt);
    h.words++;
}

static uint32_t csr_read(unsigned n)
{
    if (n < 8)
        return h.busy_polls > 0 ? h.state_before[n] : h.state[n];
    if (n == 8)
        return (uint32_t)h.words;
    if (n == 9)
        return (uint32_t)(h.words >> 32);
    if (n == 10)
        return h.algo_cr;
    if (n == 11)
        return h.fifo_count;
    if (n >= 12 && n < 12 + HASH_FIFO_WORDS)
        return h.fifo[n - 12];
    return h.csr_extra[n];
}

static void csr_write(unsigned n, uint32_t value)
{
    /* sha-interleave: every Nth restore (it starts at CSR0) does not reach the core. */
    if (n == 0 && periph_fault_fires(FAULT_SHA_INTERLEAVE))
        h.restore_dropped = 1;
    if (h.restore_dropped)
        return;
    if (n < 8)
        h.state[n] = value;
    else if (n == 8)
        h.words = (h.words & 0xFFFFFFFF00000000u) | value;
    else if (n == 9)
        h.words = (h.words & 0xFFFFFFFFu) | (uint64_t)value << 32;
    else if (n == 10)
        h.algo_cr = value;
    else if (n == 11)
        h.fifo_count = value <= HASH_FIFO_WORDS ? value : HASH_FIFO_WORDS;
    else if (n >= 12 && n < 12 + HASH_FIFO_WORDS)
        h.fifo[n - 12] = value;
    else
        h.csr_extra[n] = value;
    h.digest_ready = 0;
}

uint32_t hash_model_read(uint32_t offset)
{
    if (offset == 0x00u || offset == 0x24u)
        poll_tick();
    if (offset == 0x00u) {
        uint32_t nbw = (h.fifo_count & 0xFu) << HASH_CR_NBW_SHIFT;
        return (h.cr & ~(HASH_CR_INIT | HASH_CR_NBW_MASK | HASH_CR_DINNE)) | nbw |
               (h.fifo_count ? HASH_CR_DINNE : 0u);
    }
    if (offset == 0x04u)
        return 0;
    if (offset == 0x08u)
        return h.str & HASH_STR_NBLW_MASK;
    if (offset >= 0x0Cu && offset < 0x20u)
        return h.digest[(offset - 0x0Cu) / 4];
    if (offset == 0x20u)
        return h.imr;
    if (offset == 0x24u)
        return (h.fifo_count % HASH_FIFO_WORDS == 0 ? HASH_SR_DINIS : 0u) |
               (h.digest_ready ? HASH_SR_DCIS : 0u) | (h.busy_polls > 0 ? HASH_SR_BUSY : 0u);
    if (offset >= 0xF8u && offset < 0xF8u + 4u * HASH_CSR_COUNT)
        return csr_read((offset - 0xF8u) / 4);
    if (offset >= 0x310u && offset < 0x330u)
        return h.digest[(offset - 0x310u) / 4];
    periph_bus_error();
    return 0;
}

void hash_model_write(uint32_t offset, uint32_t value)
{
    if (offset == 0x00u) {
        h.cr = value & ~HASH_CR_INIT;
        if (value & HASH_CR_INIT) {
            h.algo_cr = value & (HASH_CR_ALGO_MASK | HASH_CR_DATATYPE_MASK | HASH_CR_MODE_HMAC);
            h.restore_dropped = 0;
            init_state();
        }
    } else if (offset == 0x04u) {
        push_word(value);
    } else if (offset == 0x08u) {
        h.str = value & HASH_STR_NBLW_MASK;
        if (value & HASH_STR_DCAL)
            finalize();
    } else if (offset == 0x20u) {
        h.imr = value & 3u;
    } else if (offset == 0x24u) {
        if (!(value & HASH_SR_DCIS))
            h.digest_ready = 0; /* DCIS is cleared by writing 0 */
    } else if (offset >= 0xF8u && offset < 0xF8u + 4u * HASH_CSR_COUNT) {
        csr_write((offset - 0xF8u) / 4, value);
    } else {
        periph_bus_error();
    }
}
