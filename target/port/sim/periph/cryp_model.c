/*
 * CRYP model (RM0090 section 23): AES ECB/CBC/CTR, key preparation, GCM phases, 8-word IN and
 * OUT FIFOs, DATATYPE swapping, key/IV registers, GCM context-swap registers.
 *
 * Timing (periph_sim_set_latency()): with latency 0 a block moves from IN to OUT as soon as four
 * words are in the IN FIFO and the OUT FIFO has room. With latency N a block spends N polls (reads
 * of SR or CR) in the core (BUSY, output not yet in OUT), and key preparation and the GCM init
 * phase keep CRYPEN set for N polls. RM0090's procedures wait for BUSY = 0 before CRYPEN is
 * cleared and write key/IV registers only while not busy; the model makes a driver that does
 * not wait visibly wrong: clearing CRYPEN cuts the block in the core off (its output and its
 * GHASH/counter update are lost, a cut-off key preparation or GCM init never completes), and
 * key/IV writes while BUSY are ignored (RM0090: "disregarded when BUSY = 1").
 *
 * Documented silicon behaviour kept on purpose: in GCM encryption the F4 hashes the whole
 * 16-byte output block, so a zero-padded partial last block is hashed with keystream bytes in
 * the padding and the tag is wrong; drivers must correct it (ST's HAL does).
 */
#include "periph_models.h"
#include "ref_aes.h"
#include "stm32_regs.h"

#include <string.h>

static struct {
    uint32_t cr;
    uint32_t key[8]; /* K0LR..K3RR */
    uint32_t iv[4];  /* IV0LR..IV1RR */
    uint32_t in[CRYP_FIFO_WORDS];
    unsigned in_count;
    uint32_t out[CRYP_FIFO_WORDS];
    unsigned out_count;
    int decrypt_key_ready; /* key preparation done for the current key */
    int iv_writes_dropped; /* stale-iv: this IV load is being ignored */
    uint8_t gcm_h[16], gcm_ej0[16], gcm_s[16], gcm_j0[16];
    /* The block in the core: polls left, its output, the state before it (for a cut-off). */
    unsigned core_polls;
    int core_has_output;
    uint32_t core_out[4];
    uint32_t core_iv_before[4];
    uint8_t core_s_before[16];
    unsigned enable_polls; /* key preparation / GCM init still running */
} c;

void cryp_model_reset(void)
{
    memset(&c, 0, sizeof(c));
}

static unsigned algomode(void)
{
    return ((c.cr & CRYP_CR_ALGOMODE_LO_MASK) >> CRYP_CR_ALGOMODE_LO_SHIFT) |
           ((c.cr & CRYP_CR_ALGOMODE_HI) ? 8u : 0u);
}

static unsigned datatype(void)
{
    return (c.cr & CRYP_CR_DATATYPE_MASK) >> CRYP_CR_DATATYPE_SHIFT;
}

static unsigned phase(void)
{
    return (c.cr & CRYP_CR_GCM_CCMPH_MASK) >> CRYP_CR_GCM_CCMPH_SHIFT;
}

static void words_to_bytes(const uint32_t *w, unsigned n, uint8_t *b)
{
    for (unsigned i = 0; i < n; i++) {
        b[4 * i] = (uint8_t)(w[i] >> 24);
        b[4 * i + 1] = (uint8_t)(w[i] >> 16);
        b[4 * i + 2] = (uint8_t)(w[i] >> 8);
        b[4 * i + 3] = (uint8_t)w[i];
    }
}

static void bytes_to_words(const uint8_t *b, unsigned n, uint32_t *w)
{
    for (unsigned i = 0; i < n; i++)
        w[i] = (uint32_t)b[4 * i] << 24 | (uint32_t)b[4 * i + 1] << 16 |
               (uint32_t)b[4 * i + 2] << 8 | b[4 * i + 3];
}

/* The key in use: KEYSIZE selects the last 4, 6 or 8 key words. */
static void current_key(ref_aes_key_t *k)
{
    unsigned ks = (c.cr & CRYP_CR_KEYSIZE_MASK) >> CRYP_CR_KEYSIZE_SHIFT;
    unsigned words = ks == CRYP_KEYSIZE_256 ? 8 : ks == CRYP_KEYSIZE_192 ? 6 : 4;
    uint8_t bytes[32];
    words_to_bytes(c.key + (8 - words), words, bytes);
    ref_aes_set_key(k, bytes, 4 * words);
}

