/* Per-primitive counters for one handshake: how often mbedTLS called each
 * crypto primitive, on how many bytes, and how long it took. The counting
 * wrappers sit between mbedTLS's TLS layer and its (software or ALT)
 * primitives through the linker's --wrap, so the same code measures the sw
 * and the hw backend. */
#ifndef TLSRIG_PRIM_STATS_H
#define TLSRIG_PRIM_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "tlv.h"

typedef enum prim_id {
    PRIM_AES_GCM,
    PRIM_AES_CBC,
    PRIM_AES_ECB,
    PRIM_SHA256,
    PRIM_SHA1,
    PRIM_SHA512,
    PRIM_ECP_MUL,
    PRIM_RSA_PUBLIC,
    PRIM_COUNT
} prim_id_t;

typedef struct prim_counter {
    uint32_t ops;
    uint32_t bytes;
    uint64_t ns;
} prim_counter_t;

void prim_stats_reset(void);
const prim_counter_t *prim_stats_get(prim_id_t id);
const char *prim_stats_name(prim_id_t id);
/* One T_PRIMITIVE item per primitive that was used. */
void prim_stats_put(tlv_writer_t *w);

#endif
