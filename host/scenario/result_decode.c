#include "result_decode.h"

#include <stdbool.h>
#include <string.h>

#include "agent_rpc.h"
#include "mbedtls_error_names.h"
#include "mbedtls_states.h"
#include "proto.h"
#include "tlv.h"

json_t *result_decode(const uint8_t *payload, size_t len)
{
    json_t *o = json_object();
    json_t *states = json_object();
    json_t *prims = json_object();
    tlv_reader_t r;
    tlv_item_t it;
    char text[256];
    json_object_set_new(o, "alert_received", json_null());
    json_object_set_new(o, "alert_sent", json_null());
    tlv_reader_init(&r, payload, len);
    while (tlv_next(&r, &it)) {
        uint32_t u32;
        int32_t i32;
        uint64_t u64;
        uint8_t u8;
        switch (it.tag) {
        case T_RET:
            if (tlv_get_i32(&it, &i32)) {
                char name[160];
                json_object_set_new(o, "mbedtls_ret", json_integer(i32));
                json_object_set_new(o, "mbedtls_error",
                                    json_string(mbedtls_error_name(i32, name, sizeof name)));
            }
            break;
        case T_ERR_NAME:
            tlv_get_str(&it, text, sizeof text);
            json_object_set_new(o, "mbedtls_error_text", json_string(text));
            break;
        case T_ALERT_RECEIVED:
            if (tlv_get_u8(&it, &u8)) {
                json_object_set_new(o, "alert_received", json_integer(u8));
            }
            break;
        case T_ALERT_SENT:
            if (tlv_get_u8(&it, &u8)) {
                json_object_set_new(o, "alert_sent", json_integer(u8));
            }
            break;
        case T_RESUMED: /* issue 17 psk13: typed evidence of resumption */
            if (tlv_get_u8(&it, &u8)) {
                json_object_set_new(o, "resumed", json_boolean(u8 != 0));
            }
            break;
        case T_SESSION_SAVED:
            if (tlv_get_u8(&it, &u8)) {
                json_object_set_new(o, "session_saved", json_boolean(u8 != 0));
            }
            break;
        case T_FIRST_RET:
            if (tlv_get_i32(&it, &i32)) {
                json_object_set_new(o, "first_mbedtls_ret", json_integer(i32));
            }
            break;
        case T_VERSION:
            tlv_get_str(&it, text, sizeof text);
            json_object_set_new(o, "version", json_string(text));
            break;
        case T_SUITE:
            tlv_get_str(&it, text, sizeof text);
            json_object_set_new(o, "suite", json_string(text));
            break;
        case T_PEER_CERT:
            tlv_get_str(&it, text, sizeof text);
            json_object_set_new(o, "peer_cert", json_string(text));
            break;
        case T_VERIFY_FLAGS:
            if (tlv_get_u32(&it, &u32)) {
                json_object_set_new(o, "verify_flags", json_integer(u32));
            }
            break;
        case T_STATE_TIMES:
            if (it.len == 5) {
                uint32_t us = (uint32_t)it.value[1] | (uint32_t)it.value[2] << 8 |
                              (uint32_t)it.value[3] << 16 | (uint32_t)it.value[4] << 24;
                json_object_set_new(states, mbedtls_state_name(it.value[0]), json_integer(us));
            }
            break;
        case T_HS_STEPS:
            if (tlv_get_u32(&it, &u32)) {
                json_object_set_new(o, "handshake_steps", json_integer(u32));
            }
            break;
        case T_BYTES_IN:
            if (tlv_get_u32(&it, &u32)) {
                json_object_set_new(o, "bytes_in", json_integer(u32));
            }
            break;
        case T_BYTES_OUT:
            if (tlv_get_u32(&it, &u32)) {
                json_object_set_new(o, "bytes_out", json_integer(u32));
            }
            break;
        case T_HEAP_PEAK:
            if (tlv_get_u32(&it, &u32)) {
                json_object_set_new(o, "heap_peak", json_integer(u32));
            }
            break;
        case T_DURATION_US:
            if (tlv_get_u64(&it, &u64)) {
                json_object_set_new(o, "target_duration_us", json_integer((json_int_t)u64));
            }
            break;
        case T_INSTRUCTIONS: /* QEMU -icount: deterministic guest instructions */
            if (tlv_get_u64(&it, &u64)) {
                json_object_set_new(o, "instructions", json_integer((json_int_t)u64));
            }
            break;
        case T_STACK_PEAK:
            if (tlv_get_u32(&it, &u32)) {
                json_object_set_new(o, "stack_peak", json_integer(u32));
            }
            break;
        case T_PRIMITIVE: {
            const char *name = NULL;
            json_t *p = agent_primitive_json(it.value, it.len, &name);
            if (p) {
                json_object_set_new(prims, name, p);
            }
            break;
        }
        default:
            break;
        }
    }
    json_object_set_new(o, "state_us", states);
    json_object_set_new(o, "primitives", prims);
    if (r.malformed || !json_object_get(o, "mbedtls_ret")) {
        json_decref(o);
        return NULL;
    }
    return o;
}
