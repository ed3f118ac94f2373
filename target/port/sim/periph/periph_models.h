/* Internal interface between the bus (periph_bus.c) and the three peripheral models. */
#ifndef TLSRIG_PERIPH_MODELS_H
#define TLSRIG_PERIPH_MODELS_H

#include <stdint.h>

typedef enum {
    FAULT_AES_BITFLIP,
    FAULT_STALE_IV,
    FAULT_GCM_TAG,
    FAULT_SHA_INTERLEAVE,
    FAULT_RNG_STUCK,
    FAULT_RNG_SEED_ERROR,
    FAULT_RNG_CLOCK_ERROR,
    FAULT_COUNT
} periph_fault_t;

/* 1 when the fault is armed and this is its every_n-th event. */
int periph_fault_fires(periph_fault_t fault);
/* 1 when the fault is armed at all (for faults that are states, not events). */
int periph_fault_armed(periph_fault_t fault);
void periph_bus_error(void);
/* Polls (status/control register reads) an operation takes; periph_sim_set_latency(). */
unsigned periph_sim_latency(void);

/* Register offset from the peripheral's base. 0 from a read of an unmapped offset. */
void cryp_model_reset(void);
uint32_t cryp_model_read(uint32_t offset);
void cryp_model_write(uint32_t offset, uint32_t value);

void hash_model_reset(void);
uint32_t hash_model_read(uint32_t offset);
void hash_model_write(uint32_t offset, uint32_t value);

void rng_model_reset(void);
void rng_model_seed(uint64_t seed);
uint32_t rng_model_read(uint32_t offset);
void rng_model_write(uint32_t offset, uint32_t value);

/* DATATYPE swapping shared by CRYP and HASH: CPU word <-> big-endian data word. */
uint32_t periph_swap_in(uint32_t word, unsigned datatype);
uint32_t periph_swap_out(uint32_t word, unsigned datatype);

#endif
