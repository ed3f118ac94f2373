/* TEST ONLY entropy from a seed the host sends (CTRL_ENTROPY) on emulated
 * boards: SHA-256(seed || counter) blocks. The same seed gives the same
 * stream, which is the point (repeatable runs); it is never used on a board
 * with a real RNG (port_accepts_host_entropy is false there). */
#ifndef TLSRIG_HOST_SEED_H
#define TLSRIG_HOST_SEED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HOST_SEED_MIN 16u
#define HOST_SEED_MAX 64u

/* 0, or -1 when len is outside HOST_SEED_MIN..HOST_SEED_MAX. Restarts the
 * stream. */
int host_seed_set(const uint8_t *seed, size_t len);
bool host_seed_present(void);
/* 0, or -1 without a seed (nothing may run on a predictable DRBG by
 * accident) or when SHA-256 fails. */
int host_seed_fill(uint8_t *buf, size_t len);

#endif
