/* SELFTEST's per-primitive TLV (selftest_wire.h), shared by the mbedTLS and wolfSSL agents. */
#include "selftest_wire.h"

#include <stdint.h>
#include <string.h>

#include "proto.h"

void selftest_put_result(tlv_writer_t *w, const crypto_selftest_result_t *r)
{
    uint8_t buf[160];
    tlv_writer_t in;
    tlv_writer_init(&in, buf, sizeof buf);
    tlv_put_str(&in, T_PRIM_NAME, r->name);
    tlv_put_u8(&in, T_PRIM_STATUS,
               r->status == CRYPTO_SELFTEST_PASS   ? 0
               : r->status == CRYPTO_SELFTEST_FAIL ? 1
                                                   : 2);
    tlv_put_u32(&in, T_PRIM_OPS, (uint32_t)r->ops);
    tlv_put_u32(&in, T_PRIM_BYTES, (uint32_t)r->bytes);
    if (r->failed_vector) {
        char failed[64];
        size_t n = strlen(r->failed_vector);
        n = n < sizeof failed - 1u ? n : sizeof failed - 1u;
        memcpy(failed, r->failed_vector, n);
        failed[n] = '\0';
        tlv_put_str(&in, T_PRIM_FAILED, failed);
    }
    tlv_put_bytes(w, T_PRIMITIVE, buf, in.len);
}
