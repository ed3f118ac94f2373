/* Pieces shared between the link's source files; not part of the API. */
#ifndef TLSRIG_LINK_INTERNAL_H
#define TLSRIG_LINK_INTERNAL_H

#include "link.h"

/* Incremental COBS encoder, so a frame is encoded straight from header,
 * payload and CRC without an intermediate copy (targets have small stacks). */
typedef struct link_cobs_writer {
    uint8_t *out;
    size_t cap;
    size_t len;      /* bytes written so far, including the open block's code slot */
    size_t code_pos; /* where the open block's code byte goes */
    uint8_t code;    /* 1 + data bytes in the open block */
    bool overflow;
} link_cobs_writer_t;

void link_cobs_writer_start(link_cobs_writer_t *w, uint8_t *out, size_t cap);
void link_cobs_writer_put(link_cobs_writer_t *w, const uint8_t *data, size_t n);
/* Encoded length, or 0 if out was too small. */
size_t link_cobs_writer_finish(link_cobs_writer_t *w);

/* CRC-32 continued over more data: crc is the value returned so far (0 to start). */
uint32_t link_crc32_update(uint32_t crc, const uint8_t *buf, size_t len);

#endif