static void xor16(uint8_t *dst, const uint8_t *a, const uint8_t *b)
{
    for (unsigned i = 0; i < 16; i++)
        dst[i] = a[i] ^ b[i];
}

/* The counter is the 32-bit IV1RR only, as in the F4 (no carry into IV1LR). */
static void counter_block_and_step(const ref_aes_key_t *k, uint8_t ks[16])
{
    uint8_t ctr[16];
    words_to_bytes(c.iv, 4, ctr);
    ref_aes_encrypt(k, ctr, ks);
    c.iv[3]++;
}

static void ghash_absorb(const uint8_t block[16])
{
    uint8_t x[16];
    xor16(x, c.gcm_s, block);
    ref_gf128_mul(x, c.gcm_h, c.gcm_s);
}

/* One 16-byte block through the selected mode. Returns 1 when it produces output. */
static int run_block(const uint8_t in[16], uint8_t out[16])
{
    ref_aes_key_t k;
    current_key(&k);
    int decrypt = (c.cr & CRYP_CR_ALGODIR) != 0;
    uint8_t iv[16], tmp[16];
    words_to_bytes(c.iv, 4, iv);

    switch (algomode()) {
    case CRYP_ALGO_AES_ECB:
        if (decrypt)
            ref_aes_decrypt(&k, in, out);
        else
            ref_aes_encrypt(&k, in, out);
        break;
    case CRYP_ALGO_AES_CBC:
        if (decrypt) {
            ref_aes_decrypt(&k, in, tmp);
            xor16(out, tmp, iv);
            bytes_to_words(in, 4, c.iv);
        } else {
            xor16(tmp, in, iv);
            ref_aes_encrypt(&k, tmp, out);
            bytes_to_words(out, 4, c.iv);
        }
        break;
    case CRYP_ALGO_AES_CTR:
        counter_block_and_step(&k, tmp);
        xor16(out, in, tmp);
        break;
    case CRYP_ALGO_AES_GCM:
        if (phase() == CRYP_PHASE_HEADER) {
            ghash_absorb(in);
            return 0;
        }
        if (phase() == CRYP_PHASE_PAYLOAD) {
            counter_block_and_step(&k, tmp);
            xor16(out, in, tmp);
            /* Erratum: encryption hashes the full output block, padding included. */
            ghash_absorb(decrypt ? in : out);
            break;
        }
        if (phase() == CRYP_PHASE_FINAL) {
            ghash_absorb(in);
            xor16(out, c.gcm_s, c.gcm_ej0);
            if (periph_fault_fires(FAULT_GCM_TAG))
                out[15] ^= 0x01u;
            return 1;
        }
        return 0;
    default:
        /* DES/TDES/CCM are not modelled: the block is consumed without output. */
        return 0;
    }
    /* ECB/CBC decryption without a key preparation uses the wrong schedule: garbage. */
    if (decrypt && !c.decrypt_key_ready &&
        (algomode() == CRYP_ALGO_AES_ECB || algomode() == CRYP_ALGO_AES_CBC)) {
        for (unsigned i = 0; i < 16; i++)
            out[i] ^= 0x5Au;
    }
    if (periph_fault_fires(FAULT_AES_BITFLIP))
        out[7] ^= 0x10u;
    return 1;
}

static void core_to_out(void)
{
    if (c.core_has_output) {
        for (unsigned i = 0; i < 4; i++)
            c.out[c.out_count++] = c.core_out[i];
    }
    c.core_has_output = 0;
}

static void process_pending(void)
{
    while (c.core_polls == 0 && (c.cr & CRYP_CR_CRYPEN) && c.in_count >= 4 &&
           c.out_count + 4 <= CRYP_FIFO_WORDS) {
        uint32_t w[4];
        for (unsigned i = 0; i < 4; i++)
            w[i] = periph_swap_in(c.in[i], datatype());
        memmove(c.in, c.in + 4, (c.in_count - 4) * sizeof(uint32_t));
        c.in_count -= 4;
        memcpy(c.core_iv_before, c.iv, sizeof(c.iv));
        memcpy(c.core_s_before, c.gcm_s, sizeof(c.gcm_s));
        uint8_t in[16], out[16];
        words_to_bytes(w, 4, in);
        c.core_has_output = run_block(in, out);
        if (c.core_has_output) {
            bytes_to_words(out, 4, w);
            for (unsigned i = 0; i < 4; i++)
                c.core_out[i] = periph_swap_out(w[i], datatype());
        }
        c.core_polls = periph_sim_latency();
        if (c.core_polls == 0)
            core_to_out();
    }
}

