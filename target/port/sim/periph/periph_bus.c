/* Address decoding for the sim peripherals, fault registry, DATATYPE swapping. */
#include "periph_sim.h"
#include "fault_names.h"
#include "periph_models.h"
#include "stm32_regs.h"

#include <string.h>

#define PERIPH_WINDOW 0x400u

#define FAULT_NAME(id, name) [id] = name,
static const char *const fault_names[FAULT_COUNT] = {TLSRIG_SILICON_FAULTS(FAULT_NAME)};
#undef FAULT_NAME

static unsigned fault_every[FAULT_COUNT];
static unsigned long fault_events[FAULT_COUNT];
static unsigned long bus_errors;
static int models_ready;
static unsigned latency_polls;

static void ensure_ready(void)
{
    if (!models_ready)
        periph_sim_reset();
}

void periph_sim_reset(void)
{
    models_ready = 1;
    periph_fault_clear_all();
    bus_errors = 0;
    latency_polls = 0;
    cryp_model_reset();
    hash_model_reset();
    rng_model_reset();
}

int periph_fault_set(const char *name, unsigned every_n)
{
    ensure_ready();
    for (unsigned i = 0; i < FAULT_COUNT; i++) {
        if (name && strcmp(name, fault_names[i]) == 0) {
            fault_every[i] = every_n;
            fault_events[i] = 0;
            return 0;
        }
    }
    return -1;
}

void periph_fault_clear_all(void)
{
    memset(fault_every, 0, sizeof(fault_every));
    memset(fault_events, 0, sizeof(fault_events));
}

const char *periph_fault_name(size_t index)
{
    return index < FAULT_COUNT ? fault_names[index] : NULL;
}

int periph_fault_fires(periph_fault_t fault)
{
    if (fault >= FAULT_COUNT || fault_every[fault] == 0)
        return 0;
    return ++fault_events[fault] % fault_every[fault] == 0;
}

int periph_fault_armed(periph_fault_t fault)
{
    return fault < FAULT_COUNT && fault_every[fault] != 0;
}

void periph_sim_set_latency(unsigned polls)
{
    ensure_ready();
    latency_polls = polls;
}

unsigned periph_sim_latency(void)
{
    return latency_polls;
}

void periph_bus_error(void)
{
    bus_errors++;
}

unsigned long periph_bus_errors(void)
{
    return bus_errors;
}

void periph_rng_seed(uint64_t seed)
{
    ensure_ready();
    rng_model_seed(seed);
}

uint32_t periph_read32(uint32_t addr)
{
    ensure_ready();
    if (addr & 3u) {
        periph_bus_error();
        return 0;
    }
    if (addr >= CRYP_BASE && addr < CRYP_BASE + PERIPH_WINDOW)
        return cryp_model_read(addr - CRYP_BASE);
    if (addr >= HASH_BASE && addr < HASH_BASE + PERIPH_WINDOW)
        return hash_model_read(addr - HASH_BASE);
    if (addr >= RNG_BASE && addr < RNG_BASE + PERIPH_WINDOW)
        return rng_model_read(addr - RNG_BASE);
    periph_bus_error();
    return 0;
}

void periph_write32(uint32_t addr, uint32_t value)
{
    ensure_ready();
    if (addr & 3u) {
        periph_bus_error();
        return;
    }
    if (addr >= CRYP_BASE && addr < CRYP_BASE + PERIPH_WINDOW)
        cryp_model_write(addr - CRYP_BASE, value);
    else if (addr >= HASH_BASE && addr < HASH_BASE + PERIPH_WINDOW)
        hash_model_write(addr - HASH_BASE, value);
    else if (addr >= RNG_BASE && addr < RNG_BASE + PERIPH_WINDOW)
        rng_model_write(addr - RNG_BASE, value);
    else
        periph_bus_error();
}

static uint32_t bswap32(uint32_t w)
{
    return (w >> 24) | ((w >> 8) & 0xFF00u) | ((w << 8) & 0xFF0000u) | (w << 24);
}

static uint32_t bitrev32(uint32_t w)
{
    uint32_t r = 0;
    for (unsigned i = 0; i < 32; i++)
        r |= ((w >> i) & 1u) << (31 - i);
    return r;
}

/* RM0090 DATATYPE: 00 none, 01 half-words swapped, 10 bytes swapped, 11 bits swapped. */
uint32_t periph_swap_in(uint32_t word, unsigned datatype)
{
    switch (datatype & 3u) {
    case 1:
        return (word << 16) | (word >> 16);
    case 2:
        return bswap32(word);
    case 3:
        return bitrev32(word);
    default:
        return word;
    }
}

/* Every swap is its own inverse. */
uint32_t periph_swap_out(uint32_t word, unsigned datatype)
{
    return periph_swap_in(word, datatype);
}
