/*
 * Driver bugs seen in the field, reproducible on request (they are bugs in driver code, so
 * the switch lives in the driver, not in the peripheral models):
 *   aes-key-interleave  key registers not reloaded when AES contexts alternate
 *   sha-clone           a cloned SHA context shares the hardware state of its source
 *   rng-byte-replicate  one random byte copied into all four bytes of a word
 * Each fires on every Nth event of its kind (1 = always, 0 = off). Off in production images:
 * with TLSRIG_HW_NO_FAULTS defined the switches compile to constants.
 */
#ifndef TLSRIG_HW_DRIVER_FAULT_H
#define TLSRIG_HW_DRIVER_FAULT_H

#include <stddef.h>

typedef enum {
    HW_DRIVER_FAULT_AES_KEY_INTERLEAVE,
    HW_DRIVER_FAULT_SHA_CLONE,
    HW_DRIVER_FAULT_RNG_BYTE_REPLICATE,
    HW_DRIVER_FAULT_COUNT
} hw_driver_fault_t;

/* Returns 0, or -1 for a name that is not a driver fault. */
int hw_driver_fault_set(const char *name, unsigned every_n);
void hw_driver_fault_clear_all(void);
const char *hw_driver_fault_name(size_t index); /* NULL after the last */

/* For the drivers: 1 when this event is the every_n-th of an armed fault. */
int hw_driver_fault_fires(hw_driver_fault_t fault);

#endif
