/* Consistent Overhead Byte Stuffing: removes every 0x00 from a frame so 0x00
 * can delimit frames. Each block is a code byte N (1..255) followed by N-1
 * non-zero bytes; a block with N < 255 stands for its bytes plus one 0x00,
 * except the last block of the frame. */
#include "link_internal.h"

#define COBS_FULL_BLOCK 0xFFu

void link_cobs_writer_start(link_cobs_writer_t *w, uint8_t *out, size_t cap)
{
    w->out = out;
    w->cap = cap;
    w->code_pos = 0;
    w->len = 1; /* slot for the first block's code byte */
    w->code = 1;
    w->overflow = cap < 1;
}

/* Close the open block and reserve the next block's code byte. */
static void close_block(link_cobs_writer_t *w)
{
    w->out[w->code_pos] = w->code;
    if (w->len >= w->cap) {
        w->overflow = true;
        return;
    }
    w->code_pos = w->len++;
    w->code = 1;
}

void link_cobs_writer_put(link_cobs_writer_t *w, const uint8_t *data, size_t n)
{
    for (size_t i = 0; i < n && !w->overflow; i++) {
        /* A full block is closed only once more data follows, so a frame that
         * ends on a full block gets no empty trailing block (canonical COBS). */
        if (w->code == COBS_FULL_BLOCK) {
            close_block(w);
            if (w->overflow) {
                return;
            }
        }
        if (data[i] == 0) {
            close_block(w);
            continue;
        }
        if (w->len >= w->cap) {
            w->overflow = true;
            return;
        }
        w->out[w->len++] = data[i];
        w->code++;
    }
}

size_t link_cobs_writer_finish(link_cobs_writer_t *w)
{
    if (w->overflow) {
        return 0;
    }
    w->out[w->code_pos] = w->code;
    return w->len;
}

size_t link_cobs_encode(const uint8_t *in, size_t len, uint8_t *out, size_t out_cap)
{
    link_cobs_writer_t w;
    link_cobs_writer_start(&w, out, out_cap);
    link_cobs_writer_put(&w, in, len);
    return link_cobs_writer_finish(&w);
}

/* Works in place (out == in): the write position never overtakes the read
 * position, and bytes are copied forwards one at a time. */
size_t link_cobs_decode(const uint8_t *in, size_t len, uint8_t *out, size_t out_cap)
{
    size_t i = 0;
    size_t o = 0;
    if (len == 0) {
        return SIZE_MAX; /* even an empty frame has one code byte */
    }
    while (i < len) {
        uint8_t code = in[i++];
        if (code == 0) {
            return SIZE_MAX;
        }
        size_t n = (size_t)code - 1u;
        if (n > len - i || n > out_cap - o) {
            return SIZE_MAX;
        }
        for (size_t k = 0; k < n; k++) {
            uint8_t b = in[i++];
            if (b == 0) {
                return SIZE_MAX;
            }
            out[o++] = b;
        }
        if (code != COBS_FULL_BLOCK && i < len) {
            if (o >= out_cap) {
                return SIZE_MAX;
            }
            out[o++] = 0;
        }
    }
    return o;
}
