/*
 * RNG model (RM0090 section 25): RNGEN, DRDY, seed and clock error status (SECS/CECS with
 * their interrupt flags SEIS/CEIS). Output is a deterministic splitmix64 stream so runs
 * repeat; it stands in for the analogue noise source, it is not a CSPRNG.
 *
 * Timing (periph_sim_set_latency()): a new word is ready (DRDY) N polls of SR after RNGEN is
 * set and after each read of DR; DR read before that returns 0 (RM0090: check DRDY first).
 */
#include "periph_models.h"
#include "stm32_regs.h"

static struct {
    uint32_t cr;
    uint32_t sr_sticky; /* SEIS/CEIS until written 0 */
    uint64_t seed, counter;
    uint32_t last;
    unsigned ready_polls; /* SR polls until the next word is ready */
} r;

static uint64_t default_seed = 0x7153C0FFEE5EEDull;

void rng_model_reset(void)
{
    r.cr = 0;
    r.sr_sticky = 0;
    r.seed = default_seed;
    r.counter = 0;
    r.last = 0;
    r.ready_polls = 0;
}

void rng_model_seed(uint64_t seed)
{
    default_seed = seed;
    r.seed = seed;
    r.counter = 0;
}

static uint32_t next_value(void)
{
    uint64_t z = r.seed + 0x9E3779B97F4A7C15ull * ++r.counter;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return (uint32_t)(z ^ (z >> 31));
}

static uint32_t status(void)
{
    uint32_t sr = r.sr_sticky;
    if (periph_fault_armed(FAULT_RNG_SEED_ERROR))
        sr |= RNG_SR_SECS | RNG_SR_SEIS;
    if (periph_fault_armed(FAULT_RNG_CLOCK_ERROR))
        sr |= RNG_SR_CECS | RNG_SR_CEIS;
    r.sr_sticky = sr & (RNG_SR_SEIS | RNG_SR_CEIS);
    /* No new data while a seed error is present. */
    if ((r.cr & RNG_CR_RNGEN) && !(sr & RNG_SR_SECS) && r.ready_polls == 0)
        sr |= RNG_SR_DRDY;
    return sr;
}

uint32_t rng_model_read(uint32_t offset)
{
    if (offset == 0x00u)
        return r.cr;
    if (offset == 0x04u) {
        if (r.ready_polls > 0)
            r.ready_polls--;
        return status();
    }
    if (offset == 0x08u) {
        if (!(status() & RNG_SR_DRDY))
            return 0;
        r.ready_polls = periph_sim_latency();
        /* rng-stuck: every Nth read repeats the previous value. */
        if (!periph_fault_fires(FAULT_RNG_STUCK))
            r.last = next_value();
        return r.last;
    }
    periph_bus_error();
    return 0;
}

void rng_model_write(uint32_t offset, uint32_t value)
{
    if (offset == 0x00u) {
        if (!(r.cr & RNG_CR_RNGEN) && (value & RNG_CR_RNGEN))
            r.ready_polls = periph_sim_latency();
        r.cr = value & (RNG_CR_RNGEN | RNG_CR_IE);
    } else if (offset == 0x04u)
        r.sr_sticky &= value; /* SEIS/CEIS are cleared by writing 0 */
    else if (offset != 0x08u)
        periph_bus_error();
}
