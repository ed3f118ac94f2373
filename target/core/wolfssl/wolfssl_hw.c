/* issue 18 wolfint: the hw backend of wolfSSL images (TLSRIG_WOLFSSL_HW, set by
 * tlsrig_agent_image for BACKEND hw): the crypto callback device (target/crypto/wolfssl_cb)
 * serves each handshake's CTX, and its per-primitive counters go into RESULT as T_PRIMITIVE,
 * like the mbedTLS images' prim_stats. On sw images every function here does nothing. */
#include "wolfssl_glue.h"

#include "proto.h"

#if defined(TLSRIG_WOLFSSL_HW)
#include "tlsrig_wolf_hw.h"

int wolfssl_hw_init(void)
{
    return tlsrig_wolf_hw_register();
}

int wolfssl_hw_use(WOLFSSL_CTX *ctx)
{
    return wolfSSL_CTX_SetDevId(ctx, TLSRIG_WOLF_HW_DEVID) == WOLFSSL_SUCCESS ? 0 : BAD_FUNC_ARG;
}

void wolfssl_hw_begin(void)
{
    tlsrig_wolf_hw_hash_release_all();
    tlsrig_wolf_hw_stats_reset();
}

/* Calls (engine-served and handed back to software) and the bytes the engines processed;
 * the device keeps no time. "other" is what the device never offloads: not a primitive. */
void wolfssl_hw_put_prims(tlv_writer_t *w)
{
    for (int i = 0; i < (int)TLSRIG_WOLF_HW_PRIM_COUNT; i++) {
        const tlsrig_wolf_hw_counter_t *c = tlsrig_wolf_hw_stats_get((tlsrig_wolf_hw_prim_t)i);
        uint32_t ops = c->hw_ops + c->fallback_ops;
        if (i == TLSRIG_WOLF_HW_OTHER || ops == 0) {
            continue;
        }
        uint8_t buf[64];
        tlv_writer_t in;
        tlv_writer_init(&in, buf, sizeof buf);
        tlv_put_str(&in, T_PRIM_NAME, tlsrig_wolf_hw_stats_name((tlsrig_wolf_hw_prim_t)i));
        tlv_put_u32(&in, T_PRIM_OPS, ops);
        tlv_put_u32(&in, T_PRIM_BYTES, c->hw_bytes);
        tlv_put_u64(&in, T_PRIM_NS, 0);
        if (!in.overflow) {
            tlv_put_bytes(w, T_PRIMITIVE, buf, in.len);
        }
    }
}

void wolfssl_hw_end(void)
{
    /* wolfSSL_free() freed the handshake hashes without telling the device. */
    tlsrig_wolf_hw_hash_release_all();
}
#else
int wolfssl_hw_init(void)
{
    return 0;
}

int wolfssl_hw_use(WOLFSSL_CTX *ctx)
{
    (void)ctx;
    return 0;
}

void wolfssl_hw_begin(void) {}

void wolfssl_hw_put_prims(tlv_writer_t *w)
{
    (void)w;
}

void wolfssl_hw_end(void) {}
#endif