/* CRYPEN cleared with a block in the core: the block never happened. */
static void cut_off_core(void)
{
    if (c.core_polls == 0)
        return;
    memcpy(c.iv, c.core_iv_before, sizeof(c.iv));
    memcpy(c.gcm_s, c.core_s_before, sizeof(c.gcm_s));
    c.core_has_output = 0;
    c.core_polls = 0;
}

static void enable_work_done(void);

/* One poll of SR or CR: time passes for the core. */
static void poll_tick(void)
{
    if (c.core_polls > 0 && --c.core_polls == 0) {
        core_to_out();
        process_pending();
    }
    if (c.enable_polls > 0 && --c.enable_polls == 0) {
        enable_work_done();
        c.cr &= ~CRYP_CR_CRYPEN;
    }
}

/* CRYPEN rising in key-preparation or GCM init phase: one-shot work, then CRYPEN clears. */
static void on_enable(void)
{
    ref_aes_key_t k;
    current_key(&k);
    if (algomode() == CRYP_ALGO_AES_KEYPREP) {
        c.enable_polls = periph_sim_latency();
        if (c.enable_polls == 0) {
            c.decrypt_key_ready = 1;
            c.cr &= ~CRYP_CR_CRYPEN;
        }
        return;
    }
    if (algomode() == CRYP_ALGO_AES_GCM && phase() == CRYP_PHASE_INIT) {
        static const uint8_t zero[16];
        ref_aes_encrypt(&k, zero, c.gcm_h);
        /* IV registers hold the first payload counter (J0 + 1): the tag mask is E(K, J0). */
        words_to_bytes(c.iv, 4, c.gcm_j0);
        uint32_t ctr = ((uint32_t)c.gcm_j0[12] << 24 | (uint32_t)c.gcm_j0[13] << 16 |
                        (uint32_t)c.gcm_j0[14] << 8 | c.gcm_j0[15]) -
                       1u;
        c.gcm_j0[12] = (uint8_t)(ctr >> 24);
        c.gcm_j0[13] = (uint8_t)(ctr >> 16);
        c.gcm_j0[14] = (uint8_t)(ctr >> 8);
        c.gcm_j0[15] = (uint8_t)ctr;
        ref_aes_encrypt(&k, c.gcm_j0, c.gcm_ej0);
        memset(c.gcm_s, 0, sizeof(c.gcm_s));
        c.enable_polls = periph_sim_latency();
        if (c.enable_polls == 0)
            c.cr &= ~CRYP_CR_CRYPEN;
    }
}

/* The one-shot work of on_enable() completes when CRYPEN clears by itself. */
static void enable_work_done(void)
{
    if (algomode() == CRYP_ALGO_AES_KEYPREP)
        c.decrypt_key_ready = 1;
}

/* CRYPEN cleared by software while key preparation or GCM init runs: the work is lost. */
static void cut_off_enable_work(void)
{
    if (c.enable_polls == 0)
        return;
    c.enable_polls = 0;
    if (algomode() == CRYP_ALGO_AES_GCM) {
        memset(c.gcm_h, 0, sizeof(c.gcm_h));
        memset(c.gcm_ej0, 0, sizeof(c.gcm_ej0));
    }
}

/* A block in the core, key preparation or GCM init running, or a block waiting for room. */
static int busy(void)
{
    return c.core_polls > 0 || c.enable_polls > 0 || ((c.cr & CRYP_CR_CRYPEN) && c.in_count >= 4);
}

static uint32_t status(void)
{
    uint32_t sr = 0;
    if (c.in_count == 0)
        sr |= CRYP_SR_IFEM;
    if (c.in_count < CRYP_FIFO_WORDS)
        sr |= CRYP_SR_IFNF;
    if (c.out_count > 0)
        sr |= CRYP_SR_OFNE;
    if (c.out_count == CRYP_FIFO_WORDS)
        sr |= CRYP_SR_OFFU;
    if (busy())
        sr |= CRYP_SR_BUSY;
    return sr;
}

