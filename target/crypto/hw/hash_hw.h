/*
 * HASH engine access shared by the SHA-1 and SHA-256 ALT drivers.
 *
 * Contexts take turns on one engine: the context whose state is in the engine is the "owner";
 * when another context needs the engine the owner's state is saved into it (CSR registers)
 * and the other's restored. Data reaches the engine in whole 64-byte blocks only (a context
 * swap is allowed at block boundaries, RM0090), the rest waits in the context.
 */
#ifndef TLSRIG_HASH_HW_H
#define TLSRIG_HASH_HW_H

#include <stddef.h>
#include <stdint.h>

#include "stm32_regs.h"

typedef struct {
    uint32_t id;      /* 0: not started; identifies the context to the engine owner check */
    uint32_t algo_cr; /* HASH_CR_ALGO_* */
    int saved;        /* csr holds this context's engine state */
    uint32_t csr[HASH_CSR_COUNT_NO_HMAC];
    unsigned char buf[64]; /* bytes not yet given to the engine */
    size_t buf_len;
} hw_hash_state_t;

#define HW_HASH_ERR_BAD_INPUT (-1)
#define HW_HASH_ERR_HW (-2)

void hw_hash_init(hw_hash_state_t *st);
void hw_hash_free(hw_hash_state_t *st);
int hw_hash_start(hw_hash_state_t *st, uint32_t algo_cr);
int hw_hash_update(hw_hash_state_t *st, const unsigned char *data, size_t len);
/* digest_words: 5 (SHA-1), 7 (SHA-224) or 8 (SHA-256). The context must be started again. */
int hw_hash_finish(hw_hash_state_t *st, unsigned char *digest, unsigned digest_words);
/* dst becomes an independent copy of src (both may go on separately). */
void hw_hash_clone(hw_hash_state_t *dst, const hw_hash_state_t *src);

#endif
