/* RNG entropy source; see rng_hw.h. */
#include "rng_hw.h"
#include "hw_driver_fault.h"
#include "stm32_regs.h"

#include <string.h>

/* mbedtls/entropy.h's value; repeated so this file needs no mbedTLS headers. */
#define ENTROPY_SOURCE_FAILED (-0x003C)

static uint32_t previous;
static int have_previous;
static hw_rng_stats_t stats;

void hw_rng_reset(void)
{
    previous = 0;
    have_previous = 0;
    memset(&stats, 0, sizeof(stats));
}

void hw_rng_get_stats(hw_rng_stats_t *out)
{
    *out = stats;
}

static int read_word(uint32_t *word)
{
    for (unsigned i = 0; i < PERIPH_WAIT_LIMIT; i++) {
        uint32_t sr = periph_read32(RNG_SR);
        if (sr & RNG_SR_SECS) {
            stats.seed_errors++;
            periph_write32(RNG_SR, ~RNG_SR_SEIS);
            return ENTROPY_SOURCE_FAILED;
        }
        if (sr & RNG_SR_CECS) {
            stats.clock_errors++;
            periph_write32(RNG_SR, ~RNG_SR_CEIS);
            return ENTROPY_SOURCE_FAILED;
        }
        if (sr & RNG_SR_DRDY) {
            *word = periph_read32(RNG_DR);
            stats.words++;
            return 0;
        }
    }
    return ENTROPY_SOURCE_FAILED;
}

int hw_rng_entropy(void *data, unsigned char *out, size_t len, size_t *olen)
{
    (void)data;
    if (olen == NULL || (out == NULL && len > 0))
        return ENTROPY_SOURCE_FAILED;
    *olen = 0;
    if (!(periph_read32(RNG_CR) & RNG_CR_RNGEN))
        periph_write32(RNG_CR, RNG_CR_RNGEN);
    uint32_t word;
    /* The first word after enabling is kept for comparison only. */
    if (!have_previous) {
        if (read_word(&previous) != 0)
            return ENTROPY_SOURCE_FAILED;
        have_previous = 1;
    }
    size_t done = 0;
    while (done < len) {
        if (read_word(&word) != 0)
            return ENTROPY_SOURCE_FAILED;
        if (word == previous) {
            stats.repeats++;
            return ENTROPY_SOURCE_FAILED;
        }
        previous = word;
        /* Field bug: one byte replicated across the word. */
        if (hw_driver_fault_fires(HW_DRIVER_FAULT_RNG_BYTE_REPLICATE))
            word = (word & 0xFFu) * 0x01010101u;
        for (unsigned i = 0; i < 4 && done < len; i++)
            out[done++] = (unsigned char)(word >> (8 * i));
    }
    *olen = len;
    return 0;
}
