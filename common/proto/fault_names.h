/* The crypto faults the sim target can inject (CTRL_FAULT), in one list for
 * the agent and the host: the peripheral models implement the silicon
 * faults, the STM32 drivers the driver bugs, and the host refuses any other
 * name before a run starts. docs/hw-crypto.md describes each. The order of
 * each list is the order of its enum (periph_models.h, hw_driver_fault.h). */
#ifndef TLSRIG_FAULT_NAMES_H
#define TLSRIG_FAULT_NAMES_H

#define TLSRIG_SILICON_FAULTS(X)                                                                   \
    X(FAULT_AES_BITFLIP, "aes-bitflip")                                                            \
    X(FAULT_STALE_IV, "stale-iv")                                                                  \
    X(FAULT_GCM_TAG, "gcm-tag")                                                                    \
    X(FAULT_SHA_INTERLEAVE, "sha-interleave")                                                      \
    X(FAULT_RNG_STUCK, "rng-stuck")                                                                \
    X(FAULT_RNG_SEED_ERROR, "rng-seed-error")                                                      \
    X(FAULT_RNG_CLOCK_ERROR, "rng-clock-error")

#define TLSRIG_DRIVER_FAULTS(X)                                                                    \
    X(HW_DRIVER_FAULT_AES_KEY_INTERLEAVE, "aes-key-interleave")                                    \
    X(HW_DRIVER_FAULT_SHA_CLONE, "sha-clone")                                                      \
    X(HW_DRIVER_FAULT_RNG_BYTE_REPLICATE, "rng-byte-replicate")

#endif
