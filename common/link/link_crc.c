/* CRC-32/IEEE as zlib computes it: reflected polynomial 0xEDB88320, initial
 * value and final xor 0xFFFFFFFF. A 16-entry table (one nibble at a time) keeps
 * flash use at 64 bytes while being several times faster than bit by bit. */
#include "link_internal.h"

static const uint32_t crc_nibble_table[16] = {
    0x00000000u, 0x1DB71064u, 0x3B6E20C8u, 0x26D930ACu, 0x76DC4190u, 0x6B6B51F4u,
    0x4DB26158u, 0x5005713Cu, 0xEDB88320u, 0xF00F9344u, 0xD6D6A3E8u, 0xCB61B38Cu,
    0x9B64C2B0u, 0x86D3D2D4u, 0xA00AE278u, 0xBDBDF21Cu,
};

uint32_t link_crc32_update(uint32_t crc, const uint8_t *buf, size_t len)
{
    crc = ~crc;
    for (size_t i = 0; i < len; i++) {
        crc ^= buf[i];
        crc = (crc >> 4) ^ crc_nibble_table[crc & 0x0Fu];
        crc = (crc >> 4) ^ crc_nibble_table[crc & 0x0Fu];
    }
    return ~crc;
}

uint32_t link_crc32(const uint8_t *buf, size_t len)
{
    return link_crc32_update(0, buf, len);
}
