#include "ctrl_request.h"

#include <string.h>

#include "proto.h"
#include "tlv.h"

/* The whole payload must be well-formed TLV: a length running past the end
 * means the request was damaged or forged, whatever the tags before it said. */
static bool tlv_well_formed(const uint8_t *buf, size_t len)
{
    tlv_reader_t r;
    tlv_item_t it;
    tlv_reader_init(&r, buf, len);
    while (tlv_next(&r, &it)) {
    }
    return !r.malformed;
}

static uint8_t decode_data(const uint8_t *payload, size_t len, ctrl_request_t *out)
{
    tlv_item_t it;
    if (!tlv_find(payload, len, T_DATA, &it)) {
        return ST_ERR_MALFORMED;
    }
    out->u.data.data = it.value;
    out->u.data.len = it.len;
    return ST_OK;
}

static uint8_t decode_fault(const uint8_t *payload, size_t len, ctrl_request_t *out)
{
    tlv_item_t it;
    if (!tlv_find(payload, len, T_FAULT_NAME, &it) || it.len == 0 ||
        it.len >= sizeof out->u.fault.name || memchr(it.value, 0, it.len) != NULL ||
        !tlv_get_str(&it, out->u.fault.name, sizeof out->u.fault.name)) {
        return ST_ERR_MALFORMED;
    }
    out->u.fault.every = 0;
    if (tlv_find(payload, len, T_FAULT_EVERY, &it) && !tlv_get_u32(&it, &out->u.fault.every)) {
        return ST_ERR_MALFORMED;
    }
    return ST_OK;
}

uint8_t ctrl_request_decode(uint8_t type, const uint8_t *payload, size_t len, ctrl_request_t *out)
{
    memset(out, 0, sizeof *out);
    out->type = type;
    if (len > 0 && payload == NULL) {
        out->status = ST_ERR_MALFORMED;
        return out->status;
    }
    switch (type) {
    case CTRL_HELLO:
    case CTRL_CA_CLEAR:
    case CTRL_SELFTEST:
    case CTRL_BENCH:
    case CTRL_PING:
    case CTRL_RESET:
        out->status = ST_OK;
        break;
    case CTRL_CA_DATA:
    case CTRL_ENTROPY:
        out->status =
            tlv_well_formed(payload, len) ? decode_data(payload, len, out) : ST_ERR_MALFORMED;
        break;
    case CTRL_FAULT:
        out->status =
            tlv_well_formed(payload, len) ? decode_fault(payload, len, out) : ST_ERR_MALFORMED;
        break;
    case CTRL_HANDSHAKE:
        out->status =
            hs_settings_decode(payload, len, &out->u.handshake) ? ST_OK : ST_ERR_MALFORMED;
        break;
    default:
        out->status = ST_ERR_UNSUPPORTED;
        break;
    }
    return out->status;
}