/* Context-swap registers: CSGCMCCM0..3 = GHASH accumulator, 4..7 = E(K, J0); CSGCM0..3 = H. */
static uint8_t *cs_bytes(uint32_t offset, unsigned *word)
{
    if (offset >= 0x50u && offset < 0x70u) {
        unsigned n = (offset - 0x50u) / 4;
        *word = n % 4;
        return n < 4 ? c.gcm_s : c.gcm_ej0;
    }
    unsigned n = (offset - 0x70u) / 4;
    *word = n % 4;
    return n < 4 ? c.gcm_h : c.gcm_j0;
}

uint32_t cryp_model_read(uint32_t offset)
{
    if (offset == 0x00u || offset == 0x04u) {
        poll_tick();
        return offset == 0x00u ? c.cr : status();
    }
    if (offset == 0x08u)
        return 0; /* DIN reads as zero */
    if (offset == 0x0Cu) {
        if (c.out_count == 0)
            return 0;
        uint32_t w = c.out[0];
        memmove(c.out, c.out + 1, (c.out_count - 1) * sizeof(uint32_t));
        c.out_count--;
        process_pending();
        return w;
    }
    if (offset >= 0x10u && offset < 0x20u)
        return 0; /* DMA and interrupt registers: not used, read as reset value */
    if (offset >= 0x20u && offset < 0x40u)
        return 0; /* key registers are write-only */
    if (offset >= 0x40u && offset < 0x50u)
        return c.iv[(offset - 0x40u) / 4];
    if (offset >= 0x50u && offset < 0x90u) {
        unsigned word;
        uint8_t *b = cs_bytes(offset, &word);
        return (uint32_t)b[4 * word] << 24 | (uint32_t)b[4 * word + 1] << 16 |
               (uint32_t)b[4 * word + 2] << 8 | b[4 * word + 3];
    }
    periph_bus_error();
    return 0;
}

void cryp_model_write(uint32_t offset, uint32_t value)
{
    int iv_register = offset >= 0x40u && offset < 0x50u;
    if (!iv_register)
        c.iv_writes_dropped = 0;

    if (offset == 0x00u) {
        uint32_t was = c.cr;
        if (!(value & CRYP_CR_CRYPEN)) {
            cut_off_core();
            cut_off_enable_work();
        }
        c.cr = value & ~CRYP_CR_FFLUSH;
        if (value & CRYP_CR_FFLUSH) {
            c.in_count = 0;
            c.out_count = 0;
        }
        if (!(was & CRYP_CR_CRYPEN) && (c.cr & CRYP_CR_CRYPEN))
            on_enable();
        process_pending();
    } else if (offset == 0x08u) {
        if (c.in_count < CRYP_FIFO_WORDS)
            c.in[c.in_count++] = value;
        process_pending();
    } else if (offset == 0x04u || offset == 0x0Cu || offset == 0x18u || offset == 0x1Cu) {
        /* read-only */
    } else if (offset >= 0x10u && offset < 0x20u) {
        /* DMA/interrupt masks: accepted, not modelled */
    } else if ((offset >= 0x20u && offset < 0x50u) && busy()) {
        /* key and IV writes while BUSY are disregarded */
    } else if (offset >= 0x20u && offset < 0x40u) {
        c.key[(offset - 0x20u) / 4] = value;
        c.decrypt_key_ready = 0;
    } else if (iv_register) {
        /* stale-iv: a whole IV load (starting at IV0LR) is ignored every Nth time. */
        if (offset == 0x40u && periph_fault_fires(FAULT_STALE_IV))
            c.iv_writes_dropped = 1;
        if (!c.iv_writes_dropped)
            c.iv[(offset - 0x40u) / 4] = value;
    } else if (offset >= 0x50u && offset < 0x90u) {
        unsigned word;
        uint8_t *b = cs_bytes(offset, &word);
        b[4 * word] = (uint8_t)(value >> 24);
        b[4 * word + 1] = (uint8_t)(value >> 16);
        b[4 * word + 2] = (uint8_t)(value >> 8);
        b[4 * word + 3] = (uint8_t)value;
    } else {
        periph_bus_error();
    }
}
