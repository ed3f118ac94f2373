/* Frame layout before COBS: [chan<<6 | type] [seq] [payload...] [crc32 LE],
 * the CRC covering header and payload. On the wire: COBS(that) then 0x00. */
#include "link_internal.h"

#define LINK_CHANNEL_SHIFT 6u

size_t link_encode_frame(uint8_t channel, uint8_t type, uint8_t seq, const uint8_t *payload,
                         size_t len, uint8_t *out, size_t out_cap)
{
    if (channel >= LINK_CH_COUNT || type > LINK_TYPE_MASK || len > LINK_MAX_PAYLOAD ||
        (len > 0 && payload == NULL) || out_cap < 1) {
        return 0;
    }
    uint8_t header[LINK_HEADER_LEN] = {(uint8_t)(channel << LINK_CHANNEL_SHIFT | type), seq};
    uint32_t crc = link_crc32_update(0, header, sizeof header);
    crc = link_crc32_update(crc, payload, len);
    uint8_t trailer[LINK_CRC_LEN] = {(uint8_t)crc, (uint8_t)(crc >> 8), (uint8_t)(crc >> 16),
                                     (uint8_t)(crc >> 24)};

    link_cobs_writer_t w;
    link_cobs_writer_start(&w, out, out_cap - 1u); /* keep room for the delimiter */
    link_cobs_writer_put(&w, header, sizeof header);
    link_cobs_writer_put(&w, payload, len);
    link_cobs_writer_put(&w, trailer, sizeof trailer);
    size_t n = link_cobs_writer_finish(&w);
    if (n == 0) {
        return 0;
    }
    out[n] = 0;
    return n + 1u;
}

int link_decode_frame(uint8_t *buf, size_t len, link_frame_t *out)
{
    size_t n = link_cobs_decode(buf, len, buf, len);
    if (n == SIZE_MAX || n < LINK_HEADER_LEN + LINK_CRC_LEN || n > LINK_MAX_RAW) {
        return LINK_EFRAME;
    }
    size_t body = n - LINK_CRC_LEN;
    uint32_t want = (uint32_t)buf[body] | (uint32_t)buf[body + 1] << 8 |
                    (uint32_t)buf[body + 2] << 16 | (uint32_t)buf[body + 3] << 24;
    if (link_crc32(buf, body) != want) {
        return LINK_ECRC;
    }
    out->channel = (uint8_t)(buf[0] >> LINK_CHANNEL_SHIFT);
    out->type = (uint8_t)(buf[0] & LINK_TYPE_MASK);
    out->seq = buf[1];
    out->payload = buf + LINK_HEADER_LEN;
    out->len = body - LINK_HEADER_LEN;
    return LINK_OK;
}
