/*
 * Sim port: register-level models of the STM32F4 CRYP, HASH and RNG (RM0090) behind
 * periph_read32()/periph_write32() (target/crypto/hw/stm32_regs.h with TLSRIG_PERIPH_SIM).
 *
 * Silicon faults are injected here; driver bugs are switches in the driver
 * (hw_driver_fault_set(), target/crypto/hw/hw_driver_fault.h).
 */
#ifndef TLSRIG_PERIPH_SIM_H
#define TLSRIG_PERIPH_SIM_H

#include <stddef.h>
#include <stdint.h>

/* Power-on state for all three models; faults are cleared too. */
void periph_sim_reset(void);

/*
 * Inject a silicon fault: it fires on every Nth event of its kind (every_n = 1: always,
 * 0: off). Names: aes-bitflip, stale-iv, gcm-tag, sha-interleave, rng-stuck, rng-seed-error,
 * rng-clock-error. Returns 0, or -1 for an unknown name.
 */
int periph_fault_set(const char *name, unsigned every_n);
void periph_fault_clear_all(void);
/* Names for listings: index 0.. until NULL. */
const char *periph_fault_name(size_t index);

/*
 * Flag timing: every operation (a CRYP block, key preparation, GCM init, a HASH block or
 * digest, the next RNG word) completes only after `polls` reads of that peripheral's status or
 * control register, as on silicon, where the CPU polls while the engine works. 0 (the reset
 * value) = instantaneous. A value above PERIPH_WAIT_LIMIT is a peripheral that never answers:
 * every driver wait must end in an error, not a hang.
 */
void periph_sim_set_latency(unsigned polls);

/* RNG model output is a deterministic sequence from this seed (reproducible runs). */
void periph_rng_seed(uint64_t seed);

/* Bus accesses outside any modelled register (driver bugs show up here). */
unsigned long periph_bus_errors(void);

#endif
